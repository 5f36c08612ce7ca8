/**
 * DynamoDB actions of the fake (awsJson1_0, X-Amz-Target DynamoDB_20120810.<Operation>): tables with
 * a partition key only, CreateTable, DescribeTable, PutItem, GetItem and DeleteItem with condition
 * expressions (conditionExpression.ts). Writes and reads are strongly consistent, as single-item
 * operations on one table are. Expired items are not removed: DynamoDB's TTL deletes them in the
 * background, typically within a few days, and until then reads return them.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
import { type AttributeValue, type Item, notImplemented, parseCondition, parseNumber } from './conditionExpression';
import type { AccountState } from './state';
import { ApiError } from './wire';

export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810';

/** The ARN of table `name` of an account in a region. */
export const tableArn = (region: string, accountId: string, name: string): string =>
  `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
/** A table of the fake: one partition key, items by their key value. */
export interface TableState {
  name: string;
  arn: string;
  hashKey: { name: string; type: 'S' | 'N' | 'B' };
  /** TimeToLiveSpecification.AttributeName when TTL is enabled. */
  ttlAttribute?: string;
  createdAt: Date;
  items: Map<string, Item>;
}

/** What a DynamoDB action gets. */
export interface DynamoDbContext {
  account: AccountState;
  params: Record<string, unknown>;
  /** The region of the request's signature (the ARN of a table it creates). */
  region: string;
}

/** A DynamoDB action: the response object. */
export type DynamoDbAction = (ctx: DynamoDbContext) => unknown;

/** A table as CreateTable (and CloudFormation's AWS::DynamoDB::Table) describes it. */
export interface TableDefinition {
  TableName: string;
  KeySchema: { AttributeName: string; KeyType: string }[];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
}

function validation(message: string): ApiError {
  return new ApiError(400, 'ValidationException', message);
}

function notFound(): ApiError {
  return new ApiError(400, 'ResourceNotFoundException', 'Requested resource not found');
}

/** Creates a table in `account`; ResourceInUseException if it exists. */
export function createTable(account: AccountState, definition: TableDefinition, region: string): TableState {
  const name = definition.TableName;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{3,255}$/.test(name))
    throw validation(`TableName must be 3 to 255 characters of [A-Za-z0-9_.-], got ${JSON.stringify(name)}`);
  if (account.tables.has(name)) throw new ApiError(400, 'ResourceInUseException', `Table already exists: ${name}`);
  const keys = definition.KeySchema ?? [];
  if (keys.length !== 1 || keys[0]!.KeyType !== 'HASH') throw notImplemented('tables with a sort key (KeySchema must be one HASH key)');
  const hashName = keys[0]!.AttributeName;
  const type = (definition.AttributeDefinitions ?? []).find((attribute) => attribute.AttributeName === hashName)?.AttributeType;
  if (type !== 'S' && type !== 'N' && type !== 'B')
    throw validation(
      `One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${hashName}]`,
    );
  const ttl = definition.TimeToLiveSpecification;
  const table: TableState = {
    name,
    arn: tableArn(region, account.accountId, name),
    hashKey: { name: hashName, type },
    ...(ttl?.Enabled ? { ttlAttribute: ttl.AttributeName } : {}),
    createdAt: new Date(),
    items: new Map(),
  };
  account.tables.set(name, table);
  return table;
}

/** The table a request names, by name or ARN. */
function tableOf(ctx: DynamoDbContext): TableState {
  const given = ctx.params.TableName;
  if (typeof given !== 'string' || given === '')
    throw validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
  const name = given.startsWith('arn:') ? given.slice(given.indexOf(':table/') + ':table/'.length) : given;
  const table = ctx.account.tables.get(name);
  if (!table || (given.startsWith('arn:') && given !== table.arn)) throw notFound();
  return table;
}

const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'];

/** Checks an AttributeValue as DynamoDB does: exactly one type, a value of that type. */
function checkValue(value: unknown, where: string): AttributeValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw validation(`Supplied AttributeValue is empty, must contain exactly one of the supported datatypes (${where})`);
  const entries = Object.entries(value);
  if (entries.length !== 1 || !TYPES.includes(entries[0]![0]))
    throw validation(
      `Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes (${where})`,
    );
  const [type, inner] = entries[0]!;
  const ok =
    type === 'S' || type === 'B'
      ? typeof inner === 'string'
      : type === 'N'
        ? typeof inner === 'string' && parseNumber(inner) !== undefined
        : type === 'BOOL'
          ? typeof inner === 'boolean'
          : type === 'NULL'
            ? inner === true
            : type === 'SS' || type === 'BS'
              ? Array.isArray(inner) && inner.length > 0 && inner.every((member) => typeof member === 'string')
              : type === 'NS'
                ? Array.isArray(inner) &&
                  inner.length > 0 &&
                  inner.every((member) => typeof member === 'string' && parseNumber(member) !== undefined)
                : type === 'L'
                  ? Array.isArray(inner) && inner.every((member, index) => checkValue(member, `${where}[${index}]`))
                  : typeof inner === 'object' &&
                    inner !== null &&
                    !Array.isArray(inner) &&
                    Object.entries(inner).every(([name, member]) => checkValue(member, `${where}.${name}`));
  if (!ok)
    throw validation(
      type === 'N'
        ? 'The parameter cannot be converted to a numeric value'
        : `One or more parameter values were invalid: an AttributeValue of type ${type} is malformed (${where})`,
    );
  return value as AttributeValue;
}

function checkItem(raw: unknown, member: string): Item {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  const item: Item = {};
  for (const [name, value] of Object.entries(raw)) item[name] = checkValue(value, name);
  return item;
}

/** The item's key value as a map key; ValidationException when it is missing or of another type. */
function keyOf(table: TableState, item: Item, what: 'item' | 'key'): string {
  const value = item[table.hashKey.name];
  if (value === undefined)
    throw validation(`One or more parameter values were invalid: Missing the key ${table.hashKey.name} in the ${what}`);
  const [type] = Object.keys(value);
  if (type !== table.hashKey.type)
    throw validation(
      `One or more parameter values were invalid: Type mismatch for key ${table.hashKey.name} expected: ${table.hashKey.type} actual: ${type}`,
    );
  const text = String(value[type]);
  if (text === '')
    throw validation(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${table.hashKey.name}`,
    );
  return text;
}

/** The condition of a write, or undefined when it has none; names and values without an expression are refused as DynamoDB does. */
function conditionOf(params: Record<string, unknown>) {
  const expression = params.ConditionExpression;
  const names = params.ExpressionAttributeNames as Record<string, string> | undefined;
  const rawValues = params.ExpressionAttributeValues as Record<string, unknown> | undefined;
  if (params.Expected !== undefined || params.ConditionalOperator !== undefined)
    throw notImplemented('the legacy Expected and ConditionalOperator parameters');
  if (expression === undefined) {
    if (names !== undefined) throw validation('ExpressionAttributeNames can only be specified when using expressions');
    if (rawValues !== undefined) throw validation('ExpressionAttributeValues can only be specified when using expressions');
    return undefined;
  }
  if (typeof expression !== 'string') throw validation('ConditionExpression must be a string');
  const values: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(rawValues ?? {})) values[name] = checkValue(value, name);
  return parseCondition(expression, names ?? {}, values);
}

/** NONE (the default) or ALL_OLD, the values PutItem and DeleteItem take. */
function returnChoice(params: Record<string, unknown>, name: 'ReturnValues' | 'ReturnValuesOnConditionCheckFailure'): 'NONE' | 'ALL_OLD' {
  const value = params[name] ?? 'NONE';
  if (value !== 'NONE' && value !== 'ALL_OLD')
    throw validation(`${name} ${JSON.stringify(value)} is not valid for this operation: NONE or ALL_OLD`);
  return value;
}

function conditionFailed(current: Item | undefined, returnOnFailure: 'NONE' | 'ALL_OLD'): ApiError {
  return new ApiError(
    400,
    'ConditionalCheckFailedException',
    'The conditional request failed',
    returnOnFailure === 'ALL_OLD' && current ? { Item: current } : undefined,
  );
}

function describe(table: TableState) {
  return {
    TableName: table.name,
    TableArn: table.arn,
    TableStatus: 'ACTIVE',
    CreationDateTime: table.createdAt,
    KeySchema: [{ AttributeName: table.hashKey.name, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: table.hashKey.name, AttributeType: table.hashKey.type }],
    BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    ItemCount: table.items.size,
  };
}

const UNSUPPORTED = ['ReturnConsumedCapacity', 'ReturnItemCollectionMetrics', 'ProjectionExpression', 'AttributesToGet'];

function refuseUnsupported(params: Record<string, unknown>): void {
  for (const name of UNSUPPORTED) if (params[name] !== undefined && params[name] !== 'NONE') throw notImplemented(`the parameter ${name}`);
}

/** DynamoDB actions by name. */
export const dynamodbActions: Record<string, DynamoDbAction> = {
  CreateTable(ctx) {
    const billing = ctx.params.BillingMode;
    if (billing !== 'PAY_PER_REQUEST') throw notImplemented(`BillingMode ${JSON.stringify(billing)} (only PAY_PER_REQUEST)`);
    return { TableDescription: describe(createTable(ctx.account, ctx.params as unknown as TableDefinition, ctx.region)) };
  },

  DescribeTable(ctx) {
    return { Table: describe(tableOf(ctx)) };
  },

  PutItem(ctx) {
    refuseUnsupported(ctx.params);
    const table = tableOf(ctx);
    const item = checkItem(ctx.params.Item, 'item');
    const key = keyOf(table, item, 'item');
    const returnValues = returnChoice(ctx.params, 'ReturnValues');
    const returnOnFailure = returnChoice(ctx.params, 'ReturnValuesOnConditionCheckFailure');
    const condition = conditionOf(ctx.params);
    const current = table.items.get(key);
    if (condition && !condition.holds(current)) throw conditionFailed(current, returnOnFailure);
    table.items.set(key, structuredClone(item));
    return returnValues === 'ALL_OLD' && current ? { Attributes: current } : {};
  },

  GetItem(ctx) {
    refuseUnsupported(ctx.params);
    const table = tableOf(ctx);
    const key = checkItem(ctx.params.Key, 'key');
    if (Object.keys(key).length !== 1) throw validation('The provided key element does not match the schema');
    const item = table.items.get(keyOf(table, key, 'key'));
    return item ? { Item: structuredClone(item) } : {};
  },

  DeleteItem(ctx) {
    refuseUnsupported(ctx.params);
    const table = tableOf(ctx);
    const key = checkItem(ctx.params.Key, 'key');
    if (Object.keys(key).length !== 1) throw validation('The provided key element does not match the schema');
    const keyValue = keyOf(table, key, 'key');
    const returnValues = returnChoice(ctx.params, 'ReturnValues');
    const returnOnFailure = returnChoice(ctx.params, 'ReturnValuesOnConditionCheckFailure');
    const condition = conditionOf(ctx.params);
    const current = table.items.get(keyValue);
    if (condition && !condition.holds(current)) throw conditionFailed(current, returnOnFailure);
    table.items.delete(keyValue);
    return returnValues === 'ALL_OLD' && current ? { Attributes: current } : {};
  },
};
