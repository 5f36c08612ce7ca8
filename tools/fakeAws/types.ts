/** Public types of the fake AWS endpoint (see ../fakeAws.ts). */
import type { AuthorizedRequest } from './authorization';

export type { AuthorizedRequest } from './authorization';

/** An IAM access key of a fake user. */
export interface FakeAccessKey {
  accessKeyId: string;
  status: 'Active' | 'Inactive' | 'Expired';
  createDate: Date;
  /** Absent: never used (GetAccessKeyLastUsed answers ServiceName/Region "N/A" and no date). */
  lastUsed?: { date?: Date; serviceName?: string; region?: string };
}

/** An IAM user of a fake account. */
export interface FakeUser {
  userName: string;
  userId: string;
  /** Default '/'. */
  path?: string;
  /** Default arn:aws:iam::<account>:user<path><userName>. */
  arn?: string;
  /** Default 2020-01-01T00:00:00Z. */
  createDate?: Date;
  passwordLastUsed?: Date;
  tags?: Record<string, string>;
  accessKeys?: FakeAccessKey[];
}

/** How the fake's ListUsers pages (IAM may return fewer items than MaxItems, and its pages are not a snapshot). */
export interface FakeListUsersPaging {
  /** Most users any page holds, whatever MaxItems asks. */
  maxItems?: number;
  /** Users (by name) listed a second time, after every user: on a later page when pages are small. */
  repeat?: string[];
}

/** Options of FakeAws.start. */
export interface FakeAwsOptions {
  /** Milliseconds added to every response, errors included (default 0). */
  latencyMs?: number;
  /** Token bucket over all IAM calls of one account; over the limit -> Throttling (400) at once. */
  rateLimit?: FakeRateLimit;
  /** The account unsigned requests and unknown credentials act on (default '123456789012'). */
  accountId?: string;
  /** Told of every call as it is recorded (the permission tests' journal, test/support/callJournal.ts). */
  onCall?: (call: FakeAwsCall) => void;
  /**
   * Forward DynamoDB requests to this endpoint (moto_server, say) instead of answering them from
   * the fake's own tables, one at a time, after the fake's fault injection and hooks; the fake
   * records them as it records its own.
   */
  dynamoDbEndpoint?: string;
}

/** A token bucket: `burst` tokens (default `perSecond`), refilled at `perSecond`. */
export interface FakeRateLimit {
  perSecond: number;
  burst?: number;
}

/** An error to inject; `status` and `code` as AWS sends them (e.g. 400 Throttling, 403 AccessDenied). */
export interface FakeAwsError {
  status: number;
  code: string;
  message?: string;
}

/** A stored evaluation result of a Config rule (GetComplianceDetailsByConfigRule). */
export interface FakeComplianceResult {
  resourceId: string;
  /** Default 'AWS::IAM::User'. */
  resourceType?: string;
  complianceType: string;
  annotation?: string;
  /** Default 2020-01-01T00:00:00Z. */
  orderingTimestamp?: Date;
  /** Default: orderingTimestamp. */
  resultRecordedTime?: Date;
}

/** The AWS service a request was for. */
export type FakeService = 'iam' | 'sts' | 'config' | 'account' | 'dynamodb';

/** One request the fake answered. */
export interface FakeAwsCall {
  service: FakeService;
  action: string;
  /** awsQuery: the decoded form fields except Action/Version; Config and DynamoDB: the JSON body. */
  params: Record<string, unknown>;
  /** From the SigV4 `Authorization: ... Credential=<id>/...` header; absent when unsigned. */
  accessKeyId?: string;
  /** The region of the SigV4 credential scope (the region the client calls); absent when unsigned. */
  region?: string;
  /** The account whose state the request acted on. */
  accountId: string;
  /** The role whose AssumeRole credentials signed the request; absent for any other signer. */
  assumedRole?: string;
  /** The request as IAM authorizes it (action, resource ARN, condition keys), derived before the fake acted on it. */
  authorization: AuthorizedRequest;
  status: number;
  /** The error code sent, when status >= 300. */
  errorCode?: string;
  /** Date.now() when the request arrived. */
  at: number;
}

/** An evaluation as PutEvaluations received it, OrderingTimestamp turned back into a Date. */
export interface RecordedEvaluation {
  ComplianceResourceType: string;
  ComplianceResourceId: string;
  ComplianceType: string;
  Annotation?: string;
  OrderingTimestamp: Date;
}

/** One accepted PutEvaluations call; `Evaluations` holds the accepted ones only. */
export interface RecordedPutEvaluations {
  Evaluations: RecordedEvaluation[];
  ResultToken: string;
  TestMode?: boolean;
  accessKeyId?: string;
  accountId: string;
}

/** Credentials handed out by AssumeRole. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  roleArn: string;
  roleSessionName: string;
  accountId: string;
}

/** Counters over recorded traffic (reset by reset()). */
export interface FakeAwsStats {
  /** IAM requests, throttled ones included. */
  iamCalls: number;
  stsCalls: number;
  configCalls: number;
  accountCalls: number;
  dynamodbCalls: number;
  /** Requests refused by the IAM token bucket. */
  throttled: number;
  /** Requests answered with an injected error (failNext/failAlways). */
  injected: number;
  /** Requests per action name, all services, errors included. */
  byAction: Record<string, number>;
  /** Requests being answered right now (latency included). */
  inFlight: number;
  /** Most requests ever in flight at once. */
  maxInFlight: number;
}

/** A result an aggregator holds for one resource of a source account and region. */
export interface FakeAggregateResult {
  accountId: string;
  awsRegion: string;
  /** The rule's name in the source account, e.g. OrgConfigRule-<name>-<suffix>. */
  configRuleName: string;
  resourceId: string;
  /** Default 'AWS::IAM::User'. */
  resourceType?: string;
  /** Aggregators keep COMPLIANT and NON_COMPLIANT results only; others are dropped on set. */
  complianceType: string;
  annotation?: string;
  /** Default 2020-01-01T00:00:00Z. */
  orderingTimestamp?: Date;
}

/** How a fake aggregator answers. */
export interface FakeAggregatorOptions {
  /** Most items any page holds, whatever Limit asks (real services cap pages too); default no cap. */
  maxPageSize?: number;
}

/** A configuration recorder as DescribeConfigurationRecorders describes it (the API's field names). */
export interface FakeConfigurationRecorder {
  name: string;
  arn?: string;
  roleARN?: string;
  recordingGroup?: {
    allSupported?: boolean;
    includeGlobalResourceTypes?: boolean;
    resourceTypes?: string[];
    exclusionByResourceTypes?: { resourceTypes?: string[] };
    recordingStrategy?: { useOnly?: string };
  };
  recordingScope?: 'INTERNAL' | 'PAID';
  /** Set for a service-linked recorder. */
  servicePrincipal?: string;
}

/** A region of the account as ListRegions describes it. */
export interface FakeRegion {
  RegionName: string;
  RegionOptStatus: 'ENABLED' | 'ENABLING' | 'DISABLING' | 'DISABLED' | 'ENABLED_BY_DEFAULT';
}

/** A Config rule as DescribeConfigRules describes it. */
export interface FakeConfigRule {
  ConfigRuleName: string;
  /** Default arn:aws:config:us-east-1:<account>:config-rule/config-rule-<id> (configRuleArn). */
  ConfigRuleArn?: string;
  /** A JSON object of strings, as Config stores it; absent when the rule has none. */
  InputParameters?: string;
}

/** A request about to be answered, as a beforeAnswering hook sees it. */
export interface FakeAwsRequest {
  action: string;
  params: Record<string, unknown>;
  accountId: string;
}
