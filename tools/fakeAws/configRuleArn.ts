import { createHash } from 'node:crypto';

/**
 * The ARN of an account-level Config rule: Config names it by a generated id, not by the rule's
 * name (config-rule/config-rule-a1b2c3). The fake and the permission tests' placement of a
 * template give a rule this ARN, so that a call the fake records and a policy that names the
 * rule's GetAtt Arn meet.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html (ConfigRuleArn, ConfigRuleId)
 */
export function configRuleArn(accountId: string, ruleName: string, region = 'us-east-1', partition = 'aws'): string {
  const id = createHash('sha256').update(ruleName).digest('hex').slice(0, 6);
  return `arn:${partition}:config:${region}:${accountId}:config-rule/config-rule-${id}`;
}
