/** State of one fake AWS account: IAM users by name/id/key, Config history and compliance. */
import type { TableState } from './dynamodb';
import { configRuleArn } from './configRuleArn';
import type {
  FakeAccessKey,
  FakeAggregateResult,
  FakeAggregatorOptions,
  FakeComplianceResult,
  FakeConfigRule,
  FakeConfigurationRecorder,
  FakeListUsersPaging,
  FakeRegion,
  FakeRateLimit,
  FakeUser,
  RecordedEvaluation,
} from './types';

/** The date of a user, key or result given none. */
export const EPOCH_2020 = new Date('2020-01-01T00:00:00Z');

/** A recorder recording every supported type, the global IAM types included: the fake's default in us-east-1. */
export const DEFAULT_RECORDER: FakeConfigurationRecorder = {
  name: 'default',
  roleARN: 'arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
  recordingGroup: {
    allSupported: true,
    includeGlobalResourceTypes: true,
    resourceTypes: [],
    exclusionByResourceTypes: { resourceTypes: [] },
    recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' },
  },
  recordingScope: 'PAID',
};

/** The regions a fake account has enabled by default. */
const DEFAULT_REGIONS = ['eu-central-1', 'eu-west-1', 'us-east-1', 'us-east-2', 'us-west-2'];

/** A user as the fake stores it (a copy of what addUser got, with defaults filled in). */
export interface UserState {
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: Date;
  passwordLastUsed?: Date;
  tags: [string, string][];
  keys: FakeAccessKey[];
}

/** A token bucket refilled continuously. */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();
  private readonly burst: number;

  constructor(private readonly limit: FakeRateLimit) {
    this.burst = limit.burst ?? limit.perSecond;
    this.tokens = this.burst;
  }

  /** Takes a token; false when the bucket is empty. */
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.limit.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Everything one account holds. */
export class AccountState {
  /** Users in insertion order: ListUsers pages by index. */
  users: UserState[] = [];
  readonly usersByName = new Map<string, UserState>();
  readonly usersById = new Map<string, UserState>();
  readonly keysById = new Map<string, { user: UserState; key: FakeAccessKey }>();
  /** GetResourceConfigHistory items by resourceId, newest first. */
  readonly history = new Map<string, Record<string, unknown>[]>();
  readonly compliance = new Map<string, FakeComplianceResult[]>();
  /** Config rules DescribeConfigRules knows, by name. */
  readonly configRules = new Map<string, FakeConfigRule>();
  private readonly complianceViews = new Map<string, FakeComplianceResult[]>();
  /** DynamoDB tables, by name. */
  readonly tables = new Map<string, TableState>();
  /** The partition key of each DynamoDB table created through the fake but kept upstream (FakeAwsOptions.dynamoDbEndpoint), by table name. */
  readonly upstreamHashKeys = new Map<string, string>();
  /** Config aggregators this account holds, by name. */
  readonly aggregators = new Map<string, { results: FakeAggregateResult[]; options: FakeAggregatorOptions }>();
  bucket: TokenBucket | undefined;
  /**
   * Configuration recorders by region (DescribeConfigurationRecorders). By default the account
   * records every type, the global IAM types included, in us-east-1 (the tests' region) only.
   */
  readonly recorders = new Map<string, FakeConfigurationRecorder[]>([['us-east-1', [DEFAULT_RECORDER]]]);
  /** The account's regions and their opt-in status (ListRegions). */
  regions: FakeRegion[] = DEFAULT_REGIONS.map((RegionName) => ({ RegionName, RegionOptStatus: 'ENABLED_BY_DEFAULT' }));
  /** How ListUsers pages (see FakeAws.setListUsersPaging); cleared by reset(). */
  listUsersPaging: FakeListUsersPaging = {};
  /** Whether Config here records IAM users (ListDiscoveredResources finds them): false in a region other than the one recording global resources. */
  recordsIamUsers = true;

  constructor(readonly accountId: string) {}

  /**
   * The users ListUsers pages through: every user in insertion order, then the users named in
   * `listUsersPaging.repeat` once more, as a listing that is not a snapshot returns a user moved
   * or renamed while it pages.
   */
  listing(): UserState[] {
    const repeated = (this.listUsersPaging.repeat ?? []).flatMap((name) => this.usersByName.get(name) ?? []);
    return repeated.length === 0 ? this.users : [...this.users, ...repeated];
  }

  addUser(u: FakeUser): void {
    if (this.usersByName.has(u.userName)) this.removeUser(u.userName);
    const path = u.path ?? '/';
    const user: UserState = {
      userName: u.userName,
      userId: u.userId,
      path,
      arn: u.arn ?? `arn:aws:iam::${this.accountId}:user${path}${u.userName}`,
      createDate: u.createDate ?? EPOCH_2020,
      passwordLastUsed: u.passwordLastUsed,
      tags: Object.entries(u.tags ?? {}),
      keys: (u.accessKeys ?? []).map((k) => ({ ...k, lastUsed: k.lastUsed && { ...k.lastUsed } })),
    };
    this.users.push(user);
    this.usersByName.set(user.userName, user);
    this.usersById.set(user.userId, user);
    for (const key of user.keys) this.keysById.set(key.accessKeyId, { user, key });
  }

  removeUser(userName: string): boolean {
    const user = this.usersByName.get(userName);
    if (!user) return false;
    this.usersByName.delete(userName);
    if (this.usersById.get(user.userId) === user) this.usersById.delete(user.userId);
    for (const key of user.keys) this.keysById.delete(key.accessKeyId);
    this.users = this.users.filter((u) => u !== user);
    return true;
  }

  removeKey(user: UserState, accessKeyId: string): void {
    user.keys = user.keys.filter((k) => k.accessKeyId !== accessKeyId);
    this.keysById.delete(accessKeyId);
  }

  /** A copy of a stored user in the FakeUser shape. */
  snapshot(user: UserState): FakeUser {
    return {
      userName: user.userName,
      userId: user.userId,
      path: user.path,
      arn: user.arn,
      createDate: user.createDate,
      passwordLastUsed: user.passwordLastUsed,
      tags: Object.fromEntries(user.tags),
      accessKeys: user.keys.map((k) => ({ ...k, lastUsed: k.lastUsed && { ...k.lastUsed } })),
    };
  }

  /** A rule's ARN: the one setConfigRule gave it, else the generated form configRuleArn gives. */
  configRuleArn(ruleName: string, region = 'us-east-1'): string {
    return this.configRules.get(ruleName)?.ConfigRuleArn ?? configRuleArn(this.accountId, ruleName, region);
  }

  setCompliance(ruleName: string, results: FakeComplianceResult[]): void {
    this.compliance.set(
      ruleName,
      results.map((r) => ({ ...r })),
    );
    for (const key of this.complianceViews.keys()) {
      if (key.startsWith(`${ruleName}\n`)) this.complianceViews.delete(key);
    }
  }

  /**
   * Stores evaluations as a rule's results, as Config does: per resource, the one with the latest
   * OrderingTimestamp (a later or equal one replaces the stored one, an earlier one is dropped).
   */
  applyEvaluations(ruleName: string, evaluations: readonly RecordedEvaluation[]): void {
    const results = this.compliance.get(ruleName) ?? [];
    const byResource = new Map(results.map((result, index) => [`${result.resourceType ?? 'AWS::IAM::User'}\n${result.resourceId}`, index]));
    for (const evaluation of evaluations) {
      const stored: FakeComplianceResult = {
        resourceId: evaluation.ComplianceResourceId,
        resourceType: evaluation.ComplianceResourceType,
        complianceType: evaluation.ComplianceType,
        ...(evaluation.Annotation === undefined ? {} : { annotation: evaluation.Annotation }),
        orderingTimestamp: evaluation.OrderingTimestamp,
        resultRecordedTime: new Date(),
      };
      const key = `${evaluation.ComplianceResourceType}\n${evaluation.ComplianceResourceId}`;
      const index = byResource.get(key);
      if (index === undefined) {
        byResource.set(key, results.length);
        results.push(stored);
      } else if ((results[index]!.orderingTimestamp ?? EPOCH_2020).getTime() <= evaluation.OrderingTimestamp.getTime()) {
        results[index] = stored;
      }
    }
    this.setCompliance(ruleName, results);
  }

  /** The results of a rule filtered by compliance types (cached), or undefined for an unknown rule. */
  complianceView(ruleName: string, types: readonly string[]): FakeComplianceResult[] | undefined {
    const all = this.compliance.get(ruleName);
    if (!all || types.length === 0) return all;
    const key = `${ruleName}\n${[...types].sort().join(',')}`;
    let view = this.complianceViews.get(key);
    if (!view) {
      const wanted = new Set(types);
      view = all.filter((r) => wanted.has(r.complianceType));
      this.complianceViews.set(key, view);
    }
    return view;
  }
}
