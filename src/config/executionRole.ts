import { ROLE_NAME } from '../options/configRuleOptions';
import { InvalidParameterError } from './errors';

/** The parameter the runtime itself takes: assume this role in the evaluated account. */
export const EXECUTION_ROLE_PARAMETER = 'executionRoleName';

/**
 * `arn:<partition>:iam::<account>:role/<name>` in the evaluated account, or undefined when no
 * execution role is set. The partition comes from the rule's ARN, else the function's region.
 */
export function executionRoleArn(
  name: string | undefined,
  accountId: string,
  configRuleArn: string | undefined,
  region = process.env.AWS_REGION ?? '',
): string | undefined {
  if (name === undefined || name.trim() === '') return undefined;
  const roleName = name.trim();
  if (!ROLE_NAME.test(roleName)) {
    throw new InvalidParameterError(EXECUTION_ROLE_PARAMETER, `${JSON.stringify(name)} is not an IAM role name`);
  }
  return `arn:${partitionOf(configRuleArn, region)}:iam::${accountId}:role/${roleName}`;
}

function partitionOf(configRuleArn: string | undefined, region: string): string {
  const fromArn = configRuleArn?.split(':')[1];
  if (fromArn) return fromArn;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
