import { EXECUTION_ROLE_PARAMETER } from '../../../src/config/executionRole';
import type { LabelledTemplate } from './modeTemplates';
import { functionPolicy, policiesOf, type PolicyDocument, rolePolicies, type TemplatePolicy } from './templatePolicies';

/** A Lambda function of a placed template, with what decides what it may do. */
export interface DeployedFunction {
  /** The template's label ("<mode>: the stack"). */
  label: string;
  template: LabelledTemplate;
  logicalId: string;
  functionName: string;
  functionArn: string;
  roleId: string;
  roleName: string;
  roleArn: string;
  /** The policies of its role (Policies and the RolePolicy resources naming it). */
  rolePolicies: TemplatePolicy[];
  /** Its resource-based policy: its Lambda permissions. */
  resourcePolicy: PolicyDocument;
  environment: Record<string, string>;
  /** The executionRoleName parameter of the Config rule that invokes it, if any. */
  executionRoleName?: string;
}

type Resource = { Type: string; Properties?: Record<string, unknown> };

/** The rule parameters of the Config rule (account or organization) whose function is `functionArn`. */
function ruleParametersOf(template: LabelledTemplate, functionArn: string): Record<string, string> | undefined {
  const { placed } = template;
  for (const [id, resource] of Object.entries(placed.template.Resources) as [string, Resource][]) {
    if (resource.Type === 'AWS::Config::ConfigRule') {
      const properties = placed.resolve(resource.Properties, id) as {
        Source: { SourceIdentifier: string };
        InputParameters?: Record<string, string>;
      };
      if (properties.Source.SourceIdentifier === functionArn) return properties.InputParameters ?? {};
    }
    if (resource.Type === 'AWS::Config::OrganizationConfigRule') {
      const properties = placed.resolve(resource.Properties, id) as {
        OrganizationCustomRuleMetadata?: { LambdaFunctionArn: string; InputParameters?: string };
      };
      const metadata = properties.OrganizationCustomRuleMetadata;
      if (metadata?.LambdaFunctionArn === functionArn)
        return metadata.InputParameters ? (JSON.parse(metadata.InputParameters) as Record<string, string>) : {};
    }
  }
  return undefined;
}

/** The function `logicalId` of a placed template, or undefined when the template has none. */
export function deployedFunction(template: LabelledTemplate, logicalId: string): DeployedFunction | undefined {
  const { placed, label } = template;
  const resource = placed.template.Resources[logicalId];
  if (resource?.Type !== 'AWS::Lambda::Function') return undefined;
  const roleId = (resource.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const functionArn = placed.arn(logicalId);
  const policies = policiesOf(placed);
  const executionRoleName = ruleParametersOf(template, functionArn)?.[EXECUTION_ROLE_PARAMETER];
  return {
    label,
    template,
    logicalId,
    functionName: placed.ref(logicalId),
    functionArn,
    roleId,
    roleName: placed.ref(roleId),
    roleArn: placed.arn(roleId),
    rolePolicies: rolePolicies(policies, roleId),
    resourcePolicy: functionPolicy(policies, logicalId),
    environment:
      (placed.resolve(resource.Properties!.Environment, logicalId) as { Variables?: Record<string, string> } | undefined)?.Variables ?? {},
    ...(executionRoleName ? { executionRoleName } : {}),
  };
}
