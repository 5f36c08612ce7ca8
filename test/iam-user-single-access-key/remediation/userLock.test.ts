import { DescribeConfigRulesCommand } from '@aws-sdk/client-config-service';
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetUserCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { expect } from 'chai';
import { LockNotReleasedError, RemediationError } from '../../../src/iam-user-single-access-key/remediation/errors';
import { handler, LOCK_EXPIRY_MARGIN_MS } from '../../../src/iam-user-single-access-key/remediation/handler';
import { ALICE, daysAgo, KEY, NOW } from './fixtures';
import { accessDenied, EXECUTION_ID, type KeySpec, LOCK_TABLE, payload, rejection, RULE, TWO_KEYS, useMockedAws } from './mockedAws';

// The remediate handler's lock on the user (RemediationLockTable), its DynamoDB client mocked:
// taken before the first change, released after the last on every path, refused, taken over,
// left to expire. Over the wire, in DynamoDB and moto: remediationLock.wire.test.ts.

describe('remediation handler: the lock on the user', () => {
  const aws = useMockedAws();

  const dynamodbCalls = () => aws.dynamodb.calls().map((call) => call.args[0]);
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
    aws.aliceKeys(TWO_KEYS);

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
      aws.dynamodb.commandCalls(PutItemCommand)[0]!,
      aws.dynamodb.commandCalls(DeleteItemCommand)[0]!,
      aws.iam.commandCalls(UpdateAccessKeyCommand)[0]!,
    ];
    expect(take.calledBefore(change)).to.equal(true);
    expect(aws.iam.calls().every((call) => call.calledBefore(release))).to.equal(true);
  });

  it('takes a remaining time in fractions of a millisecond (AbortSignal.timeout takes whole ones)', async () => {
    // Prepare
    aws.aliceKeys(TWO_KEYS);

    // Act
    const result = await handler(payload(), { getRemainingTimeInMillis: () => 59_999.7 });

    // Assess
    expect(result).to.deep.include({ outcome: 'remediated' });
    expect(result.lock?.expiresAt).to.equal(new Date(NOW.getTime() + 60_000 + LOCK_EXPIRY_MARGIN_MS).toISOString());
  });

  const noLock: { name: string; keys: KeySpec[]; overrides?: Record<string, string>; outcome: string }[] = [
    { name: 'a dry run', keys: TWO_KEYS, overrides: { DryRun: 'true' }, outcome: 'dry-run' },
    { name: 'a compliant user', keys: [{ id: KEY.old, created: 400, used: 1 }], outcome: 'nothing-to-do' },
    {
      name: 'a user Deactivate cannot help',
      keys: [...TWO_KEYS, { id: KEY.third, status: 'Inactive', created: 9, used: null }],
      overrides: { MaxAccessKeys: '' },
      outcome: 'cannot-comply',
    },
  ];
  for (const { name, keys, overrides, outcome } of noLock) {
    it(`takes none for ${name}`, async () => {
      // Prepare
      aws.aliceKeys(keys);
      aws.config.on(DescribeConfigRulesCommand).resolves({
        ConfigRules: [{ ConfigRuleName: RULE, InputParameters: '{"countInactiveKeys":"true","maxAccessKeys":"2"}', Source: undefined }],
      });

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
    aws.aliceKeys(TWO_KEYS);
    const until = new Date(NOW.getTime() + 90_000);
    aws.dynamodb.on(PutItemCommand).rejects(held(lockItem('other-run', until, 'a1b2c3d4-0000-4000-8000-000000000001')));

    // Act
    const error = await rejection(handler(payload()));

    // Assess
    expect(error).to.be.instanceOf(RemediationError);
    expect(error?.message).to.equal(
      `Remediation of IAM user alice (${ALICE.userId}) failed before any change; nothing was changed: RemediationInProgressError: ` +
        `IAM user alice (${ALICE.userId}) is being remediated by Automation execution a1b2c3d4-0000-4000-8000-000000000001 until ${until.toISOString()}, when its lock expires ` +
        `(remediation lock table ${LOCK_TABLE}); run again after that`,
    );
    expect(aws.writes()).to.deep.equal([]);
    expect(aws.dynamodb.commandCalls(DeleteItemCommand)).to.have.length(0);
  });

  it('names the run id of a holder invoked without an Automation execution', async () => {
    // Prepare
    aws.aliceKeys(TWO_KEYS);
    aws.dynamodb.on(PutItemCommand).rejects(held(lockItem('by-hand-run', new Date(NOW.getTime() + 1_000))));

    // Act
    const error = await rejection(handler(payload()));

    // Assess
    expect(error?.message).to.include('is being remediated by run by-hand-run (invoked without an Automation execution id) until');
  });

  it('takes over an expired lock (a run that died) and says so in the result and the summary', async () => {
    // Prepare
    aws.aliceKeys(TWO_KEYS);
    const expired = new Date(NOW.getTime() - 30_000);
    aws.dynamodb.on(PutItemCommand).resolves({ Attributes: lockItem('dead-run', expired, 'deadbeef-0000-4000-8000-000000000002') });

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
    expect(aws.logs.warn.calledWithMatch('Took over an expired remediation lock: its holder did not finish')).to.equal(true);
  });

  it('takes as its own a lock whose write the SDK retried after losing the first answer', async () => {
    // Prepare: the first attempt went through; the retry meets the item it wrote
    aws.aliceKeys(TWO_KEYS);
    aws.dynamodb.on(PutItemCommand).callsFake((input: { Item: { runId: { S: string } } }) => {
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
    aws.aliceKeys(TWO_KEYS);
    aws.iam.on(UpdateAccessKeyCommand).rejects(accessDenied('iam:UpdateAccessKey'));

    // Act
    const error = await rejection(handler(payload()));

    // Assess
    expect(error).to.be.instanceOf(RemediationError);
    expect(error?.message).to.match(
      /^Remediation of IAM user alice .* stopped part-way\. Done: nothing\. Not done: deactivate \*\*\*\*NEW2/,
    );
    expect(aws.dynamodb.commandCalls(DeleteItemCommand)).to.have.length(1);
  });

  it('releases it when a re-check stops the run', async () => {
    // Prepare: the name belongs to another user by the time of the check under the lock
    aws.aliceKeys(TWO_KEYS);
    aws.iam
      .on(GetUserCommand, { UserName: 'alice' })
      .resolvesOnce({ User: { UserName: 'alice', UserId: ALICE.userId, Path: ALICE.path, Arn: 'arn', CreateDate: daysAgo(900) } })
      .resolvesOnce({ User: { UserName: 'alice', UserId: ALICE.userId, Path: ALICE.path, Arn: 'arn', CreateDate: daysAgo(900) } })
      .resolves({ User: { UserName: 'alice', UserId: 'AIDANEWALICE000000000', Path: '/', Arn: 'arn', CreateDate: daysAgo(1) } });

    // Act
    const error = await rejection(handler(payload()));

    // Assess
    expect(error?.message).to.include(`is no longer ${ALICE.userId}`);
    expect(aws.writes()).to.deep.equal([]);
    expect(aws.dynamodb.commandCalls(DeleteItemCommand)).to.have.length(1);
  });

  it('still reports the user remediated when the release fails, but says in the summary and the lock that the lock was not released', async () => {
    // Prepare
    aws.aliceKeys(TWO_KEYS);
    aws.dynamodb.on(DeleteItemCommand).rejects(accessDenied('dynamodb:DeleteItem'));

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
    expect(aws.logs.warn.calledWithMatch('Remediation finished')).to.equal(true);
  });

  it("says the lock was not released when it was no longer this run's", async () => {
    // Prepare
    aws.aliceKeys(TWO_KEYS);
    aws.dynamodb
      .on(DeleteItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    // Act
    const result = await handler(payload());

    // Assess
    expect(result.lock).to.deep.include({ released: false });
    expect(result.lock?.notReleasedBecause).to.match(/^it was no longer this run's: it expired at .* and was taken over, or was deleted$/);
  });

  it('names both when a run fails and its release fails too', async () => {
    // Prepare
    aws.aliceKeys(TWO_KEYS);
    aws.iam.on(UpdateAccessKeyCommand).rejects(accessDenied('iam:UpdateAccessKey'));
    aws.dynamodb.on(DeleteItemCommand).rejects(accessDenied('dynamodb:DeleteItem'));

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
    aws.aliceKeys(TWO_KEYS);
    aws.dynamodb.on(PutItemCommand).rejects(accessDenied('dynamodb:PutItem'));

    // Act
    const error = await rejection(handler(payload()));

    // Assess
    expect(error?.message).to.equal(
      `Remediation of IAM user alice (${ALICE.userId}) failed before any change; nothing was changed: ` +
        `AwsCallError: dynamodb:PutItem failed for remediation lock table ${LOCK_TABLE} (item ${ALICE.userId}): AccessDenied: not authorized to perform: dynamodb:PutItem`,
    );
    expect(aws.writes()).to.deep.equal([]);
  });

  it('releases a lock its write may have taken when the outcome of the write is unknown (a 5xx), then fails naming the call', async () => {
    // Prepare
    aws.aliceKeys(TWO_KEYS);
    aws.dynamodb.on(PutItemCommand).rejects(
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
    const written = aws.dynamodb.commandCalls(PutItemCommand)[0]!.args[0].input.Item!.runId;
    expect(aws.dynamodb.commandCalls(DeleteItemCommand).map((call) => call.args[0].input.ExpressionAttributeValues)).to.deep.equal([
      { ':runId': written },
    ]);
    expect(aws.writes()).to.deep.equal([]);
  });

  it('does not release after a write DynamoDB refused (a 4xx): the lock was not taken', async () => {
    // Prepare
    aws.aliceKeys(TWO_KEYS);
    aws.dynamodb.on(PutItemCommand).rejects(accessDenied('dynamodb:PutItem'));

    // Act
    await rejection(handler(payload()));

    // Assess
    expect(aws.dynamodb.commandCalls(DeleteItemCommand)).to.deep.equal([]);
  });

  it('says so when the item holding the lock names no expiry (not written by a run)', async () => {
    // Prepare
    aws.aliceKeys(TWO_KEYS);
    aws.dynamodb.on(PutItemCommand).rejects(held({ resourceId: { S: ALICE.userId }, note: { S: 'hold' } }));

    // Act
    const error = await rejection(handler(payload()));

    // Assess
    expect(error?.message).to.include(
      'is being remediated by an unknown holder (the item names none) with a lock that names no expiry (not written by a remediation run: delete the item)',
    );
  });
});
