import type { ComplianceType } from '../../src/config/ComplianceType';
import type { FakeAccessKey, FakeAws, FakeComplianceResult, FakeUser } from '../../tools/fakeAws';
import sample from './sample-account.json';

const DAY_MS = 86_400_000;

/** The results a custom Config rule reports. */
export type Compliance = ComplianceType;

/** A key of the sample account, its dates relative to the time the demo runs. */
interface SampleKey {
  accessKeyId: string;
  status: FakeAccessKey['status'];
  createdDaysAgo: number;
  lastUsedDaysAgo?: number;
  serviceName?: string;
}

/** A user of the sample account and the case it shows. */
export interface SampleUser {
  userName: string;
  userId: string;
  path?: string;
  tags?: Record<string, string>;
  case: string;
  expected: Compliance;
  keys: SampleKey[];
}

/** A user deleted since the last run: Config still holds its previous result. */
export interface DeletedUser {
  userName: string;
  userId: string;
  case: string;
  expected: Compliance;
  storedResult: { complianceType: Compliance; annotation: string; recordedDaysAgo: number };
}

/** The sample account (sample-account.json): users, deploy options, the change and the remediation shown. */
export interface SampleAccount {
  accountId: string;
  /** Serverless params the demo packages with (rule parameters among them). */
  deployOptions: Record<string, string>;
  users: SampleUser[];
  deletedUsers: DeletedUser[];
  change: { userName: string; tags: Record<string, string>; what: string; expected: Compliance };
  remediate: { userName: string };
}

/** The sample account of the demo. */
export const SAMPLE_ACCOUNT = sample as SampleAccount;

/** A sample user as the fake IAM holds it, dates taken back from `now`. */
export function toFakeUser(user: SampleUser, accountId: string, now: Date): FakeUser {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const path = user.path ?? '/';
  return {
    userName: user.userName,
    userId: user.userId,
    path,
    arn: `arn:aws:iam::${accountId}:user${path}${user.userName}`,
    createDate: ago(Math.max(1000, ...user.keys.map((key) => key.createdDaysAgo))),
    tags: { ...user.tags },
    accessKeys: user.keys.map((key) => ({
      accessKeyId: key.accessKeyId,
      status: key.status,
      createDate: ago(key.createdDaysAgo),
      ...(key.lastUsedDaysAgo === undefined
        ? {}
        : { lastUsed: { date: ago(key.lastUsedDaysAgo), serviceName: key.serviceName ?? 's3', region: 'us-east-1' } }),
    })),
  };
}

/**
 * Loads the sample account into the fake: its IAM users, the Config rule with its parameters
 * (for a remediation that reads them), and the rule's results of the last run.
 */
export function seedSampleAccount(
  fake: FakeAws,
  account: SampleAccount,
  rule: { configRuleName: string; inputParameters: Record<string, string> },
  now: Date,
): FakeComplianceResult[] {
  const configRuleName = rule.configRuleName;
  fake.addUsers(
    account.users.map((user) => toFakeUser(user, account.accountId, now)),
    account.accountId,
  );
  fake.setConfigRule({ ConfigRuleName: configRuleName, InputParameters: JSON.stringify(rule.inputParameters) }, account.accountId);
  const stored = account.deletedUsers.map((user): FakeComplianceResult => {
    const recorded = new Date(now.getTime() - user.storedResult.recordedDaysAgo * DAY_MS);
    return {
      resourceId: user.userId,
      resourceType: 'AWS::IAM::User',
      complianceType: user.storedResult.complianceType,
      annotation: user.storedResult.annotation,
      orderingTimestamp: recorded,
      resultRecordedTime: recorded,
    };
  });
  fake.setComplianceResults(configRuleName, stored, account.accountId);
  return stored;
}

/** Every full access key id of the sample account (to check that none is ever printed). */
export function sampleAccessKeyIds(account: SampleAccount = SAMPLE_ACCOUNT): string[] {
  return account.users.flatMap((user) => user.keys.map((key) => key.accessKeyId));
}
