import { ConfigServiceClient, DescribeConfigRulesCommand, ListDiscoveredResourcesCommand } from '@aws-sdk/client-config-service';
import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  NoSuchEntityException,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import { resetClients } from '../../../src/config/awsClients';
import { logger } from '../../../src/config/logger';
import { LockNotReleasedError, RemediationError, UnknownIamUserError } from '../../../src/iam-user-single-access-key/remediation/errors';
import { handler, LOCK_EXPIRY_MARGIN_MS } from '../../../src/iam-user-single-access-key/remediation/handler';
import { ALICE, daysAgo, KEY, NOW } from './fixtures';

type KeySpec = { id: string; status?: 'Active' | 'Inactive'; created: number; used: number | null };

function accessDenied(api: string): Error {
  return Object.assign(new Error(`not authorized to perform: ${api}`), {
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
  });
}
const noSuchEntity = () => new NoSuchEntityException({ message: 'cannot be found', $metadata: {} });
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => error,
  );
const LOCK_TABLE = 'iam-user-single-access-key-dev-RemediationLockTable-1A2B3C4D5E6F';
const EXECUTION_ID = '4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab';

describe('remediation handler', () => {
  // Created per suite and restored after it: a mock stubs every client of its class.
  let iam: AwsClientStub<IAMClient>;
  let config: AwsClientStub<ConfigServiceClient>;
  let dynamodb: AwsClientStub<DynamoDBClient>;
  let clock: sinon.SinonFakeTimers;
  let logs: { info: sinon.SinonSpy; warn: sinon.SinonSpy; error: sinon.SinonSpy };
  const saved = { allowDelete: process.env.ALLOW_DELETE, lockTable: process.env.LOCK_TABLE_NAME };

  before(() => {
    iam = mockClient(IAMClient);
    config = mockClient(ConfigServiceClient);
    dynamodb = mockClient(DynamoDBClient);
  });
  after(() => {
    iam.restore();
    config.restore();
    dynamodb.restore();
  });

  beforeEach(() => {
    iam.reset();
    config.reset();
    dynamodb.reset();
    resetClients();
    delete process.env.ALLOW_DELETE;
    process.env.LOCK_TABLE_NAME = LOCK_TABLE;
    // The lock is free: taken and released.
    dynamodb.on(PutItemCommand).resolves({});
    dynamodb.on(DeleteItemCommand).resolves({});
    clock = sinon.useFakeTimers({ now: NOW, toFake: ['Date'] });
    logs = { info: sinon.spy(logger, 'info'), warn: sinon.spy(logger, 'warn'), error: sinon.spy(logger, 'error') };
    // Config knows alice by her id; IAM confirms the name.
    config
      .on(ListDiscoveredResourcesCommand)
      .resolves({ resourceIdentifiers: [{ resourceType: 'AWS::IAM::User', resourceId: ALICE.userId, resourceName: 'alice' }] });
    answerGetUser('alice', ALICE.userId, ALICE.path);
    // Writes change alice's keys as IAM would, so the checks after a change see it.
    iam.on(UpdateAccessKeyCommand).callsFake((input: { AccessKeyId: string; Status: 'Active' | 'Inactive' }) => {
      const key = aliceState.find((candidate) => candidate.AccessKeyId === input.AccessKeyId);
      if (key) key.Status = input.Status;
      return {};
    });
    iam.on(DeleteAccessKeyCommand).callsFake((input: { AccessKeyId: string }) => {
      aliceState = aliceState.filter((candidate) => candidate.AccessKeyId !== input.AccessKeyId);
      return {};
    });
  });

  afterEach(() => {
    clock.restore();
    sinon.restore();
    for (const [name, value] of [
      ['ALLOW_DELETE', saved.allowDelete],
      ['LOCK_TABLE_NAME', saved.lockTable],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  /** GetUser for `name` answers this user. */
  function answerGetUser(name: string, userId: string, path: string): void {
    iam
      .on(GetUserCommand, { UserName: name })
      .resolves({ User: { UserName: name, UserId: userId, Path: path, Arn: 'arn', CreateDate: daysAgo(900) } });
  }

  /** Alice's keys as ListAccessKeys and GetAccessKeyLastUsed answer. */
  let aliceState: { UserName: string; AccessKeyId: string; Status: string; CreateDate: Date }[] = [];
  function aliceKeys(keys: KeySpec[]): void {
    aliceState = keys.map((k) => ({ UserName: 'alice', AccessKeyId: k.id, Status: k.status ?? 'Active', CreateDate: daysAgo(k.created) }));
    iam.on(ListAccessKeysCommand, { UserName: 'alice' }).callsFake(() => ({ AccessKeyMetadata: aliceState.map((key) => ({ ...key })) }));
    for (const k of keys) {
      iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: k.id }).resolves({
        UserName: 'alice',
        AccessKeyLastUsed:
          k.used === null
            ? { ServiceName: 'N/A', Region: 'N/A' }
            : { LastUsedDate: daysAgo(k.used), ServiceName: 's3', Region: 'eu-west-1' },
      });
    }
  }
  const twoKeys: KeySpec[] = [
    { id: KEY.old, created: 400, used: 1 },
    { id: KEY.new, created: 2, used: null },
  ];
  const payload = (overrides: Record<string, string> = {}) => ({
    IAMResourceId: ALICE.userId,
    MaxAccessKeys: '1',
    Action: 'Deactivate',
    DryRun: 'false',
    AutomationExecutionId: EXECUTION_ID,
    ...overrides,
  });
  const writes = () =>
    iam
      .calls()
      .map((call) => call.args[0])
      .filter((command) => command instanceof UpdateAccessKeyCommand || command instanceof DeleteAccessKeyCommand)
      .map((command) => `${command.constructor.name} ${JSON.stringify(command.input)}`);

  it('deactivates the key not in use, keeps the one in use, and says so with masked ids', async () => {
    // Prepare
    aliceKeys(twoKeys);

    // Act
    const result = await handler(payload());

    // Assess
    expect(writes()).to.deep.equal([`UpdateAccessKeyCommand {"UserName":"alice","AccessKeyId":"${KEY.new}","Status":"Inactive"}`]);
    expect(result).to.deep.equal({
      summary: `IAM user alice (${ALICE.userId}): kept ****OLD1; deactivated ****NEW2.`,
      succeeded: true,
      outcome: 'remediated',
      iamResourceId: ALICE.userId,
      userName: 'alice',
      path: '/team/ops/',
      action: 'Deactivate',
      maxAccessKeys: 1,
      parameters: { source: 'document', countInactiveKeys: false, rotationGraceHours: 0 },
      dryRun: false,
      plan: {
        keep: [{ accessKeyId: '****OLD1', status: 'Active', createDate: daysAgo(400).toISOString(), lastUsed: daysAgo(1).toISOString() }],
        deactivate: [{ accessKeyId: '****NEW2', status: 'Active', createDate: daysAgo(2).toISOString(), lastUsed: 'never' }],
        delete: [],
      },
      deactivated: ['****NEW2'],
      deleted: [],
      alreadyGone: [],
      changed: true,
      lock: { table: LOCK_TABLE, expiresAt: new Date(NOW.getTime() + 120_000 + LOCK_EXPIRY_MARGIN_MS).toISOString(), released: true },
    });
    expect(config.commandCalls(ListDiscoveredResourcesCommand)[0].args[0].input).to.deep.equal({
      resourceType: 'AWS::IAM::User',
      resourceIds: [ALICE.userId],
    });
  });

  it('logs each change with the user and the masked key, and never a whole key id', async () => {
    // Prepare
    aliceKeys(twoKeys);

    // Act
    await handler(payload());

    // Assess
    expect(logs.info.calledWith('Deactivated access key', { userName: 'alice', userId: ALICE.userId, accessKeyId: '****NEW2' })).to.equal(
      true,
    );
    const logged = JSON.stringify([...logs.info.args, ...logs.warn.args, ...logs.error.args]);
    expect(logged).not.to.include(KEY.new).and.not.to.include(KEY.old);
  });

  it('reads last use of active keys only', async () => {
    // Prepare
    aliceKeys([...twoKeys, { id: KEY.third, status: 'Inactive', created: 30, used: 20 }]);

    // Act
    await handler(payload());

    // Assess
    const looked = iam.commandCalls(GetAccessKeyLastUsedCommand).map((call) => call.args[0].input.AccessKeyId);
    expect(looked).to.have.members([KEY.old, KEY.new]);
  });

  it('keeps the two most recently used keys with MaxAccessKeys 2', async () => {
    // Prepare
    aliceKeys([
      { id: KEY.old, created: 400, used: 3 },
      { id: KEY.new, created: 2, used: null },
      { id: KEY.third, created: 100, used: 10 },
    ]);

    // Act
    const result = await handler(payload({ MaxAccessKeys: '2' }));

    // Assess
    expect(result.plan.keep.map((k) => k.accessKeyId)).to.deep.equal(['****OLD1', '****THR3']);
    expect(writes()).to.deep.equal([`UpdateAccessKeyCommand {"UserName":"alice","AccessKeyId":"${KEY.new}","Status":"Inactive"}`]);
  });

  it('changes nothing on a dry run and returns the plan', async () => {
    // Prepare
    aliceKeys(twoKeys);

    // Act
    const result = await handler(payload({ DryRun: 'true' }));

    // Assess
    expect(writes()).to.deep.equal([]);
    expect(result).to.deep.include({ dryRun: true, changed: false, deactivated: [], deleted: [] });
    expect(result.summary).to.equal(
      `Dry run, nothing changed. IAM user alice (${ALICE.userId}): would keep ****OLD1; would deactivate ****NEW2.`,
    );
  });

  it('leaves a compliant user alone', async () => {
    // Prepare
    aliceKeys([
      { id: KEY.old, created: 400, used: 1 },
      { id: KEY.new, status: 'Inactive', created: 2, used: null },
    ]);

    // Act
    const result = await handler(payload());

    // Assess
    expect(writes()).to.deep.equal([]);
    expect(result).to.deep.include({
      changed: false,
      succeeded: true,
      outcome: 'nothing-to-do',
      summary: `Nothing to do: IAM user alice (${ALICE.userId}) is within the limit. 1 active access key (limit 1): ****OLD1, 400d old. 1 inactive not counted.`,
    });
  });

  it('with Delete, deactivates the extra active key before deleting it, and deletes inactive keys', async () => {
    // Prepare
    process.env.ALLOW_DELETE = 'true';
    aliceKeys([
      { id: KEY.old, created: 400, used: 1 },
      { id: KEY.new, created: 2, used: null },
      { id: KEY.third, status: 'Inactive', created: 100, used: null },
    ]);

    // Act
    const result = await handler(payload({ Action: 'Delete' }));

    // Assess
    expect(writes()).to.deep.equal([
      `UpdateAccessKeyCommand {"UserName":"alice","AccessKeyId":"${KEY.new}","Status":"Inactive"}`,
      `DeleteAccessKeyCommand {"UserName":"alice","AccessKeyId":"${KEY.third}"}`,
      `DeleteAccessKeyCommand {"UserName":"alice","AccessKeyId":"${KEY.new}"}`,
    ]);
    expect(result).to.deep.include({ deactivated: ['****NEW2'], deleted: ['****THR3', '****NEW2'] });
    expect(result.summary).to.equal(`IAM user alice (${ALICE.userId}): kept ****OLD1; deactivated ****NEW2; deleted ****THR3, ****NEW2.`);
  });

  it('refuses Delete where the deployment does not allow it, before reading anything', async () => {
    // Prepare
    aliceKeys(twoKeys);

    // Act
    const error = await rejection(handler(payload({ Action: 'Delete' })));

    // Assess
    expect(error?.message).to.match(/^Invalid remediation request field "Action": Delete is not enabled in this deployment/);
    expect(iam.calls()).to.have.length(0);
  });

  it('refuses a Delete dry run where Delete is not allowed, exactly as the live run', async () => {
    // Prepare
    aliceKeys(twoKeys);

    // Act
    const dryRun = await rejection(handler(payload({ Action: 'Delete', DryRun: 'true' })));
    const live = await rejection(handler(payload({ Action: 'Delete' })));

    // Assess
    expect(dryRun?.message).to.match(/^Invalid remediation request field "Action": Delete is not enabled in this deployment/);
    expect(dryRun?.message).to.equal(live?.message);
    expect(iam.calls()).to.have.length(0);
  });

  describe('the lock on the user', () => {
    const dynamodbCalls = () => dynamodb.calls().map((call) => call.args[0]);
    const lockItem = (runId: string, expiresAt: Date, automationExecutionId?: string) => ({
      resourceId: { S: ALICE.userId },
      runId: { S: runId },
      ...(automationExecutionId ? { automationExecutionId: { S: automationExecutionId } } : {}),
      expiresAt: { N: String(expiresAt.getTime() / 1000) },
    });
    const held = (item: Record<string, unknown>) =>
      new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: item as never });

    it("takes it with a conditional write before the first change, expiring after the function's deadline, and releases it with a conditional delete after the last", async () => {
      // Prepare
      aliceKeys(twoKeys);

      // Act
      await handler(payload(), { getRemainingTimeInMillis: () => 60_000 });

      // Assess
      const [put, del] = dynamodbCalls();
      expect(dynamodbCalls()).to.have.length(2);
      const { Item, ...condition } = (put as PutItemCommand).input;
      expect(condition).to.deep.equal({
        TableName: LOCK_TABLE,
        ConditionExpression: 'attribute_not_exists(#key) OR #expiresAt < :now',
        ExpressionAttributeNames: { '#key': 'resourceId', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':now': { N: String(NOW.getTime() / 1000) } },
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      const runId = Item!.runId!.S!;
      expect(Item).to.deep.equal({
        resourceId: { S: ALICE.userId },
        runId: { S: runId },
        automationExecutionId: { S: EXECUTION_ID },
        description: { S: 'IAM user alice' },
        acquiredAt: { S: NOW.toISOString() },
        expiresAt: { N: String((NOW.getTime() + 60_000 + LOCK_EXPIRY_MARGIN_MS) / 1000) },
      });
      expect((del as DeleteItemCommand).input).to.deep.equal({
        TableName: LOCK_TABLE,
        Key: { resourceId: { S: ALICE.userId } },
        ConditionExpression: '#runId = :runId',
        ExpressionAttributeNames: { '#runId': 'runId' },
        ExpressionAttributeValues: { ':runId': { S: runId } },
      });
      const [take, release, change] = [
        dynamodb.commandCalls(PutItemCommand)[0]!,
        dynamodb.commandCalls(DeleteItemCommand)[0]!,
        iam.commandCalls(UpdateAccessKeyCommand)[0]!,
      ];
      expect(take.calledBefore(change)).to.equal(true);
      expect(iam.calls().every((call) => call.calledBefore(release))).to.equal(true);
    });

    it('takes a remaining time in fractions of a millisecond (AbortSignal.timeout takes whole ones)', async () => {
      // Prepare
      aliceKeys(twoKeys);

      // Act
      const result = await handler(payload(), { getRemainingTimeInMillis: () => 59_999.7 });

      // Assess
      expect(result).to.deep.include({ outcome: 'remediated' });
      expect(result.lock?.expiresAt).to.equal(new Date(NOW.getTime() + 60_000 + LOCK_EXPIRY_MARGIN_MS).toISOString());
    });

    const noLock: { name: string; keys: KeySpec[]; overrides?: Record<string, string>; outcome: string }[] = [
      { name: 'a dry run', keys: twoKeys, overrides: { DryRun: 'true' }, outcome: 'dry-run' },
      { name: 'a compliant user', keys: [{ id: KEY.old, created: 400, used: 1 }], outcome: 'nothing-to-do' },
      {
        name: 'a user Deactivate cannot help',
        keys: [...twoKeys, { id: KEY.third, status: 'Inactive', created: 9, used: null }],
        overrides: { MaxAccessKeys: '' },
        outcome: 'cannot-comply',
      },
    ];
    for (const { name, keys, overrides, outcome } of noLock) {
      it(`takes none for ${name}`, async () => {
        // Prepare
        aliceKeys(keys);
        config.on(DescribeConfigRulesCommand).resolves({
          ConfigRules: [{ ConfigRuleName: 'rule', InputParameters: '{"countInactiveKeys":"true","maxAccessKeys":"2"}', Source: undefined }],
        });
        process.env.CONFIG_RULE_NAME = 'rule';

        // Act
        const result = await handler(payload(overrides));

        // Assess
        expect(result.outcome).to.equal(outcome);
        expect(result).not.to.have.property('lock');
        expect(dynamodbCalls()).to.deep.equal([]);
      });
    }

    it("fails at once when another run holds it, changing nothing, naming the holder's Automation execution and when the lock expires", async () => {
      // Prepare
      aliceKeys(twoKeys);
      const until = new Date(NOW.getTime() + 90_000);
      dynamodb.on(PutItemCommand).rejects(held(lockItem('other-run', until, 'a1b2c3d4-0000-4000-8000-000000000001')));

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error).to.be.instanceOf(RemediationError);
      expect(error?.message).to.equal(
        `Remediation of IAM user alice (${ALICE.userId}) failed before any change; nothing was changed: RemediationInProgressError: ` +
          `IAM user alice (${ALICE.userId}) is being remediated by Automation execution a1b2c3d4-0000-4000-8000-000000000001 until ${until.toISOString()}, when its lock expires ` +
          `(remediation lock table ${LOCK_TABLE}); run again after that`,
      );
      expect(writes()).to.deep.equal([]);
      expect(dynamodb.commandCalls(DeleteItemCommand)).to.have.length(0);
    });

    it('names the run id of a holder invoked without an Automation execution', async () => {
      // Prepare
      aliceKeys(twoKeys);
      dynamodb.on(PutItemCommand).rejects(held(lockItem('by-hand-run', new Date(NOW.getTime() + 1_000))));

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.include('is being remediated by run by-hand-run (invoked without an Automation execution id) until');
    });

    it('takes over an expired lock (a run that died) and says so in the result and the summary', async () => {
      // Prepare
      aliceKeys(twoKeys);
      const expired = new Date(NOW.getTime() - 30_000);
      dynamodb.on(PutItemCommand).resolves({ Attributes: lockItem('dead-run', expired, 'deadbeef-0000-4000-8000-000000000002') });

      // Act
      const result = await handler(payload());

      // Assess
      expect(result).to.deep.include({ outcome: 'remediated', succeeded: true, deactivated: ['****NEW2'] });
      expect(result.lock?.tookOverFrom).to.deep.equal({
        holder: 'Automation execution deadbeef-0000-4000-8000-000000000002',
        expiredAt: expired.toISOString(),
      });
      expect(result.summary).to.equal(
        `IAM user alice (${ALICE.userId}): kept ****OLD1; deactivated ****NEW2. ` +
          `Took over the remediation lock of Automation execution deadbeef-0000-4000-8000-000000000002, which had expired at ${expired.toISOString()} without being released (that run did not finish).`,
      );
      expect(logs.warn.calledWithMatch('Took over an expired remediation lock: its holder did not finish')).to.equal(true);
    });

    it('takes as its own a lock whose write the SDK retried after losing the first answer', async () => {
      // Prepare: the first attempt went through; the retry meets the item it wrote
      aliceKeys(twoKeys);
      dynamodb.on(PutItemCommand).callsFake((input: { Item: { runId: { S: string } } }) => {
        throw held({ ...lockItem(input.Item.runId.S, new Date(NOW.getTime() + 60_000), EXECUTION_ID) });
      });

      // Act
      const result = await handler(payload());

      // Assess
      expect(result).to.deep.include({ outcome: 'remediated' });
      expect(result.lock).to.deep.include({ released: true });
    });

    it('releases it when a change fails, and the failure is what the run reports', async () => {
      // Prepare
      aliceKeys(twoKeys);
      iam.on(UpdateAccessKeyCommand).rejects(accessDenied('iam:UpdateAccessKey'));

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error).to.be.instanceOf(RemediationError);
      expect(error?.message).to.match(
        /^Remediation of IAM user alice .* stopped part-way\. Done: nothing\. Not done: deactivate \*\*\*\*NEW2/,
      );
      expect(dynamodb.commandCalls(DeleteItemCommand)).to.have.length(1);
    });

    it('releases it when a re-check stops the run', async () => {
      // Prepare: the name belongs to another user by the time of the check under the lock
      aliceKeys(twoKeys);
      iam
        .on(GetUserCommand, { UserName: 'alice' })
        .resolvesOnce({ User: { UserName: 'alice', UserId: ALICE.userId, Path: ALICE.path, Arn: 'arn', CreateDate: daysAgo(900) } })
        .resolvesOnce({ User: { UserName: 'alice', UserId: ALICE.userId, Path: ALICE.path, Arn: 'arn', CreateDate: daysAgo(900) } })
        .resolves({ User: { UserName: 'alice', UserId: 'AIDANEWALICE000000000', Path: '/', Arn: 'arn', CreateDate: daysAgo(1) } });

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.include(`is no longer ${ALICE.userId}`);
      expect(writes()).to.deep.equal([]);
      expect(dynamodb.commandCalls(DeleteItemCommand)).to.have.length(1);
    });

    it('still reports the user remediated when the release fails, but says in the summary and the lock that the lock was not released', async () => {
      // Prepare
      aliceKeys(twoKeys);
      dynamodb.on(DeleteItemCommand).rejects(accessDenied('dynamodb:DeleteItem'));

      // Act
      const result = await handler(payload(), { getRemainingTimeInMillis: () => 60_000 });

      // Assess
      const expiresAt = new Date(NOW.getTime() + 60_000 + LOCK_EXPIRY_MARGIN_MS).toISOString();
      expect(result).to.deep.include({ outcome: 'remediated', succeeded: true });
      expect(result.lock).to.deep.equal({
        table: LOCK_TABLE,
        expiresAt,
        released: false,
        notReleasedBecause: `AwsCallError: dynamodb:DeleteItem failed for remediation lock table ${LOCK_TABLE} (item ${ALICE.userId}): AccessDenied: not authorized to perform: dynamodb:DeleteItem`,
      });
      expect(result.summary).to.equal(
        `IAM user alice (${ALICE.userId}): kept ****OLD1; deactivated ****NEW2. The remediation lock on IAM user alice (${ALICE.userId}) was not released ` +
          `(${result.lock!.notReleasedBecause}): it expires by itself at ${expiresAt}.`,
      );
      expect(logs.warn.calledWithMatch('Remediation finished')).to.equal(true);
    });

    it("says the lock was not released when it was no longer this run's", async () => {
      // Prepare
      aliceKeys(twoKeys);
      dynamodb
        .on(DeleteItemCommand)
        .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

      // Act
      const result = await handler(payload());

      // Assess
      expect(result.lock).to.deep.include({ released: false });
      expect(result.lock?.notReleasedBecause).to.match(
        /^it was no longer this run's: it expired at .* and was taken over, or was deleted$/,
      );
    });

    it('names both when a run fails and its release fails too', async () => {
      // Prepare
      aliceKeys(twoKeys);
      iam.on(UpdateAccessKeyCommand).rejects(accessDenied('iam:UpdateAccessKey'));
      dynamodb.on(DeleteItemCommand).rejects(accessDenied('dynamodb:DeleteItem'));

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error).to.be.instanceOf(LockNotReleasedError);
      expect(error?.cause).to.be.instanceOf(RemediationError);
      expect(error?.message).to.match(
        /stopped part-way\. .* The remediation lock on IAM user alice \(AIDA\w+\) was not released \(AwsCallError: dynamodb:DeleteItem failed .*\): it expires by itself at /,
      );
    });

    it('fails naming the table and the call when the table refuses the write, and changes nothing', async () => {
      // Prepare
      aliceKeys(twoKeys);
      dynamodb.on(PutItemCommand).rejects(accessDenied('dynamodb:PutItem'));

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.equal(
        `Remediation of IAM user alice (${ALICE.userId}) failed before any change; nothing was changed: ` +
          `AwsCallError: dynamodb:PutItem failed for remediation lock table ${LOCK_TABLE} (item ${ALICE.userId}): AccessDenied: not authorized to perform: dynamodb:PutItem`,
      );
      expect(writes()).to.deep.equal([]);
    });

    it('releases a lock its write may have taken when the outcome of the write is unknown (a 5xx), then fails naming the call', async () => {
      // Prepare
      aliceKeys(twoKeys);
      dynamodb.on(PutItemCommand).rejects(
        Object.assign(new Error('We encountered an internal error'), {
          name: 'InternalServerError',
          $fault: 'server',
          $metadata: { httpStatusCode: 500 },
        }),
      );

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.include(
        `failed before any change; nothing was changed: AwsCallError: dynamodb:PutItem failed for remediation lock table ${LOCK_TABLE} (item ${ALICE.userId}): InternalServerError`,
      );
      const written = dynamodb.commandCalls(PutItemCommand)[0]!.args[0].input.Item!.runId;
      expect(dynamodb.commandCalls(DeleteItemCommand).map((call) => call.args[0].input.ExpressionAttributeValues)).to.deep.equal([
        { ':runId': written },
      ]);
      expect(writes()).to.deep.equal([]);
    });

    it('does not release after a write DynamoDB refused (a 4xx): the lock was not taken', async () => {
      // Prepare
      aliceKeys(twoKeys);
      dynamodb.on(PutItemCommand).rejects(accessDenied('dynamodb:PutItem'));

      // Act
      await rejection(handler(payload()));

      // Assess
      expect(dynamodb.commandCalls(DeleteItemCommand)).to.deep.equal([]);
    });

    it('says so when the item holding the lock names no expiry (not written by a run)', async () => {
      // Prepare
      aliceKeys(twoKeys);
      dynamodb.on(PutItemCommand).rejects(held({ resourceId: { S: ALICE.userId }, note: { S: 'hold' } }));

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.include(
        'is being remediated by an unknown holder (the item names none) with a lock that names no expiry (not written by a remediation run: delete the item)',
      );
    });

    it('refuses to run without the lock table in its environment, naming the variable', async () => {
      // Prepare
      delete process.env.LOCK_TABLE_NAME;

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.equal(
        'Environment variable LOCK_TABLE_NAME must name the remediation lock table (the stack sets it), got undefined',
      );
      expect(iam.calls()).to.have.length(0);
    });
  });

  describe('finding the user', () => {
    it('falls back to IAM ListUsers when Config has not discovered the id (a region not recording IAM users)', async () => {
      // Prepare
      config.on(ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [] });
      iam.on(ListUsersCommand).resolves({
        Users: [
          { UserName: 'bob', UserId: 'AIDABOBBOBBOBBOBBOB00', Path: '/', Arn: 'arn', CreateDate: daysAgo(1) },
          { UserName: 'alice', UserId: ALICE.userId, Path: ALICE.path, Arn: 'arn', CreateDate: daysAgo(1) },
        ],
      });
      aliceKeys(twoKeys);

      // Act
      const result = await handler(payload());

      // Assess
      expect(result.userName).to.equal('alice');
      expect(new Set(iam.commandCalls(GetUserCommand).map((call) => call.args[0].input.UserName))).to.deep.equal(new Set(['alice']));
    });

    it('looks the id up in IAM when the name Config recorded now belongs to another user', async () => {
      // Prepare: alice was renamed alice2; a new user took the name alice
      answerGetUser('alice', 'AIDANEWALICE000000000', '/');
      iam
        .on(ListUsersCommand)
        .resolves({ Users: [{ UserName: 'alice2', UserId: ALICE.userId, Path: ALICE.path, Arn: 'arn', CreateDate: daysAgo(900) }] });
      answerGetUser('alice2', ALICE.userId, ALICE.path);
      iam.on(ListAccessKeysCommand, { UserName: 'alice2' }).resolves({ AccessKeyMetadata: [] });

      // Act
      const result = await handler(payload());

      // Assess
      expect(result.userName).to.equal('alice2');
      expect(iam.commandCalls(ListAccessKeysCommand).map((call) => call.args[0].input.UserName)).to.deep.equal(['alice2']);
    });

    it('fails naming the id when no user has it, and changes nothing', async () => {
      // Prepare
      config.on(ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [] });
      iam
        .on(ListUsersCommand)
        .resolves({ Users: [{ UserName: 'bob', UserId: 'AIDABOBBOBBOBBOBBOB00', Path: '/', Arn: 'arn', CreateDate: daysAgo(1) }] });

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error).to.be.instanceOf(UnknownIamUserError);
      expect(error?.message).to.equal(
        `No IAM user with id ${ALICE.userId}: not in AWS Config's discovered resources, and not found in IAM's ListUsers. Nothing was changed.`,
      );
      expect(writes()).to.deep.equal([]);
    });

    it('fails naming the id when Config knows a name IAM no longer confirms', async () => {
      // Prepare
      iam.on(GetUserCommand, { UserName: 'alice' }).rejects(noSuchEntity());
      iam.on(ListUsersCommand).resolves({ Users: [] });

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.include(`No IAM user with id ${ALICE.userId}: AWS Config knows it as alice, which IAM no longer confirms`);
      expect(writes()).to.deep.equal([]);
    });

    it('rejects a malformed payload naming the field, before any call', async () => {
      // Act
      const error = await rejection(handler({ IAMResourceId: 'alice' }));

      // Assess
      expect(error?.message).to.match(/^Invalid remediation request field "IAMResourceId"/);
      expect(iam.calls().length + config.calls().length).to.equal(0);
    });
  });

  describe('failures', () => {
    it('says nothing was changed when a read fails, naming the API and user', async () => {
      // Prepare
      iam.on(ListAccessKeysCommand).rejects(accessDenied('iam:ListAccessKeys'));

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error).to.be.instanceOf(RemediationError);
      expect(error?.message).to.equal(
        `Remediation of IAM user id ${ALICE.userId} failed before any change; nothing was changed: ` +
          'AwsCallError: iam:ListAccessKeys failed for IAM user alice: AccessDenied: not authorized to perform: iam:ListAccessKeys',
      );
      expect(writes()).to.deep.equal([]);
    });

    it('reports what was done and what was not when a change fails part-way, after trying the rest', async () => {
      // Prepare: three active keys, keep one; the first deactivation is refused
      aliceKeys([
        { id: KEY.old, created: 400, used: 1 },
        { id: KEY.new, created: 2, used: 5 },
        { id: KEY.third, created: 100, used: 9 },
      ]);
      iam.on(UpdateAccessKeyCommand, { AccessKeyId: KEY.new }).rejects(accessDenied('iam:UpdateAccessKey'));

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error).to.be.instanceOf(RemediationError);
      expect(error?.message).to.equal(
        `Remediation of IAM user alice (${ALICE.userId}) stopped part-way. Done: deactivated ****THR3. ` +
          'Not done: deactivate ****NEW2 (AwsCallError: iam:UpdateAccessKey failed for IAM user alice (access key ****NEW2): ' +
          'AccessDenied: not authorized to perform: iam:UpdateAccessKey).',
      );
      expect(writes()).to.have.length(2);
      expect(writes().some((write) => write.includes(KEY.old))).to.equal(false);
    });

    it('does not delete a key it could not deactivate', async () => {
      // Prepare
      process.env.ALLOW_DELETE = 'true';
      aliceKeys(twoKeys);
      iam.on(UpdateAccessKeyCommand).rejects(accessDenied('iam:UpdateAccessKey'));

      // Act
      const error = await rejection(handler(payload({ Action: 'Delete' })));

      // Assess
      expect(error?.message).to.match(
        /Done: nothing\. Not done: deactivate \*\*\*\*NEW2 \(.*\), delete \*\*\*\*NEW2 \(skipped: not deactivated\)\.$/,
      );
      expect(iam.commandCalls(DeleteAccessKeyCommand)).to.have.length(0);
    });

    it('takes a key deleted meanwhile as gone, not as a failure', async () => {
      // Prepare
      aliceKeys(twoKeys);
      iam.on(UpdateAccessKeyCommand).callsFake(() => {
        aliceState = aliceState.filter((candidate) => candidate.AccessKeyId !== KEY.new);
        throw noSuchEntity();
      });

      // Act
      const result = await handler(payload());

      // Assess
      expect(result).to.deep.include({ changed: false, deactivated: [], alreadyGone: ['****NEW2'] });
      expect(result.summary).to.equal(`IAM user alice (${ALICE.userId}): kept ****OLD1; already gone ****NEW2.`);
    });
  });
});
