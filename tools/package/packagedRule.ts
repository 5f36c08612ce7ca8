import { resourcesOfType, type Template } from './Template';

/** The account-level Config rule of the packaged template, as CloudFormation would create it. */
export interface PackagedRule {
  configRuleName: string;
  /** InputParameters: what Config sends as the event's ruleParameters. */
  inputParameters: Record<string, string>;
  /** MaximumExecutionFrequency of the periodic trigger. */
  maximumExecutionFrequency?: string;
  /** Logical id of the Lambda function the rule invokes (Source.SourceIdentifier). */
  functionLogicalId: string;
}

/** The one AWS::Config::ConfigRule of the template and its function; throws naming what is missing. */
export function packagedRule(template: Template): PackagedRule {
  const rules = resourcesOfType(template, 'AWS::Config::ConfigRule').map((id) => template.Resources[id]!);
  if (rules.length !== 1)
    throw new Error(
      `The packaged template has ${rules.length} AWS::Config::ConfigRule resources, expected 1 (is it an organization package?)`,
    );
  const properties = rules[0]!.Properties as {
    ConfigRuleName?: unknown;
    InputParameters?: Record<string, unknown>;
    Source?: {
      SourceIdentifier?: { 'Fn::GetAtt'?: unknown[] };
      SourceDetails?: { MessageType: string; MaximumExecutionFrequency?: string }[];
    };
  };
  if (typeof properties.ConfigRuleName !== 'string')
    throw new Error('The Config rule of the packaged template has no literal ConfigRuleName');
  const functionLogicalId = properties.Source?.SourceIdentifier?.['Fn::GetAtt']?.[0];
  if (typeof functionLogicalId !== 'string')
    throw new Error('Source.SourceIdentifier of the Config rule is not Fn::GetAtt [<function>, Arn]');
  const inputParameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties.InputParameters ?? {})) {
    if (typeof value !== 'string') throw new Error(`InputParameters.${name} of the Config rule is not a string`);
    inputParameters[name] = value;
  }
  const periodic = properties.Source?.SourceDetails?.find((detail) => detail.MessageType === 'ScheduledNotification');
  return {
    configRuleName: properties.ConfigRuleName,
    inputParameters,
    ...(periodic?.MaximumExecutionFrequency ? { maximumExecutionFrequency: periodic.MaximumExecutionFrequency } : {}),
    functionLogicalId,
  };
}
