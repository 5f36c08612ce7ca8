import {
  type AttributeValue,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { expect } from 'chai';
import { FakeAws } from '../../tools/fakeAws';
import { motoOrSkip } from '../support/motoServer';

// The fake's DynamoDB (awsJson1_0) through the real SDK client, and the same condition cases
// against moto_server's DynamoDB: where both answer, they must answer alike, so the fake's
// reading of DynamoDB's condition semantics is checked against a third party's.

const KEY = 'resourceId';
const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' };
let tableCounter = 0;

function client(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: CREDENTIALS, retryStrategy: new ConfiguredRetryStrategy(1, 5) });
}

async function newTable(dynamodb: DynamoDBClient): Promise<string> {
  tableCounter += 1;
  const name = `fake-dynamodb-test-${process.pid}-${tableCounter}`;
  await dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: KEY, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: KEY, AttributeType: 'S' }],
    }),
  );
  return name;
}

async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
}

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: string): AttributeValue => ({ N: value });

/** A conditional PutItem on an item that exists (`existing`) or not, and what DynamoDB answers. */
interface ConditionCase {
  name: string;
  existing?: Record<string, AttributeValue>;
  condition: string;
  names?: Record<string, string>;
  values?: Record<string, AttributeValue>;
  expected: 'ok' | 'ConditionalCheckFailedException' | 'ValidationException';
  /** How moto 5.2.1 answers where it differs from DynamoDB (the fake follows DynamoDB): the case is not run against moto. */
  motoDiffers?: string;
}

const LOCK = { [KEY]: S('AIDA1'), runId: S('run-a'), expiresAt: N('100') };
const NAMES = { '#key': KEY, '#expiresAt': 'expiresAt' };
const CASES: ConditionCase[] = [
  { name: 'attribute_not_exists on no item', condition: 'attribute_not_exists(#key)', names: { '#key': KEY }, expected: 'ok' },
  {
    name: 'attribute_not_exists on an item',
    existing: LOCK,
    condition: 'attribute_not_exists(#key)',
    names: { '#key': KEY },
    expected: 'ConditionalCheckFailedException',
  },
  {
    name: 'attribute_exists on no item',
    condition: 'attribute_exists(#key)',
    names: { '#key': KEY },
    expected: 'ConditionalCheckFailedException',
  },
  { name: 'NOT attribute_exists on no item', condition: 'NOT attribute_exists(#key)', names: { '#key': KEY }, expected: 'ok' },
  {
    name: 'an expired holder (100 < 101)',
    existing: LOCK,
    condition: 'attribute_not_exists(#key) OR #expiresAt < :now',
    names: NAMES,
    values: { ':now': N('101') },
    expected: 'ok',
  },
  {
    name: 'a holder expiring this second (100 < 100)',
    existing: LOCK,
    condition: 'attribute_not_exists(#key) OR #expiresAt < :now',
    names: NAMES,
    values: { ':now': N('100') },
    expected: 'ConditionalCheckFailedException',
  },
  {
    name: 'a live holder (100 < 99)',
    existing: LOCK,
    condition: 'attribute_not_exists(#key) OR #expiresAt < :now',
    names: NAMES,
    values: { ':now': N('99') },
    expected: 'ConditionalCheckFailedException',
  },
  {
    name: 'lower-case keywords',
    existing: LOCK,
    condition: 'attribute_not_exists(#key) or #expiresAt < :now',
    names: NAMES,
    values: { ':now': N('101') },
    expected: 'ok',
  },
  {
    name: 'numbers compared by value, not as text (9 < 10)',
    existing: { ...LOCK, expiresAt: N('9') },
    condition: '#expiresAt < :now',
    names: { '#expiresAt': 'expiresAt' },
    values: { ':now': N('10') },
    expected: 'ok',
  },
  {
    name: 'numbers written differently (100 = 1E2)',
    existing: LOCK,
    condition: '#expiresAt = :value',
    names: { '#expiresAt': 'expiresAt' },
    values: { ':value': N('1E2') },
    expected: 'ok',
  },
  {
    name: 'a number against a string of the same digits',
    existing: LOCK,
    condition: '#expiresAt = :value',
    names: { '#expiresAt': 'expiresAt' },
    values: { ':value': S('100') },
    expected: 'ConditionalCheckFailedException',
  },
  {
    name: 'a comparison with a missing attribute',
    existing: LOCK,
    condition: '#other < :value',
    names: { '#other': 'other' },
    values: { ':value': N('1') },
    expected: 'ConditionalCheckFailedException',
  },
  {
    name: 'a string equal',
    existing: LOCK,
    condition: '#runId = :runId',
    names: { '#runId': 'runId' },
    values: { ':runId': S('run-a') },
    expected: 'ok',
  },
  {
    name: 'a string not equal',
    existing: LOCK,
    condition: '#runId = :runId',
    names: { '#runId': 'runId' },
    values: { ':runId': S('run-b') },
    expected: 'ConditionalCheckFailedException',
  },
  {
    name: 'AND before OR (true OR (false AND false))',
    existing: { ...LOCK, a: S('x') },
    condition: 'attribute_exists(#a) OR attribute_exists(#b) AND attribute_exists(#c)',
    names: { '#a': 'a', '#b': 'b', '#c': 'c' },
    expected: 'ok',
  },
  {
    name: 'parentheses ((true OR false) AND false)',
    existing: { ...LOCK, a: S('x') },
    condition: '(attribute_exists(#a) OR attribute_exists(#b)) AND attribute_exists(#c)',
    names: { '#a': 'a', '#b': 'b', '#c': 'c' },
    expected: 'ConditionalCheckFailedException',
  },
  {
    name: 'an undefined value',
    condition: 'attribute_not_exists(#key) OR #expiresAt < :now',
    names: NAMES,
    expected: 'ValidationException',
    motoDiffers: 'an internal error (500)',
  },
  {
    name: 'an undefined name',
    condition: 'attribute_not_exists(#key)',
    expected: 'ValidationException',
    motoDiffers: 'an internal error (500)',
  },
  {
    name: 'a syntax error',
    condition: 'attribute_not_exists(#key) OR',
    names: { '#key': KEY },
    expected: 'ValidationException',
    motoDiffers: 'an internal error (500)',
  },
  {
    name: 'a value given and not used',
    condition: 'attribute_not_exists(#key)',
    names: { '#key': KEY },
    values: { ':now': N('1') },
    expected: 'ValidationException',
    motoDiffers: 'accepts it',
  },
];

/** Runs the cases against a DynamoDB endpoint. */
function conditionCases(endpoint: () => string, backend: 'fake' | 'moto'): void {
  for (const testCase of CASES.filter((candidate) => backend === 'fake' || candidate.motoDiffers === undefined)) {
    const expected = testCase.expected;
    it(`answers ${expected} for ${testCase.name}`, async () => {
      // Prepare
      const dynamodb = client(endpoint());
      const table = await newTable(dynamodb);
      if (testCase.existing) await dynamodb.send(new PutItemCommand({ TableName: table, Item: testCase.existing }));

      // Act
      const outcome = await outcomeOf(
        dynamodb.send(
          new PutItemCommand({
            TableName: table,
            Item: { [KEY]: S('AIDA1'), runId: S('run-new') },
            ConditionExpression: testCase.condition,
            ...(testCase.names ? { ExpressionAttributeNames: testCase.names } : {}),
            ...(testCase.values ? { ExpressionAttributeValues: testCase.values } : {}),
          }),
        ),
      );

      // Assess
      expect(outcome).to.equal(expected);
      const stored = (await dynamodb.send(new GetItemCommand({ TableName: table, Key: { [KEY]: S('AIDA1') }, ConsistentRead: true }))).Item;
      expect(stored?.runId).to.deep.equal(outcome === 'ok' ? S('run-new') : testCase.existing?.runId);
    });
  }

  it('returns the item that failed the condition (ReturnValuesOnConditionCheckFailure ALL_OLD)', async () => {
    // Prepare
    const dynamodb = client(endpoint());
    const table = await newTable(dynamodb);
    await dynamodb.send(new PutItemCommand({ TableName: table, Item: LOCK }));

    // Act
    const error = await dynamodb
      .send(
        new PutItemCommand({
          TableName: table,
          Item: { [KEY]: S('AIDA1') },
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': KEY },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .then(
        () => undefined,
        (caught: Error & { Item?: unknown }) => caught,
      );

    // Assess
    expect(error?.name).to.equal('ConditionalCheckFailedException');
    expect(error?.Item).to.deep.equal(LOCK);
  });

  it('returns the item a write replaced (ReturnValues ALL_OLD), and nothing for a new one', async () => {
    // Prepare
    const dynamodb = client(endpoint());
    const table = await newTable(dynamodb);
    const put = () =>
      dynamodb.send(new PutItemCommand({ TableName: table, Item: { ...LOCK, runId: S('run-b') }, ReturnValues: 'ALL_OLD' }));

    // Act
    const first = await put();
    const second = await put();

    // Assess
    expect(first.Attributes).to.equal(undefined);
    expect(second.Attributes).to.deep.equal({ ...LOCK, runId: S('run-b') });
  });

  const deletes: { name: string; existing?: Record<string, AttributeValue>; runId: string; expected: string }[] = [
    { name: 'the holder deletes its item', existing: LOCK, runId: 'run-a', expected: 'ok' },
    { name: 'another run cannot delete it', existing: LOCK, runId: 'run-b', expected: 'ConditionalCheckFailedException' },
    { name: 'a condition on no item fails', runId: 'run-a', expected: 'ConditionalCheckFailedException' },
  ];
  for (const { name, existing, runId, expected } of deletes) {
    it(`deletes with a condition: ${name}`, async () => {
      // Prepare
      const dynamodb = client(endpoint());
      const table = await newTable(dynamodb);
      if (existing) await dynamodb.send(new PutItemCommand({ TableName: table, Item: existing }));

      // Act
      const outcome = await outcomeOf(
        dynamodb.send(
          new DeleteItemCommand({
            TableName: table,
            Key: { [KEY]: S('AIDA1') },
            ConditionExpression: '#runId = :runId',
            ExpressionAttributeNames: { '#runId': 'runId' },
            ExpressionAttributeValues: { ':runId': S(runId) },
          }),
        ),
      );

      // Assess
      expect(outcome).to.equal(expected);
      const stored = (await dynamodb.send(new GetItemCommand({ TableName: table, Key: { [KEY]: S('AIDA1') }, ConsistentRead: true }))).Item;
      expect(stored).to.deep.equal(outcome === 'ok' ? undefined : existing);
    });
  }

  it('answers ResourceNotFoundException for a table that does not exist', async () => {
    expect(
      await outcomeOf(client(endpoint()).send(new PutItemCommand({ TableName: 'no-such-table', Item: { [KEY]: S('AIDA1') } }))),
    ).to.equal('ResourceNotFoundException');
  });
}

describe('FakeAws DynamoDB (awsJson1_0)', () => {
  let fake: FakeAws;
  before(async () => {
    fake = await FakeAws.start();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  describe('condition expressions', () => conditionCases(() => fake.url, 'fake'));

  const refused: { name: string; condition: string; names?: Record<string, string>; values?: Record<string, AttributeValue> }[] = [
    { name: 'a bare attribute name (it does not know the reserved words)', condition: 'attribute_not_exists(resourceId)' },
    { name: '<>', condition: '#runId <> :runId', names: { '#runId': 'runId' }, values: { ':runId': S('a') } },
    { name: 'BETWEEN', condition: '#e BETWEEN :a AND :b', names: { '#e': 'e' }, values: { ':a': N('1'), ':b': N('2') } },
    { name: 'begins_with', condition: 'begins_with(#runId, :prefix)', names: { '#runId': 'runId' }, values: { ':prefix': S('r') } },
    { name: 'a nested path', condition: 'attribute_exists(#m.#n)', names: { '#m': 'm', '#n': 'n' } },
  ];
  for (const { name, condition, names, values } of refused) {
    it(`refuses ${name} rather than guess, naming it`, async () => {
      // Prepare
      const dynamodb = client(fake.url);
      const table = await newTable(dynamodb);

      // Act
      const error = await dynamodb
        .send(
          new PutItemCommand({
            TableName: table,
            Item: { [KEY]: S('AIDA1') },
            ConditionExpression: condition,
            ...(names ? { ExpressionAttributeNames: names } : {}),
            ...(values ? { ExpressionAttributeValues: values } : {}),
          }),
        )
        .then(
          () => undefined,
          (caught: Error) => caught,
        );

      // Assess
      expect(error?.name).to.equal('NotImplementedByFakeAws');
      expect(error?.message).to.match(/^fakeAws does not implement /);
      expect(fake.tableItems(table)).to.deep.equal([]);
    });
  }

  it('refuses a key of the wrong type, and an item without its key', async () => {
    // Prepare
    const dynamodb = client(fake.url);
    const table = await newTable(dynamodb);

    // Act
    const wrongType = await outcomeOf(dynamodb.send(new PutItemCommand({ TableName: table, Item: { [KEY]: N('1') } })));
    const noKey = await outcomeOf(dynamodb.send(new PutItemCommand({ TableName: table, Item: { runId: S('a') } })));

    // Assess
    expect([wrongType, noKey]).to.deep.equal(['ValidationException', 'ValidationException']);
  });

  it('creates a table from CloudFormation-shaped properties, keeps expired items (TTL deletes them later), and records each call', async () => {
    // Prepare
    const arn = fake.createTable({
      TableName: 'lock-table',
      KeySchema: [{ AttributeName: KEY, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: KEY, AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    const dynamodb = client(fake.url);

    // Act
    await dynamodb.send(new PutItemCommand({ TableName: arn, Item: { [KEY]: S('AIDA1'), expiresAt: N('1') } }));

    // Assess
    expect(arn).to.equal('arn:aws:dynamodb:us-east-1:123456789012:table/lock-table');
    expect(fake.tableItems('lock-table')).to.deep.equal([{ [KEY]: S('AIDA1'), expiresAt: N('1') }]);
    expect(fake.calls.map(({ service, action, status }) => ({ service, action, status }))).to.deep.equal([
      { service: 'dynamodb', action: 'PutItem', status: 200 },
    ]);
    expect(fake.stats().dynamodbCalls).to.equal(1);
  });

  it('injects faults into DynamoDB calls like any other', async () => {
    // Prepare
    const dynamodb = client(fake.url);
    const table = await newTable(dynamodb);
    fake.failNext('PutItem', { status: 400, code: 'AccessDeniedException' });

    // Act
    const error = await dynamodb.send(new PutItemCommand({ TableName: table, Item: { [KEY]: S('AIDA1') } })).then(
      () => undefined,
      (caught: Error) => caught,
    );

    // Assess
    expect(error?.name).to.equal('AccessDeniedException');
    expect(fake.tableItems(table)).to.deep.equal([]);
  });
});

describe('FakeAws answerTogether and failRandomly', () => {
  let fake: FakeAws;
  before(async () => {
    fake = await FakeAws.start();
    fake.addUser({ userName: 'alice', userId: 'AIDAALICE0000000000' });
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('holds requests until the count has arrived, then answers them in arrival order', async () => {
    // Prepare
    const iam = new IAMClient({ region: 'us-east-1', endpoint: fake.url, credentials: CREDENTIALS });
    fake.answerTogether('GetUser', 3);
    const answered: number[] = [];

    // Act: two requests wait for the third
    const first = [1, 2].map((n) => iam.send(new GetUserCommand({ UserName: 'alice' })).then(() => answered.push(n)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const heldBefore = answered.length;
    await Promise.all([...first, iam.send(new GetUserCommand({ UserName: 'alice' })).then(() => answered.push(3))]);

    // Assess
    expect(heldBefore).to.equal(0);
    expect(answered).to.have.members([1, 2, 3]);
    expect(fake.callsOf('GetUser')).to.have.length(3);
  });

  it('fails the given share of matching requests, the same ones for the same seed', async () => {
    // Prepare
    const iam = new IAMClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: CREDENTIALS,
      retryStrategy: new ConfiguredRetryStrategy(1, 5),
    });
    const run = async () => {
      fake.reset();
      fake.failRandomly('iam:*', { status: 400, code: 'Throttling' }, 0.6, 42);
      const outcomes: string[] = [];
      for (let index = 0; index < 200; index += 1) outcomes.push(await outcomeOf(iam.send(new GetUserCommand({ UserName: 'alice' }))));
      return outcomes;
    };

    // Act
    const once = await run();
    const again = await run();

    // Assess
    const throttled = once.filter((outcome) => outcome === 'Throttling').length;
    expect(throttled).to.be.within(100, 140);
    expect(again).to.deep.equal(once);
  });
});

// The cases where moto 5.2.1 differs from DynamoDB (motoDiffers) run against the fake only.
describe('moto_server DynamoDB: the same condition cases', function () {
  this.timeout(60_000);
  let moto: string;
  before(async function () {
    moto = await motoOrSkip(this, "the condition cases against moto's DynamoDB");
  });

  describe('condition expressions', () => conditionCases(() => moto, 'moto'));
});

describe('FakeAws forwarding DynamoDB to moto_server', function () {
  this.timeout(60_000);
  let fake: FakeAws | undefined;
  before(async function () {
    const moto = await motoOrSkip(this, 'the fake forwarding DynamoDB to moto');
    fake = await FakeAws.start({ dynamoDbEndpoint: moto });
  });
  after(async () => {
    await fake?.close();
  });

  it("answers with moto's tables, after the fake's fault injection, recording each call", async () => {
    // Prepare
    const dynamodb = client(fake!.url);
    const table = await newTable(dynamodb);
    fake!.reset();
    fake!.failNext('PutItem', { status: 400, code: 'AccessDeniedException' });

    // Act
    const denied = await outcomeOf(dynamodb.send(new PutItemCommand({ TableName: table, Item: LOCK })));
    const taken = await outcomeOf(
      dynamodb.send(
        new PutItemCommand({
          TableName: table,
          Item: LOCK,
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': KEY },
        }),
      ),
    );
    const refused = await outcomeOf(
      dynamodb.send(
        new PutItemCommand({
          TableName: table,
          Item: LOCK,
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': KEY },
        }),
      ),
    );

    // Assess
    expect([denied, taken, refused]).to.deep.equal(['AccessDeniedException', 'ok', 'ConditionalCheckFailedException']);
    expect(fake!.calls.map(({ action, status, errorCode }) => ({ action, status, errorCode }))).to.deep.equal([
      { action: 'PutItem', status: 400, errorCode: 'AccessDeniedException' },
      { action: 'PutItem', status: 200, errorCode: undefined },
      { action: 'PutItem', status: 400, errorCode: 'ConditionalCheckFailedException' },
    ]);
  });
});
