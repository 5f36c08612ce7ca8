import type { Template } from './Template';

/** Where the stack would be deployed: what the pseudo parameters stand for, and the resources created in the stand-in. */
export interface DeployTarget {
  region: string;
  accountId: string;
  /** The names of the resources created in the stand-in (the lock table), by logical id: what their Ref returns. */
  created?: Record<string, string>;
}

/** What `Ref` returns for resource types whose value the template states. https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-config-configrule.html#aws-resource-config-configrule-return-values */
const REF_PROPERTY: Record<string, string> = {
  'AWS::Config::ConfigRule': 'ConfigRuleName',
  'AWS::Lambda::Function': 'FunctionName',
};

/**
 * A template value as a string CloudFormation would set: a literal, a pseudo parameter
 * (AWS::Region, AWS::AccountId, AWS::Partition), the Ref of a resource whose name the template
 * states (a Config rule, a Lambda function), or of one created in the stand-in (`target.created`).
 * Anything else fails naming `what`.
 */
export function deployTimeValue(template: Template, value: unknown, target: DeployTarget, what: string): string {
  if (typeof value === 'string') return value;
  const ref = typeof value === 'object' && value !== null && Object.keys(value).length === 1 ? (value as { Ref?: unknown }).Ref : undefined;
  if (ref === 'AWS::Region') return target.region;
  if (ref === 'AWS::AccountId') return target.accountId;
  if (ref === 'AWS::Partition') return 'aws';
  if (typeof ref === 'string' && target.created && Object.hasOwn(target.created, ref)) return target.created[ref]!;
  if (typeof ref === 'string') {
    const resource = template.Resources[ref];
    const property = resource && REF_PROPERTY[resource.Type];
    const name = property === undefined ? undefined : resource?.Properties?.[property];
    if (typeof name === 'string') return name;
  }
  throw new Error(`${what} is ${JSON.stringify(value)}, which cannot be resolved before deployment`);
}
