/**
 * A local fake of the IAM, STS, AWS Config and DynamoDB endpoints that the real AWS SDK v3 clients
 * talk to over HTTP (`endpoint: fake.url`, or AWS_ENDPOINT_URL=fake.url), for wire-level tests,
 * benchmarks and the demo.
 *
 * One node:http server on 127.0.0.1 serves four protocols, told apart per request:
 * - `X-Amz-Target: StarlingDoveService.<Op>` -> AWS Config, awsJson1_1;
 * - `X-Amz-Target: DynamoDB_20120810.<Op>` -> DynamoDB, awsJson1_0 (or forwarded to `dynamoDbEndpoint`);
 * - otherwise a form body `Action=..&Version=..` -> awsQuery: STS for Version 2011-06-15, else IAM.
 *
 * State is kept per account. Requests signed with credentials from the fake's AssumeRole act on the
 * role's account; unsigned requests and any other credentials act on the default account.
 * SigV4 signatures are not verified, but AssumeRole credentials must come with their session token.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT_PATHS, accountActions } from './fakeAws/account';
import { type AuthorizedRequest, authorizationOf } from './fakeAws/authorization';
import { configActions, CONFIG_TARGET_PREFIX, type JsonAction } from './fakeAws/config';
import type { Item } from './fakeAws/conditionExpression';
import { createTable, DYNAMODB_TARGET_PREFIX, dynamodbActions, type TableDefinition } from './fakeAws/dynamodb';
import { IAM_VERSION, IAM_XMLNS, iamActions, type QueryAction } from './fakeAws/iam';
import { AccountState, TokenBucket } from './fakeAws/state';
import { STS_VERSION, STS_XMLNS, stsActions } from './fakeAws/sts';
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
  FakeService,
  FakeUser,
  IssuedCredentials,
  RecordedEvaluation,
  RecordedPutEvaluations,
} from './fakeAws/types';
import { ApiError, queryError, queryResponse, toAwsJson } from './fakeAws/wire';

export type * from './fakeAws/types';

/** An injected error and when it applies. */
interface FaultRule {
  action: string;
  error: FakeAwsError;
  remaining: number;
  when?: Record<string, string>;
  /** Applies to this share of the matching requests, drawn from `random` (failRandomly). */
  share?: { of: number; random: () => number };
  /** Fails one matching request in `every` (the 1st, the 1+every-th, ...); 1 fails each one. */
  every: number;
  /** Matching requests seen so far. */
  seen: number;
}

/** A request waiting for others (answerTogether). */
interface Parked {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  body: string;
  at: number;
}

/** A small seeded generator (mulberry32), so that a run with random faults can be repeated. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An HTTP answer. */
interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** How one wire protocol answers. */
interface Protocol {
  ok(action: string, requestId: string, result: unknown): Reply;
  error(error: ApiError, requestId: string): Reply;
  invalidToken(): ApiError;
  expiredToken(): ApiError;
  unknownAction(action: string): ApiError;
}

function queryProtocol(xmlns: string, version: string): Protocol {
  const headers = (requestId: string) => ({ 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  return {
    ok: (action, requestId, result) => ({
      status: 200,
      headers: headers(requestId),
      body: queryResponse(action, xmlns, requestId, result as string | undefined),
    }),
    error: (error, requestId) => ({ status: error.status, headers: headers(requestId), body: queryError(xmlns, requestId, error) }),
    invalidToken: () => new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'),
    expiredToken: () => new ApiError(403, 'ExpiredToken', 'The security token included in the request is expired'),
    unknownAction: (action) => new ApiError(400, 'InvalidAction', `Could not find operation ${action} for version ${version}`),
  };
}

const JSON_PROTOCOL: Protocol = {
  ok: (_action, requestId, result) => ({
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
    body: toAwsJson(result ?? {}),
  }),
  error: (error, requestId) => ({
    status: error.status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
    body: JSON.stringify({ __type: error.code, message: error.message }),
  }),
  invalidToken: () => new ApiError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.'),
  expiredToken: () => new ApiError(400, 'ExpiredTokenException', 'The security token included in the request is expired'),
  unknownAction: (action) => new ApiError(400, 'UnknownOperationException', `Unknown operation ${action}`),
};

/** DynamoDB's awsJson1_0: error types carry their namespace, and some errors carry fields (the Item of a failed condition). */
const DYNAMODB_PROTOCOL: Protocol = {
  ok: (_action, requestId, result) => ({
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
    body: toAwsJson(result ?? {}),
  }),
  error: (error, requestId) => ({
    status: error.status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
    body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${error.code}`, message: error.message, ...error.fields }),
  }),
  invalidToken: () => new ApiError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.'),
  expiredToken: () => new ApiError(400, 'ExpiredTokenException', 'The security token included in the request is expired'),
  unknownAction: (action) => new ApiError(400, 'UnknownOperationException', `Unknown operation ${action}`),
};

const PROTOCOLS: Record<FakeService, Protocol> = {
  iam: queryProtocol(IAM_XMLNS, IAM_VERSION),
  sts: queryProtocol(STS_XMLNS, STS_VERSION),
  config: JSON_PROTOCOL,
  // restJson1 errors carry the same x-amzn-errortype header and JSON body.
  account: JSON_PROTOCOL,
  dynamodb: DYNAMODB_PROTOCOL,
};

const DEFAULT_MESSAGES: Record<string, string> = {
  Throttling: 'Rate exceeded',
  ThrottlingException: 'Rate exceeded',
  AccessDenied: 'User is not authorized to perform this action',
  AccessDeniedException: 'User is not authorized to perform this action',
  ProvisionedThroughputExceededException: 'The level of configured provisioned throughput for the table was exceeded.',
  ServiceFailure: 'Service failure',
  InternalFailure: 'An internal error occurred',
};

/** `Credential=<id>/<date>/<region>/<service>/aws4_request` of a SigV4 Authorization header. */
function parseAuthorization(header: string | undefined): { accessKeyId: string; region: string; service: string } | undefined {
  const match = header && /Credential=([^/,\s]+)\/\d{8}\/([^/]*)\/([^/]*)\//.exec(header);
  return match ? { accessKeyId: match[1]!, region: match[2]!, service: match[3]! } : undefined;
}

/** The action a request asks for, before it is handled: the X-Amz-Target operation, or the form's Action. */
function actionOf(req: http.IncomingMessage, body: string): string {
  const target = headerOf(req, 'x-amz-target');
  return target === undefined ? (new URLSearchParams(body).get('Action') ?? '') : target.slice(target.lastIndexOf('.') + 1);
}

function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A local fake IAM/STS/Config/DynamoDB endpoint; start with `FakeAws.start()`, stop with `close()`. */
export class FakeAws {
  /** Starts a fake on 127.0.0.1 at a free port. */
  static async start(opts: FakeAwsOptions = {}): Promise<FakeAws> {
    const fake = new FakeAws(opts);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.baseUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Milliseconds added to every response; may be changed at any time. */
  latencyMs: number;
  /** The account unsigned requests and unknown credentials act on. */
  readonly defaultAccountId: string;
  /** Every request answered, in the order handled (on arrival, before latencyMs). */
  readonly calls: FakeAwsCall[] = [];
  /** Accepted PutEvaluations calls (only their accepted evaluations). */
  readonly putEvaluations: RecordedPutEvaluations[] = [];
  /** Evaluations that PutEvaluations answered as FailedEvaluations (see rejectEvaluationsNext). */
  readonly rejectedEvaluations: RecordedEvaluation[] = [];
  /** RoleArn of every successful AssumeRole, in order. */
  readonly assumedRoles: string[] = [];

  private baseUrl = '';
  private readonly server: http.Server;
  private readonly onCall: ((call: FakeAwsCall) => void) | undefined;
  private readonly accounts = new Map<string, AccountState>();
  private readonly issued = new Map<string, IssuedCredentials>();
  private readonly expired = new Set<string>();
  private readonly boundKeys = new Map<string, string>();
  private readonly resultTokens = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly queryActions: Record<'iam' | 'sts', Record<string, QueryAction>>;
  private readonly jsonActions: Record<string, JsonAction>;
  private rateLimit: FakeRateLimit | undefined;
  private readonly dynamoDbUpstream: string | undefined;
  /** Forwarded DynamoDB requests, one after the other (see FakeAwsOptions.dynamoDbEndpoint). */
  private upstreamQueue: Promise<unknown> = Promise.resolve();
  private gates: { action: string; count: number; parked: Parked[] }[] = [];
  private faults: FaultRule[] = [];
  private hooks: { action: string; callback: (request: FakeAwsRequest) => void; remaining: number }[] = [];
  /** Answers held back, by action name, until released (see holdAnswers). */
  private readonly held = new Map<string, (() => void)[]>();
  private rejections: { remaining: number; count: number }[] = [];
  private credentialCounter = 0;
  private counters = {
    iamCalls: 0,
    stsCalls: 0,
    configCalls: 0,
    accountCalls: 0,
    dynamodbCalls: 0,
    throttled: 0,
    injected: 0,
    inFlight: 0,
    maxInFlight: 0,
  };
  private byAction = new Map<string, number>();

  private constructor(opts: FakeAwsOptions) {
    this.latencyMs = opts.latencyMs ?? 0;
    this.rateLimit = opts.rateLimit;
    this.dynamoDbUpstream = opts.dynamoDbEndpoint?.replace(/\/+$/, '');
    this.defaultAccountId = opts.accountId ?? '123456789012';
    this.onCall = opts.onCall;
    this.queryActions = {
      iam: iamActions,
      sts: stsActions({
        issueCredentials: (roleArn, sessionName, durationSeconds, accountId) =>
          this.issueCredentials(roleArn, sessionName, durationSeconds, accountId),
        issuedCredentials: (accessKeyId) => this.issued.get(accessKeyId),
      }),
    };
    this.jsonActions = configActions({
      takeEvaluationRejection: () => this.takeEvaluationRejection(),
      recordPutEvaluations: (record) => {
        this.putEvaluations.push(record);
        this.storeResults(record);
      },
      recordRejectedEvaluations: (evaluations) => this.rejectedEvaluations.push(...evaluations),
    });
    this.server = http.createServer({ keepAlive: true }, (req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 65_000;
  }

  /** http://127.0.0.1:PORT */
  get url(): string {
    return this.baseUrl;
  }

  /** Stops the server, dropping open connections and pending (delayed) responses. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- state ---------------------------------------------------------------------------------

  /** Adds (or replaces) an IAM user; the fake keeps a copy. */
  addUser(u: FakeUser, accountId?: string): void {
    this.account(accountId).addUser(u);
  }

  /** Adds many IAM users. */
  addUsers(users: Iterable<FakeUser>, accountId?: string): void {
    const account = this.account(accountId);
    for (const u of users) account.addUser(u);
  }

  /** Removes an IAM user and its keys; false when there was none. */
  removeUser(userName: string, accountId?: string): boolean {
    return this.account(accountId).removeUser(userName);
  }

  /** A copy of a user as the fake holds it now (e.g. after UpdateAccessKey/DeleteAccessKey). */
  getUser(userName: string, accountId?: string): FakeUser | undefined {
    const account = this.account(accountId);
    const user = account.usersByName.get(userName);
    return user && account.snapshot(user);
  }

  /** How many IAM users an account has. */
  userCount(accountId?: string): number {
    return this.account(accountId).users.length;
  }

  /** Items GetResourceConfigHistory returns for a resource, newest first, in the API shape; Dates are sent as epoch seconds. */
  setConfigHistory(resourceId: string, items: object[], accountId?: string): void {
    this.account(accountId).history.set(
      resourceId,
      items.map((item) => ({ ...(item as Record<string, unknown>) })),
    );
  }

  /** The results GetComplianceDetailsByConfigRule returns for a rule (unknown rules -> NoSuchConfigRuleException). */
  setComplianceResults(ruleName: string, results: FakeComplianceResult[], accountId?: string): void {
    this.account(accountId).setCompliance(ruleName, results);
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
    this.account(accountId).aggregators.set(aggregatorName, { results: kept, options: { ...options } });
  }

  /**
   * From now on, accepted PutEvaluations calls with `resultToken` (not TestMode) become results of
   * the rule `ruleName`, which GetComplianceDetailsByConfigRule then returns: as in Config, a rule's
   * invocations record into its results. Kept by reset().
   */
  storeEvaluations(resultToken: string, ruleName: string): void {
    this.resultTokens.set(resultToken, ruleName);
  }

  /** Copies of the results a rule holds now, in the order stored (empty for an unknown rule). */
  complianceResults(ruleName: string, accountId?: string): FakeComplianceResult[] {
    return (this.account(accountId).compliance.get(ruleName) ?? []).map((result) => ({ ...result }));
  }

  /**
   * Creates a DynamoDB table in an account, as CloudFormation would from an AWS::DynamoDB::Table's
   * properties (a partition key only; TTL as TimeToLiveSpecification says). Returns its ARN.
   */
  createTable(definition: TableDefinition, accountId?: string, region = 'us-east-1'): string {
    return createTable(this.account(accountId), definition, region).arn;
  }

  /** Copies of the items a DynamoDB table of the fake holds now (undefined: no such table). */
  tableItems(tableName: string, accountId?: string): Item[] | undefined {
    const table = this.account(accountId).tables.get(tableName);
    return table && [...table.items.values()].map((item) => structuredClone(item));
  }

  /**
   * The configuration recorders DescribeConfigurationRecorders returns in `region`: all of them
   * when the request names none (AWS returns the customer managed one then; a test may stage a
   * service-linked one beside it); [] for none. By default an account records every type, the
   * global IAM types included, in us-east-1 only.
   */
  setConfigurationRecorders(region: string, recorders: FakeConfigurationRecorder[], accountId?: string): void {
    this.account(accountId).recorders.set(region, structuredClone(recorders));
  }

  /** The regions ListRegions returns for the account (names alone are enabled by default). */
  setRegions(regions: (string | FakeRegion)[], accountId?: string): void {
    this.account(accountId).regions = regions.map((region) =>
      typeof region === 'string' ? { RegionName: region, RegionOptStatus: 'ENABLED_BY_DEFAULT' } : { ...region },
    );
  }

  /** Adds (or replaces) a Config rule that DescribeConfigRules returns. */
  setConfigRule(rule: FakeConfigRule, accountId?: string): void {
    this.account(accountId).configRules.set(rule.ConfigRuleName, { ...rule });
  }

  /**
   * Whether Config in an account records IAM users: with false, ListDiscoveredResources finds none
   * of its users, as in a region other than the one recording global resources. Default true.
   */
  setRecordsIamUsers(records: boolean, accountId?: string): void {
    this.account(accountId).recordsIamUsers = records;
  }

  /** Makes requests signed with this access key id act on `accountId`. */
  bindAccessKey(accessKeyId: string, accountId: string): void {
    this.boundKeys.set(accessKeyId, accountId);
  }

  /** What AssumeRole issued under an access key id, if it did. */
  credentials(accessKeyId: string): IssuedCredentials | undefined {
    return this.issued.get(accessKeyId);
  }

  /** Makes credentials issued by AssumeRole expired (all when no id): requests answer ExpiredToken. */
  expireCredentials(accessKeyId?: string): void {
    for (const id of accessKeyId === undefined ? this.issued.keys() : [accessKeyId]) this.expired.add(id);
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
    this.faults.push({ action, error, remaining: times, when, every: 1, seen: 0 });
  }

  /**
   * One in every `every` matching requests gets `error` (the first, then every `every`-th after
   * it), until reset()/clearFaults(): `every` 2 fails half the calls, as a service throttling a
   * busy account does. Matches as failNext; the requests between are answered normally.
   */
  failEvery(action: string, error: FakeAwsError, every: number, when?: Record<string, string>): void {
    if (!Number.isInteger(every) || every < 1) throw new Error(`failEvery: every must be a whole number of at least 1, got ${every}`);
    this.faults.push({ action, error, remaining: Infinity, when, every, seen: 0 });
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
    if (!(share >= 0 && share <= 1)) throw new Error(`failRandomly: share must be between 0 and 1, got ${share}`);
    this.faults.push({ action, error, remaining: Infinity, share: { of: share, random: seededRandom(seed) }, every: 1, seen: 0 });
  }

  /**
   * Holds the next `count` requests for `action` (an action name) until all of them have arrived,
   * then answers them one after the other in the order they arrived: runs that each send one such
   * request go on from there at the same instant. reset() answers requests still held.
   */
  answerTogether(action: string, count: number): void {
    this.gates.push({ action, count, parked: [] });
  }

  /**
   * Runs `callback` right before the next `times` requests for `action` are answered (after the
   * rate limit and fault injection), e.g. to change state between two calls of the code under
   * test and so stage a race. `action` matches as in failNext. Dropped by reset()/clearHooks().
   */
  beforeAnswering(action: string, callback: (request: FakeAwsRequest) => void, times = 1): void {
    this.hooks.push({ action, callback, remaining: times });
  }

  /**
   * Holds back the answers to `action` (an action name) from now on: each request is handled on
   * arrival (rate limit, faults, hooks, state) but its answer is sent only once the returned
   * function is called, which releases those held and stops holding. Stages "the service answers
   * nothing until then" without timing.
   */
  holdAnswers(action: string): () => void {
    this.held.set(action, this.held.get(action) ?? []);
    return () => {
      const waiting = this.held.get(action) ?? [];
      this.held.delete(action);
      for (const write of waiting) write();
    };
  }

  /** Drops all beforeAnswering hooks. */
  clearHooks(): void {
    this.hooks = [];
  }

  /** Drops all failNext/failAlways rules and pending evaluation rejections. */
  clearFaults(): void {
    this.faults = [];
    this.rejections = [];
  }

  /** The next `times` PutEvaluations calls answer their first `count` evaluations (default all) as FailedEvaluations. */
  rejectEvaluationsNext(times = 1, count = Infinity): void {
    this.rejections.push({ remaining: times, count });
  }

  /**
   * How ListUsers pages from now on: at most `maxItems` users a page (IAM may return fewer than
   * MaxItems), and the users named in `repeat` listed a second time after all others. Cleared by reset().
   */
  setListUsersPaging(paging: FakeListUsersPaging, accountId?: string): void {
    this.account(accountId).listUsersPaging = { ...paging, ...(paging.repeat ? { repeat: [...paging.repeat] } : {}) };
  }

  /** Replaces the IAM token bucket (undefined: no limit); every account's bucket starts full. */
  setRateLimit(limit: FakeRateLimit | undefined): void {
    this.rateLimit = limit;
    for (const account of this.accounts.values()) account.bucket = undefined;
  }

  // ---- recorded traffic ----------------------------------------------------------------------

  /** Recorded calls of one action. */
  callsOf(action: string): FakeAwsCall[] {
    return this.calls.filter((c) => c.action === action);
  }

  /** Counters since start or the last reset(). */
  stats(): FakeAwsStats {
    const { iamCalls, stsCalls, configCalls, accountCalls, dynamodbCalls, throttled, injected, inFlight, maxInFlight } = this.counters;
    return {
      iamCalls,
      stsCalls,
      configCalls,
      accountCalls,
      dynamodbCalls,
      throttled,
      injected,
      inFlight,
      maxInFlight,
      byAction: Object.fromEntries(this.byAction),
    };
  }

  /** Clears recorded traffic, counters, fault injection, rejections, held requests (answering them) and ListUsers paging quirks, and refills token buckets; keeps users, tables, history, compliance and issued credentials. */
  reset(): void {
    const held = this.gates.flatMap((gate) => gate.parked);
    this.gates = [];
    for (const parked of held) this.answer(parked);
    this.calls.length = 0;
    this.putEvaluations.length = 0;
    this.rejectedEvaluations.length = 0;
    this.assumedRoles.length = 0;
    this.clearFaults();
    this.clearHooks();
    const { inFlight } = this.counters;
    this.counters = {
      iamCalls: 0,
      stsCalls: 0,
      configCalls: 0,
      accountCalls: 0,
      dynamodbCalls: 0,
      throttled: 0,
      injected: 0,
      inFlight,
      maxInFlight: inFlight,
    };
    this.byAction = new Map();
    for (const account of this.accounts.values()) {
      account.bucket = undefined;
      account.listUsersPaging = {};
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  private account(accountId: string = this.defaultAccountId): AccountState {
    let account = this.accounts.get(accountId);
    if (!account) {
      account = new AccountState(accountId);
      this.accounts.set(accountId, account);
    }
    return account;
  }

  private issueCredentials(roleArn: string, roleSessionName: string, durationSeconds: number, accountId: string): IssuedCredentials {
    this.credentialCounter += 1;
    const n = this.credentialCounter;
    const creds: IssuedCredentials = {
      accessKeyId: `ASIA${String(n).padStart(4, '0')}${accountId}`,
      secretAccessKey: `fake-secret-${n}-${randomBytes(8).toString('hex')}`,
      sessionToken: `fake-session-${n}-${randomBytes(16).toString('base64url')}`,
      expiration: new Date(Math.floor(Date.now() / 1000 + durationSeconds) * 1000),
      roleArn,
      roleSessionName,
      accountId,
    };
    this.issued.set(creds.accessKeyId, creds);
    this.assumedRoles.push(roleArn);
    return creds;
  }

  private storeResults(record: RecordedPutEvaluations): void {
    const ruleName = this.resultTokens.get(record.ResultToken);
    if (ruleName === undefined || record.TestMode === true) return;
    this.account(record.accountId).applyEvaluations(ruleName, record.Evaluations);
  }

  private takeEvaluationRejection(): number {
    const rejection = this.rejections[0];
    if (!rejection) return 0;
    rejection.remaining -= 1;
    if (rejection.remaining <= 0) this.rejections.shift();
    return rejection.count;
  }

  private runHooks(service: FakeService, action: string, params: Record<string, unknown>, accountId: string): void {
    const due = this.hooks.filter(
      (hook) => hook.action === '*' || hook.action === action || hook.action === `${service}:*` || hook.action === `${service}:${action}`,
    );
    for (const hook of due) {
      hook.remaining -= 1;
      if (hook.remaining <= 0) this.hooks.splice(this.hooks.indexOf(hook), 1);
      hook.callback({ action, params, accountId });
    }
  }

  private matchFault(
    service: FakeService,
    action: string,
    params: Record<string, unknown>,
    accountId: string,
    region: string | undefined,
  ): FakeAwsError | undefined {
    for (let i = 0; i < this.faults.length; i++) {
      const rule = this.faults[i]!;
      if (rule.action !== '*' && rule.action !== action && rule.action !== `${service}:*` && rule.action !== `${service}:${action}`)
        continue;
      if (rule.when) {
        const matches = Object.entries(rule.when).every(([key, value]) =>
          key === '$accountId'
            ? accountId === value
            : key === '$region'
              ? region === value
              : params[key] !== undefined && String(params[key]) === value,
        );
        if (!matches) continue;
      }
      if (rule.share && rule.share.random() >= rule.share.of) continue;
      rule.seen += 1;
      if ((rule.seen - 1) % rule.every !== 0) continue;
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.faults.splice(i, 1);
      return rule.error;
    }
    return undefined;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const at = Date.now();
    this.counters.inFlight += 1;
    this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.counters.inFlight);
    res.once('close', () => {
      this.counters.inFlight -= 1;
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: Parked = { req, res, body: Buffer.concat(chunks).toString('utf8'), at };
      const action = actionOf(req, request.body);
      const gate = this.gates.find((candidate) => candidate.action === action);
      if (!gate) {
        this.answer(request);
        return;
      }
      gate.parked.push(request);
      if (gate.parked.length < gate.count) return;
      this.gates.splice(this.gates.indexOf(gate), 1);
      for (const parked of gate.parked) this.answer(parked);
    });
  }

  private answer({ req, res, body, at }: Parked): void {
    const internalError = (error: unknown): Reply => {
      console.error('fakeAws: internal error', error);
      return { status: 500, headers: { 'content-type': 'text/plain' }, body: `fakeAws internal error: ${String(error)}` };
    };
    let reply: Reply | Promise<Reply>;
    try {
      reply = this.handle(req, body, at);
    } catch (error) {
      reply = internalError(error);
    }
    const holding = this.held.get(actionOf(req, body));
    void Promise.resolve(reply)
      .catch(internalError)
      .then((answer) => (holding ? holding.push(() => this.send(res, answer)) : this.send(res, answer)));
  }

  private send(res: http.ServerResponse, reply: Reply): void {
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
      res.end(reply.body);
    };
    if (this.latencyMs <= 0) {
      write();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      write();
    }, this.latencyMs);
    this.timers.add(timer);
  }

  private handle(req: http.IncomingMessage, body: string, at: number): Reply | Promise<Reply> {
    const auth = parseAuthorization(headerOf(req, 'authorization'));
    const sessionToken = headerOf(req, 'x-amz-security-token');
    const target = headerOf(req, 'x-amz-target');
    if (target !== undefined) {
      const dot = target.lastIndexOf('.');
      const action = target.slice(dot + 1);
      let params: Record<string, unknown> = {};
      let parseError: ApiError | undefined;
      try {
        const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        params = parsed as Record<string, unknown>;
      } catch {
        parseError = new ApiError(400, 'SerializationException', 'Request body is not a JSON object');
      }
      if (target.slice(0, dot) === DYNAMODB_TARGET_PREFIX) {
        if (this.dynamoDbUpstream && !parseError)
          return this.forward(this.dynamoDbUpstream, req, body, action, params, auth, sessionToken, at);
        const operation = Object.hasOwn(dynamodbActions, action) ? dynamodbActions[action] : undefined;
        return this.dispatch('dynamodb', action, params, auth, sessionToken, at, (ctx) => {
          if (parseError) throw parseError;
          if (!operation) throw DYNAMODB_PROTOCOL.unknownAction(target);
          return operation({ account: ctx.account, params, region: auth?.region || 'us-east-1' });
        });
      }
      const run = target.slice(0, dot) === CONFIG_TARGET_PREFIX ? this.jsonActions[action] : undefined;
      return this.dispatch('config', action, params, auth, sessionToken, at, (ctx) => {
        if (parseError) throw parseError;
        if (!run) throw JSON_PROTOCOL.unknownAction(target);
        return run({ account: ctx.account, params, accessKeyId: ctx.accessKeyId, region: auth?.region });
      });
    }
    const accountAction = req.method === 'POST' ? ACCOUNT_PATHS[(req.url ?? '').split('?')[0]!] : undefined;
    if (accountAction !== undefined) {
      let params: Record<string, unknown> = {};
      try {
        const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) params = parsed as Record<string, unknown>;
      } catch {
        // answered below as a validation error
      }
      return this.dispatch('account', accountAction, params, auth, sessionToken, at, (ctx) =>
        accountActions[accountAction]!({ account: ctx.account, params }),
      );
    }
    const form = new URLSearchParams(body);
    const action = form.get('Action') ?? '';
    const version = form.get('Version');
    const params: Record<string, string> = {};
    for (const [key, value] of form) if (key !== 'Action' && key !== 'Version') params[key] = value;
    const service: 'iam' | 'sts' =
      version === STS_VERSION || (version !== IAM_VERSION && (auth?.service === 'sts' || action in this.queryActions.sts)) ? 'sts' : 'iam';
    const run = Object.hasOwn(this.queryActions[service], action) ? this.queryActions[service][action] : undefined;
    return this.dispatch(service, action, params, auth, sessionToken, at, (ctx) => {
      if (!run) throw PROTOCOLS[service].unknownAction(action);
      return run({ account: ctx.account, params, accessKeyId: ctx.accessKeyId });
    });
  }

  /** Authentication, rate limit, fault injection, the action, recording. */
  private dispatch(
    service: FakeService,
    action: string,
    params: Record<string, unknown>,
    auth: SigV4Scope | undefined,
    sessionToken: string | undefined,
    at: number,
    run: (ctx: { account: AccountState; accessKeyId?: string }) => unknown,
  ): Reply {
    const protocol = PROTOCOLS[service];
    const requestId = randomUUID();
    const where: Admission = { accountId: this.defaultAccountId };
    let reply: Reply;
    let errorCode: string | undefined;
    try {
      const account = this.admit(service, action, params, auth, sessionToken, where);
      reply = protocol.ok(action, requestId, run({ account, accessKeyId: auth?.accessKeyId }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      reply = protocol.error(error, requestId);
      errorCode = error.code;
    }
    this.record({ service, action, params, auth, where, status: reply.status, errorCode, at });
    return reply;
  }

  /**
   * A DynamoDB request sent on to `upstream` once admitted (authentication, fault injection,
   * hooks), one at a time: moto_server handles requests in threads, and a conditional write
   * there is a read, a check and a write that two threads can interleave (three runs for one
   * key made two winners in 1 of 400 rounds), where DynamoDB serializes writes to one item.
   */
  private forward(
    upstream: string,
    req: http.IncomingMessage,
    body: string,
    action: string,
    params: Record<string, unknown>,
    auth: SigV4Scope | undefined,
    sessionToken: string | undefined,
    at: number,
  ): Reply | Promise<Reply> {
    const where: Admission = { accountId: this.defaultAccountId };
    const recorded = (reply: Reply, errorCode?: string): Reply => {
      this.record({ service: 'dynamodb', action, params, auth, where, status: reply.status, errorCode, at });
      return reply;
    };
    try {
      const account = this.admit('dynamodb', action, params, auth, sessionToken, where);
      // Its key schema stays known here, for the requests' condition keys (dynamodb:LeadingKeys).
      const hashKey = (params.KeySchema as { AttributeName?: string; KeyType?: string }[] | undefined)?.find(
        (key) => key.KeyType === 'HASH',
      )?.AttributeName;
      if (action === 'CreateTable' && hashKey) account.upstreamHashKeys.set(String(params.TableName), hashKey);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return recorded(DYNAMODB_PROTOCOL.error(error, randomUUID()), error.code);
    }
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'x-amz-target', 'authorization', 'x-amz-date', 'x-amz-security-token']) {
      const value = headerOf(req, name);
      if (value !== undefined) headers[name] = value;
    }
    const send = async (): Promise<Reply> => {
      const response = await fetch(`${upstream}/`, { method: 'POST', headers, body });
      const text = await response.text();
      return {
        status: response.status,
        headers: {
          'content-type': response.headers.get('content-type') ?? 'application/x-amz-json-1.0',
          'x-amzn-requestid': response.headers.get('x-amzn-requestid') ?? randomUUID(),
        },
        body: text,
      };
    };
    const reply = this.upstreamQueue.then(send, send);
    this.upstreamQueue = reply.catch(() => undefined);
    return reply.then(
      (answer) => recorded(answer, answer.status >= 300 ? errorTypeOf(answer.body) : undefined),
      (error: unknown) =>
        recorded(
          {
            status: 502,
            headers: { 'content-type': 'text/plain' },
            body: `fakeAws: DynamoDB upstream ${upstream} failed: ${String(error)}`,
          },
          'UpstreamFailure',
        ),
    );
  }

  /**
   * Counts the request, then checks what comes before any action: the credentials (setting
   * `where.accountId` to the account they act on, and `where.authorization` to the request as IAM
   * authorizes it there, derived before anything changes the state it names), IAM's rate limit,
   * injected faults, hooks. Throws the ApiError to answer; returns the account to act on.
   */
  private admit(
    service: FakeService,
    action: string,
    params: Record<string, unknown>,
    auth: SigV4Scope | undefined,
    sessionToken: string | undefined,
    where: Admission,
  ): AccountState {
    const protocol = PROTOCOLS[service];
    const accessKeyId = auth?.accessKeyId;
    this.counters[`${service}Calls`] += 1;
    this.byAction.set(action, (this.byAction.get(action) ?? 0) + 1);
    const issued = accessKeyId === undefined ? undefined : this.issued.get(accessKeyId);
    if (issued) {
      where.accountId = issued.accountId;
      if (sessionToken !== issued.sessionToken) throw protocol.invalidToken();
      if (this.expired.has(issued.accessKeyId) || issued.expiration.getTime() <= Date.now()) throw protocol.expiredToken();
    } else if (accessKeyId !== undefined) {
      where.accountId = this.boundKeys.get(accessKeyId) ?? this.defaultAccountId;
    }
    const account = this.account(where.accountId);
    where.authorization = authorizationOf(service, action, { params, account, region: regionOf(auth) });
    if (service === 'iam' && this.rateLimit) {
      account.bucket ??= new TokenBucket(this.rateLimit);
      if (!account.bucket.take()) {
        this.counters.throttled += 1;
        throw new ApiError(400, 'Throttling', 'Rate exceeded');
      }
    }
    const fault = this.matchFault(service, action, params, where.accountId, auth?.region);
    if (fault) {
      this.counters.injected += 1;
      throw new ApiError(fault.status, fault.code, fault.message ?? DEFAULT_MESSAGES[fault.code] ?? fault.code);
    }
    this.runHooks(service, action, params, where.accountId);
    return account;
  }

  /** Records a request as answered, and tells the onCall listener. */
  private record(request: {
    service: FakeService;
    action: string;
    params: Record<string, unknown>;
    auth: SigV4Scope | undefined;
    where: Admission;
    status: number;
    errorCode: string | undefined;
    at: number;
  }): void {
    const { service, action, params, auth, where, status, errorCode, at } = request;
    const accessKeyId = auth?.accessKeyId;
    const assumedRole = accessKeyId === undefined ? undefined : this.issued.get(accessKeyId)?.roleArn;
    const call: FakeAwsCall = {
      service,
      action,
      params,
      ...(accessKeyId === undefined ? {} : { accessKeyId }),
      accountId: where.accountId,
      ...(auth === undefined ? {} : { region: regionOf(auth) }),
      ...(assumedRole === undefined ? {} : { assumedRole }),
      // Refused before its account was known (a bad token): as IAM would see it in the default account.
      authorization:
        where.authorization ?? authorizationOf(service, action, { params, account: this.account(where.accountId), region: regionOf(auth) }),
      status,
      ...(errorCode === undefined ? {} : { errorCode }),
      at,
    };
    this.calls.push(call);
    this.onCall?.(call);
  }
}

/** The SigV4 credential scope of a signed request. */
type SigV4Scope = { accessKeyId: string; region: string };

/** Where a request acts: its account, and the request as IAM authorizes it there (set by admit). */
interface Admission {
  accountId: string;
  authorization?: AuthorizedRequest;
}

/** The region a request was signed for (us-east-1 when unsigned). */
const regionOf = (auth: SigV4Scope | undefined): string => auth?.region || 'us-east-1';

/** The error code of an awsJson error body (`__type`, without its namespace). */
function errorTypeOf(body: string): string | undefined {
  try {
    const type = (JSON.parse(body) as { __type?: unknown }).__type;
    return typeof type === 'string' ? type.slice(type.lastIndexOf('#') + 1) : undefined;
  } catch {
    return undefined;
  }
}
