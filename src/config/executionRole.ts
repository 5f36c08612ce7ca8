import type { RuntimeParameterName } from '../options/runtimeOptions';

/** The runtime's parameter that names the role to assume in the evaluated account. */
export const EXECUTION_ROLE_PARAMETER: RuntimeParameterName = 'executionRoleName';

/**
 * `arn:<partition>:iam::<account>:role/<name>` in the evaluated account, or undefined when no
 * execution role is set. `name` is the parsed parameter (splitRuntimeParameters checked it). The
 * partition comes from the rule's ARN, else the function's region.
 */
export function executionRoleArn(
  name: string | undefined,
  accountId: string,
  configRuleArn: string | undefined,
  region = process.env.AWS_REGION ?? '',
): string | undefined {
  if (name === undefined) return undefined;
  return `arn:${partitionOf(configRuleArn, region)}:iam::${accountId}:role/${name}`;
}

function partitionOf(configRuleArn: string | undefined, region: string): string {
  const fromArn = configRuleArn?.split(':')[1];
  if (fromArn) return fromArn;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
