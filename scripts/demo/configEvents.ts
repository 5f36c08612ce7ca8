import { randomBytes } from 'node:crypto';
import type { FakeUser } from '../../tools/fakeAws';

/** The Config rule an event comes from. */
export interface RuleIdentity {
  configRuleName: string;
  accountId: string;
  region: string;
  /** The rule's InputParameters. */
  inputParameters: Record<string, string>;
}

/**
 * The event Config sends a custom Lambda rule, with a fresh result token.
 * https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html
 */
export function ruleEvent(rule: RuleIdentity, invokingEvent: object): { event: object; resultToken: string } {
  const resultToken = randomBytes(48).toString('base64');
  const configRuleId = 'config-rule-demo01';
  const event = {
    version: '1.0',
    invokingEvent: JSON.stringify(invokingEvent),
    // Absent when the rule has no parameters; every value is a string.
    ...(Object.keys(rule.inputParameters).length > 0 ? { ruleParameters: JSON.stringify(rule.inputParameters) } : {}),
    resultToken,
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${rule.accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:${rule.region}:${rule.accountId}:config-rule/${configRuleId}`,
    configRuleName: rule.configRuleName,
    configRuleId,
    accountId: rule.accountId,
    evaluationMode: 'DETECTIVE',
  };
  return { event, resultToken };
}

/** The AWS::IAM::User configuration item Config would send for a user (event shape). */
export function configurationItemOf(user: FakeUser, accountId: string, captureTime: Date): object {
  const tags = user.tags ?? {};
  const createDate = (user.createDate ?? new Date('2020-01-01T00:00:00Z')).toISOString();
  return {
    relatedEvents: [],
    relationships: [],
    configuration: {
      path: user.path,
      userName: user.userName,
      userId: user.userId,
      arn: user.arn,
      createDate,
      userPolicyList: [],
      groupList: [],
      attachedManagedPolicies: [],
      permissionsBoundary: null,
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    },
    supplementaryConfiguration: {},
    tags,
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: captureTime.toISOString(),
    configurationStateId: captureTime.getTime(),
    awsAccountId: accountId,
    configurationItemStatus: 'OK',
    resourceType: 'AWS::IAM::User',
    resourceId: user.userId,
    resourceName: user.userName,
    ARN: user.arn,
    awsRegion: 'global',
    availabilityZone: 'Not Applicable',
    configurationStateMd5Hash: '',
    resourceCreationTime: createDate,
  };
}

/** The configurationItemDiff of a tag change. */
export function tagDiff(before: Record<string, string>, after: Record<string, string>): object {
  const changedProperties: Record<string, object> = {};
  for (const [key, value] of Object.entries(after)) {
    if (before[key] === value) continue;
    changedProperties[`Tags.${key}`] = {
      previousValue: before[key] ?? null,
      updatedValue: value,
      changeType: key in before ? 'UPDATE' : 'CREATE',
    };
  }
  return { changedProperties, changeType: 'UPDATE' };
}
