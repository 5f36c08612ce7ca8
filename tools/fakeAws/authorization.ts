/**
 * What IAM authorizes a request of the fake by: the action, the resource ARN and the request's
 * condition keys, as AWS's Service Authorization Reference defines them for that action. The
 * permission tests evaluate recorded calls against the packaged roles with these
 * (test/permissions/). An action the fake serves needs an entry here: in RESOURCELESS when the
 * Reference lists no resource type for it (the request is authorized on "*"), else in RESOURCES;
 * those tests check both lists against the Reference.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import { tableArn } from './dynamodb';
import type { AccountState, UserState } from './state';
import type { FakeService } from './types';

/** A request as IAM authorizes it. */
export interface AuthorizedRequest {
  /** service:Action, e.g. iam:TagUser. */
  action: string;
  /** The resource ARN IAM matches the policy's Resource against; "*" for an action without resource types; undefined when this file does not say. */
  resource: string | undefined;
  /** The request's own condition keys (aws:TagKeys, aws:RequestTag/<key>); the evaluator adds the principal's. */
  context: Record<string, string | string[]>;
}

/** What a resource derivation gets: the request's parameters, the account it acts on and the region it was signed for. */
interface RequestFacts {
  params: Record<string, unknown>;
  account: AccountState;
  region: string;
}

/** Actions the Reference lists without a resource type. */
const RESOURCELESS = new Set([
  'iam:ListUsers',
  'config:PutEvaluations',
  'config:GetResourceConfigHistory',
  'config:ListDiscoveredResources',
  'config:DescribeConfigRules',
]);

/** An IAM user's ARN as IAM authorizes it: with its path (arn:aws:iam::123456789012:user/team/ops/alice). */
function userArn(facts: RequestFacts, user: UserState | undefined, name: unknown): string {
  return user?.arn ?? `arn:aws:iam::${facts.account.accountId}:user/${String(name)}`;
}

const byUserName = (facts: RequestFacts) =>
  userArn(facts, facts.account.usersByName.get(String(facts.params.UserName)), facts.params.UserName);

/** A DynamoDB table by its TableName (a name, or since 2024 the table's ARN). */
const byTableName = (facts: RequestFacts) => {
  const name = String(facts.params.TableName);
  return name.startsWith('arn:') ? name : tableArn(facts.region, facts.account.accountId, name);
};

/** The resource each action with resource types acts on. */
const RESOURCES: Record<string, (facts: RequestFacts) => string> = {
  'iam:GetUser': byUserName,
  'iam:ListAccessKeys': byUserName,
  'iam:ListUserTags': byUserName,
  'iam:TagUser': byUserName,
  'iam:UntagUser': byUserName,
  'iam:UpdateAccessKey': byUserName,
  'iam:DeleteAccessKey': byUserName,
  // The key's owner: the request names only the key.
  'iam:GetAccessKeyLastUsed': (facts) => {
    const owner = facts.account.keysById.get(String(facts.params.AccessKeyId))?.user;
    return userArn(facts, owner, '*');
  },
  'sts:AssumeRole': (facts) => String(facts.params.RoleArn),
  'config:GetComplianceDetailsByConfigRule': (facts) => facts.account.configRuleArn(String(facts.params.ConfigRuleName), facts.region),
  // The call names no recorder; the Reference requires a recorder resource, so IAM authorizes it on
  // the region's recorder (which it checks when there is none is not documented: the roles grant "*").
  'config:DescribeConfigurationRecorders': (facts) => {
    const recorder = facts.account.recorders.get(facts.region)?.[0];
    return (
      recorder?.arn ??
      `arn:aws:config:${facts.region}:${facts.account.accountId}:configuration-recorder/${recorder?.name ?? 'default'}/fakerecorderid`
    );
  },
  // Without AccountId, ListRegions acts on the caller's own account.
  'account:ListRegions': (facts) => `arn:aws:account::${facts.account.accountId}:account`,
  'dynamodb:GetItem': byTableName,
  'dynamodb:PutItem': byTableName,
  'dynamodb:UpdateItem': byTableName,
  'dynamodb:DeleteItem': byTableName,
};

/** The values of an awsQuery list parameter: `name(1)`, `name(2)`, … while present. */
function listed(params: Record<string, unknown>, name: (index: number) => string): string[] {
  const values: string[] = [];
  for (let index = 1; params[name(index)] !== undefined; index++) values.push(String(params[name(index)]));
  return values;
}

/** The request's condition keys of the tagging actions. https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html */
function requestContext(action: string, params: Record<string, unknown>): Record<string, string | string[]> {
  if (action === 'iam:TagUser') {
    const keys = listed(params, (index) => `Tags.member.${index}.Key`);
    const values = listed(params, (index) => `Tags.member.${index}.Value`);
    return { 'aws:TagKeys': keys, ...Object.fromEntries(keys.map((key, index) => [`aws:RequestTag/${key}`, values[index] ?? ''])) };
  }
  if (action === 'iam:UntagUser') return { 'aws:TagKeys': listed(params, (index) => `TagKeys.member.${index}`) };
  return {};
}

/**
 * The request's DynamoDB condition keys: the partition key values it touches (LeadingKeys), and
 * ReturnValues when set. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 */
function dynamodbContext(action: string, facts: RequestFacts): Record<string, string | string[]> {
  if (!action.startsWith('dynamodb:')) return {};
  const name = String(facts.params.TableName);
  const tableName = name.startsWith('arn:') ? name.slice(name.lastIndexOf('/') + 1) : name;
  const hashKey = facts.account.tables.get(tableName)?.hashKey.name ?? facts.account.upstreamHashKeys.get(tableName);
  const key = (action === 'dynamodb:PutItem' ? facts.params.Item : facts.params.Key) as Record<string, Record<string, unknown>> | undefined;
  const context: Record<string, string | string[]> = {};
  if (hashKey && key?.[hashKey]) context['dynamodb:LeadingKeys'] = [String(Object.values(key[hashKey])[0])];
  if (typeof facts.params.ReturnValues === 'string') context['dynamodb:ReturnValues'] = facts.params.ReturnValues;
  return context;
}

/** The request of `action` as IAM authorizes it, derived before the fake acts on it (the state it names may change). */
export function authorizationOf(service: FakeService, action: string, facts: RequestFacts): AuthorizedRequest {
  const name = `${service}:${action}`;
  const derive = Object.hasOwn(RESOURCES, name) ? RESOURCES[name] : undefined;
  const resource = derive ? derive(facts) : RESOURCELESS.has(name) ? '*' : undefined;
  return { action: name, resource, context: { ...requestContext(name, facts.params), ...dynamodbContext(name, facts) } };
}
