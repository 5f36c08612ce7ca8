/**
 * A local fake of the IAM, STS, AWS Config and DynamoDB endpoints that the real AWS SDK v3 clients
 * talk to over HTTP (`endpoint: fake.url`, or AWS_ENDPOINT_URL=fake.url), for wire-level tests,
 * benchmarks and the demo.
 *
 * One node:http server on 127.0.0.1 (tools/fakeAws/FakeAwsServer.ts) serves five services, told apart per request:
 * - `X-Amz-Target: StarlingDoveService.<Op>` -> AWS Config, awsJson1_1;
 * - `X-Amz-Target: DynamoDB_20120810.<Op>` -> DynamoDB, awsJson1_0 (or forwarded to `dynamoDbEndpoint`);
 * - a POST to an Account path (`/listRegions`) -> Account, restJson1;
 * - otherwise a form body `Action=..&Version=..` -> awsQuery: STS for Version 2011-06-15, else IAM.
 *
 * State is kept per account. Requests signed with credentials from the fake's AssumeRole act on the
 * role's account; unsigned requests and any other credentials act on the default account.
 * SigV4 signatures are not verified, but AssumeRole credentials must come with their session token.
 */
import { FakeAwsServer } from './fakeAws/FakeAwsServer';
import type { Item } from './fakeAws/conditionExpression';
import { createTable, type TableDefinition } from './fakeAws/dynamodb';
import type {
  FakeAggregateResult,
  FakeAggregatorOptions,
  FakeAwsCall,
  FakeAwsError,
  FakeAwsOptions,
  FakeAwsStats,
  FakeComplianceResult,
  FakeConfigRule,
  FakeConfigurationRecorder,
  FakeAwsRequest,
  FakeListUsersPaging,
  FakeRegion,
  FakeRateLimit,
  FakeUser,
  IssuedCredentials,
  RecordedEvaluation,
  RecordedPutEvaluations,
} from './fakeAws/types';
import { World } from './fakeAws/World';

export type * from './fakeAws/types';

/** A local fake IAM/STS/Config/DynamoDB endpoint; start with `FakeAws.start()`, stop with `close()`. */
export class FakeAws {
  /** Starts a fake on 127.0.0.1 at a free port. */
  static async start(opts: FakeAwsOptions = {}): Promise<FakeAws> {
    const fake = new FakeAws(opts);
    fake.baseUrl = await fake.server.listen();
    return fake;
  }

  private baseUrl = '';
  private readonly world: World;
  private readonly server: FakeAwsServer;

  private constructor(opts: FakeAwsOptions) {
    this.world = new World(opts.accountId ?? '123456789012', opts.latencyMs ?? 0, opts.rateLimit);
    this.server = new FakeAwsServer(this.world, opts.onCall, opts.dynamoDbEndpoint);
  }

  /** Milliseconds added to every response; may be changed at any time. */
  get latencyMs(): number {
    return this.world.latencyMs;
  }

  set latencyMs(ms: number) {
    this.world.latencyMs = ms;
  }

  /** The account unsigned requests and unknown credentials act on. */
  get defaultAccountId(): string {
    return this.world.defaultAccountId;
  }

  /** Every request answered, in the order handled (on arrival, before latencyMs). */
  get calls(): FakeAwsCall[] {
    return this.world.calls;
  }

  /** Accepted PutEvaluations calls (only their accepted evaluations). */
  get putEvaluations(): RecordedPutEvaluations[] {
    return this.world.putEvaluations;
  }

  /** Evaluations that PutEvaluations answered as FailedEvaluations (see rejectEvaluationsNext). */
  get rejectedEvaluations(): RecordedEvaluation[] {
    return this.world.rejectedEvaluations;
  }

  /** RoleArn of every successful AssumeRole, in order. */
  get assumedRoles(): string[] {
    return this.world.assumedRoles;
  }

  /** http://127.0.0.1:PORT */
  get url(): string {
    return this.baseUrl;
  }

  /** Stops the server, dropping open connections and pending (delayed) responses. */
  close(): Promise<void> {
    return this.server.close();
  }

  // ---- state ---------------------------------------------------------------------------------

  /** Adds (or replaces) an IAM user; the fake keeps a copy. */
  addUser(u: FakeUser, accountId?: string): void {
    this.world.account(accountId).addUser(u);
  }

  /** Adds many IAM users. */
  addUsers(users: Iterable<FakeUser>, accountId?: string): void {
    const account = this.world.account(accountId);
    for (const u of users) account.addUser(u);
  }

  /** Removes an IAM user and its keys; false when there was none. */
  removeUser(userName: string, accountId?: string): boolean {
    return this.world.account(accountId).removeUser(userName);
  }

  /** A copy of a user as the fake holds it now (e.g. after UpdateAccessKey/DeleteAccessKey). */
  getUser(userName: string, accountId?: string): FakeUser | undefined {
    const account = this.world.account(accountId);
    const user = account.usersByName.get(userName);
    return user && account.snapshot(user);
  }

  /** How many IAM users an account has. */
  userCount(accountId?: string): number {
    return this.world.account(accountId).users.length;
  }

  /** Items GetResourceConfigHistory returns for a resource, newest first, in the API shape; Dates are sent as epoch seconds. */
  setConfigHistory(resourceId: string, items: object[], accountId?: string): void {
    this.world.account(accountId).history.set(
      resourceId,
      items.map((item) => ({ ...(item as Record<string, unknown>) })),
    );
  }

  /** The results GetComplianceDetailsByConfigRule returns for a rule (unknown rules -> NoSuchConfigRuleException). */
  setComplianceResults(ruleName: string, results: FakeComplianceResult[], accountId?: string): void {
    this.world.account(accountId).setCompliance(ruleName, results);
  }

  /**
   * Creates (or replaces) a Config aggregator in `accountId` holding these results of its source
   * accounts (DescribeAggregateComplianceByConfigRules, GetAggregateComplianceDetailsByConfigRule).
   * Like AWS's aggregators, it keeps COMPLIANT and NON_COMPLIANT results only.
   */
  setAggregatorResults(
    aggregatorName: string,
    results: FakeAggregateResult[],
    options: FakeAggregatorOptions = {},
    accountId?: string,
  ): void {
    const kept = results.filter((r) => r.complianceType === 'COMPLIANT' || r.complianceType === 'NON_COMPLIANT').map((r) => ({ ...r }));
    this.world.account(accountId).aggregators.set(aggregatorName, { results: kept, options: { ...options } });
  }

  /**
   * From now on, accepted PutEvaluations calls with `resultToken` (not TestMode) become results of
   * the rule `ruleName`, which GetComplianceDetailsByConfigRule then returns: as in Config, a rule's
   * invocations record into its results. Kept by reset().
   */
  storeEvaluations(resultToken: string, ruleName: string): void {
    this.world.resultTokens.set(resultToken, ruleName);
  }

  /** Copies of the results a rule holds now, in the order stored (empty for an unknown rule). */
  complianceResults(ruleName: string, accountId?: string): FakeComplianceResult[] {
    return (this.world.account(accountId).compliance.get(ruleName) ?? []).map((result) => ({ ...result }));
  }

  /**
   * Creates a DynamoDB table in an account, as CloudFormation would from an AWS::DynamoDB::Table's
   * properties (a partition key only; TTL as TimeToLiveSpecification says). Returns its ARN.
   */
  createTable(definition: TableDefinition, accountId?: string, region = 'us-east-1'): string {
    return createTable(this.world.account(accountId), definition, region).arn;
  }

  /** Copies of the items a DynamoDB table of the fake holds now (undefined: no such table). */
  tableItems(tableName: string, accountId?: string): Item[] | undefined {
    const table = this.world.account(accountId).tables.get(tableName);
    return table && [...table.items.values()].map((item) => structuredClone(item));
  }

  /**
   * The configuration recorders DescribeConfigurationRecorders returns in `region`: all of them
   * when the request names none (AWS returns the customer managed one then; a test may stage a
   * service-linked one beside it); [] for none. By default an account records every type, the
   * global IAM types included, in us-east-1 only.
   */
  setConfigurationRecorders(region: string, recorders: FakeConfigurationRecorder[], accountId?: string): void {
    this.world.account(accountId).recorders.set(region, structuredClone(recorders));
  }

  /** The regions ListRegions returns for the account (names alone are enabled by default). */
  setRegions(regions: (string | FakeRegion)[], accountId?: string): void {
    this.world.account(accountId).regions = regions.map((region) =>
      typeof region === 'string' ? { RegionName: region, RegionOptStatus: 'ENABLED_BY_DEFAULT' } : { ...region },
    );
  }

  /** Adds (or replaces) a Config rule that DescribeConfigRules returns. */
  setConfigRule(rule: FakeConfigRule, accountId?: string): void {
    this.world.account(accountId).configRules.set(rule.ConfigRuleName, { ...rule });
  }

  /**
   * Whether Config in an account records IAM users: with false, ListDiscoveredResources finds none
   * of its users, as in a region other than the one recording global resources. Default true.
   */
  setRecordsIamUsers(records: boolean, accountId?: string): void {
    this.world.account(accountId).recordsIamUsers = records;
  }

  /** Makes requests signed with this access key id act on `accountId`. */
  bindAccessKey(accessKeyId: string, accountId: string): void {
    this.world.credentials.bind(accessKeyId, accountId);
  }

  /** What AssumeRole issued under an access key id, if it did. */
  credentials(accessKeyId: string): IssuedCredentials | undefined {
    return this.world.credentials.get(accessKeyId);
  }

  /** Makes credentials issued by AssumeRole expired (all when no id): requests answer ExpiredToken. */
  expireCredentials(accessKeyId?: string): void {
    this.world.credentials.expire(accessKeyId);
  }

  // ---- knobs ---------------------------------------------------------------------------------

  /**
   * The next `times` requests for `action` get `error` instead of an answer. `action` is an action
   * name ('ListAccessKeys', 'PutEvaluations'), '*' (any), or '<service>:*' ('iam:*', 'config:*').
   * `when` narrows to requests whose top-level parameters have these values; its key '$accountId'
   * matches the account the request acts on, '$region' the region it was signed for. Rules are
   * tried in the order they were added.
   */
  failNext(action: string, error: FakeAwsError, times = 1, when?: Record<string, string>): void {
    this.world.faults.fail(action, error, times, when);
  }

  /**
   * One in every `every` matching requests gets `error` (the first, then every `every`-th after
   * it), until reset()/clearFaults(): `every` 2 fails half the calls, as a service throttling a
   * busy account does. Matches as failNext; the requests between are answered normally.
   */
  failEvery(action: string, error: FakeAwsError, every: number, when?: Record<string, string>): void {
    this.world.faults.fail(action, error, Infinity, when, every);
  }

  /** Like failNext, for every matching request until reset()/clearFaults(). */
  failAlways(action: string, error: FakeAwsError, when?: Record<string, string>): void {
    this.failNext(action, error, Infinity, when);
  }

  /**
   * Like failAlways, for a share (0 to 1) of the matching requests, drawn from a generator seeded
   * with `seed`: the same seed fails the same requests of the same sequence.
   */
  failRandomly(action: string, error: FakeAwsError, share: number, seed = 1): void {
    this.world.faults.failRandomly(action, error, share, seed);
  }

  /**
   * Holds the next `count` requests for `action` (an action name) until all of them have arrived,
   * then answers them one after the other in the order they arrived: runs that each send one such
   * request go on from there at the same instant. reset() answers requests still held.
   */
  answerTogether(action: string, count: number): void {
    this.server.gates.together(action, count);
  }

  /**
   * Runs `callback` right before the next `times` requests for `action` are answered (after the
   * rate limit and fault injection), e.g. to change state between two calls of the code under
   * test and so stage a race. `action` matches as in failNext. Dropped by reset()/clearHooks().
   */
  beforeAnswering(action: string, callback: (request: FakeAwsRequest) => void, times = 1): void {
    this.world.faults.beforeAnswering(action, callback, times);
  }

  /**
   * Holds back the answers to `action` (an action name) from now on: each request is handled on
   * arrival (rate limit, faults, hooks, state) but its answer is sent only once the returned
   * function is called, which releases those held and stops holding. Stages "the service answers
   * nothing until then" without timing.
   */
  holdAnswers(action: string): () => void {
    return this.server.gates.hold(action);
  }

  /** Drops all beforeAnswering hooks. */
  clearHooks(): void {
    this.world.faults.clearHooks();
  }

  /** Drops all failNext/failAlways rules and pending evaluation rejections. */
  clearFaults(): void {
    this.world.faults.clearFaults();
  }

  /** The next `times` PutEvaluations calls answer their first `count` evaluations (default all) as FailedEvaluations. */
  rejectEvaluationsNext(times = 1, count = Infinity): void {
    this.world.faults.rejectEvaluations(times, count);
  }

  /**
   * How ListUsers pages from now on: at most `maxItems` users a page (IAM may return fewer than
   * MaxItems), and the users named in `repeat` listed a second time after all others. Cleared by reset().
   */
  setListUsersPaging(paging: FakeListUsersPaging, accountId?: string): void {
    this.world.account(accountId).listUsersPaging = { ...paging, ...(paging.repeat ? { repeat: [...paging.repeat] } : {}) };
  }

  /** Replaces the IAM token bucket (undefined: no limit); every account's bucket starts full. */
  setRateLimit(limit: FakeRateLimit | undefined): void {
    this.world.rateLimit = limit;
    for (const account of this.world.accounts.values()) account.bucket = undefined;
  }

  // ---- recorded traffic ----------------------------------------------------------------------

  /** Recorded calls of one action. */
  callsOf(action: string): FakeAwsCall[] {
    return this.calls.filter((c) => c.action === action);
  }

  /** Counters since start or the last reset(). */
  stats(): FakeAwsStats {
    return this.world.traffic.stats();
  }

  /** Clears recorded traffic, counters, fault injection, rejections, held requests (answering them) and ListUsers paging quirks, and refills token buckets; keeps users, tables, history, compliance and issued credentials. */
  reset(): void {
    this.server.releaseParked();
    this.calls.length = 0;
    this.putEvaluations.length = 0;
    this.rejectedEvaluations.length = 0;
    this.assumedRoles.length = 0;
    this.clearFaults();
    this.clearHooks();
    this.world.traffic.reset();
    for (const account of this.world.accounts.values()) {
      account.bucket = undefined;
      account.listUsersPaging = {};
    }
  }
}
