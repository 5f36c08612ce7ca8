import { DescribeConfigRulesCommand, ListDiscoveredResourcesCommand } from '@aws-sdk/client-config-service';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { expect } from 'chai';
import sinon from 'sinon';
import {
  DeploymentConfigurationError,
  RemediationError,
  UnknownIamUserError,
} from '../../../src/iam-user-single-access-key/remediation/errors';
import {
  ABORT_MARGIN_MS,
  handler,
  LAMBDA_RUNTIME,
  LOCK_EXPIRY_MARGIN_MS,
  RELEASE_BUDGET_MS,
  remediationHandler,
} from '../../../src/iam-user-single-access-key/remediation/handler';
import { ALICE, daysAgo, KEY, NOW } from './fixtures';
import { accessDenied, LOCK_TABLE, noSuchEntity, payload, rejection, RULE, TWO_KEYS, useMockedAws } from './mockedAws';

// The remediate handler with its SDK clients mocked: what it changes and reports, its environment,
// its deadline, finding the user, failures. The lock on the user: userLock.test.ts.

describe('remediation handler', () => {
  const aws = useMockedAws();

  it('deactivates the key not in use, keeps the one in use, and says so with masked ids', async () => {
    // Prepare
    aws.aliceKeys(TWO_KEYS);

    // Act
    const result = await handler(payload());

    // Assess
    expect(aws.writes()).to.deep.equal([`UpdateAccessKeyCommand {"UserName":"alice","AccessKeyId":"${KEY.new}","Status":"Inactive"}`]);
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
    expect(aws.config.commandCalls(ListDiscoveredResourcesCommand)[0].args[0].input).to.deep.equal({
      resourceType: 'AWS::IAM::User',
      resourceIds: [ALICE.userId],
    });
  });

  it('logs each change with the user and the masked key, and never a whole key id', async () => {
    // Prepare
    aws.aliceKeys(TWO_KEYS);

    // Act
    await handler(payload());

    // Assess
    expect(
      aws.logs.info.calledWith('Deactivated access key', { userName: 'alice', userId: ALICE.userId, accessKeyId: '****NEW2' }),
    ).to.equal(true);
    const logged = JSON.stringify([...aws.logs.info.args, ...aws.logs.warn.args, ...aws.logs.error.args]);
    expect(logged).not.to.include(KEY.new).and.not.to.include(KEY.old);
  });

  it('reads last use of active keys only', async () => {
    // Prepare
    aws.aliceKeys([...TWO_KEYS, { id: KEY.third, status: 'Inactive', created: 30, used: 20 }]);

    // Act
    await handler(payload());

    // Assess
    const looked = aws.iam.commandCalls(GetAccessKeyLastUsedCommand).map((call) => call.args[0].input.AccessKeyId);
    expect(looked).to.have.members([KEY.old, KEY.new]);
  });

  it('keeps the two most recently used keys with MaxAccessKeys 2', async () => {
    // Prepare
    aws.aliceKeys([
      { id: KEY.old, created: 400, used: 3 },
      { id: KEY.new, created: 2, used: null },
      { id: KEY.third, created: 100, used: 10 },
    ]);

    // Act
    const result = await handler(payload({ MaxAccessKeys: '2' }));

    // Assess
    expect(result.plan.keep.map((k) => k.accessKeyId)).to.deep.equal(['****OLD1', '****THR3']);
    expect(aws.writes()).to.deep.equal([`UpdateAccessKeyCommand {"UserName":"alice","AccessKeyId":"${KEY.new}","Status":"Inactive"}`]);
  });

  it('changes nothing on a dry run and returns the plan', async () => {
    // Prepare
    aws.aliceKeys(TWO_KEYS);

    // Act
    const result = await handler(payload({ DryRun: 'true' }));

    // Assess
    expect(aws.writes()).to.deep.equal([]);
    expect(result).to.deep.include({ dryRun: true, changed: false, deactivated: [], deleted: [] });
    expect(result.summary).to.equal(
      `Dry run, nothing changed. IAM user alice (${ALICE.userId}): would keep ****OLD1; would deactivate ****NEW2.`,
    );
  });

  it('leaves a compliant user alone', async () => {
    // Prepare
    aws.aliceKeys([
      { id: KEY.old, created: 400, used: 1 },
      { id: KEY.new, status: 'Inactive', created: 2, used: null },
    ]);

    // Act
    const result = await handler(payload());

    // Assess
    expect(aws.writes()).to.deep.equal([]);
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
    aws.aliceKeys([
      { id: KEY.old, created: 400, used: 1 },
      { id: KEY.new, created: 2, used: null },
      { id: KEY.third, status: 'Inactive', created: 100, used: null },
    ]);

    // Act
    const result = await handler(payload({ Action: 'Delete' }));

    // Assess
    expect(aws.writes()).to.deep.equal([
      `UpdateAccessKeyCommand {"UserName":"alice","AccessKeyId":"${KEY.new}","Status":"Inactive"}`,
      `DeleteAccessKeyCommand {"UserName":"alice","AccessKeyId":"${KEY.third}"}`,
      `DeleteAccessKeyCommand {"UserName":"alice","AccessKeyId":"${KEY.new}"}`,
    ]);
    expect(result).to.deep.include({ deactivated: ['****NEW2'], deleted: ['****THR3', '****NEW2'] });
    expect(result.summary).to.equal(`IAM user alice (${ALICE.userId}): kept ****OLD1; deactivated ****NEW2; deleted ****THR3, ****NEW2.`);
  });

  const brokenDeployments: { variable: string; value?: string; says: string }[] = [
    { variable: 'LOCK_TABLE_NAME', says: 'must name the remediation lock table (the stack sets it), got undefined' },
    { variable: 'CONFIG_RULE_NAME', says: 'must name the Config rule whose parameters apply (the stack sets it), got undefined' },
    { variable: 'ALLOW_DELETE', value: 'yes', says: 'must be true or false (the stack sets it), got "yes"' },
  ];
  for (const { variable, value, says } of brokenDeployments) {
    it(`fails as a broken deployment, not a bad request, when ${variable} is ${value ?? 'unset'}, whatever the request, before any call`, async () => {
      // Prepare: MaxAccessKeys is passed, so the rule's name would not even be needed
      if (value === undefined) delete process.env[variable];
      else process.env[variable] = value;

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error).to.be.instanceOf(DeploymentConfigurationError).and.to.include({ variable });
      expect(error?.message).to.equal(`Environment variable ${variable} ${says}`);
      expect(aws.iam.calls().length + aws.config.calls().length + aws.dynamodb.calls().length).to.equal(0);
    });
  }

  it("sends every call with the run's abort signal, and releases the lock with a budget of its own that the run's abort leaves alone", async () => {
    // Prepare
    aws.aliceKeys([...TWO_KEYS, { id: KEY.third, status: 'Inactive', created: 30, used: 20 }]);
    aws.config
      .on(DescribeConfigRulesCommand)
      .resolves({ ConfigRules: [{ ConfigRuleName: RULE, InputParameters: '{}', Source: undefined }] });
    const signals: { ms: number; signal: AbortSignal; reason: Error }[] = [];
    const run = remediationHandler({
      ...LAMBDA_RUNTIME,
      abortAfter: (ms, reason) => {
        const signal = new AbortController().signal;
        signals.push({ ms, signal, reason });
        return signal;
      },
    });

    // Act
    await run(payload({ MaxAccessKeys: '' }), { getRemainingTimeInMillis: () => 60_000 });

    // Assess
    const [runSignal, releaseSignal] = signals;
    expect(signals.map(({ ms }) => ms)).to.deep.equal([60_000 - ABORT_MARGIN_MS, RELEASE_BUDGET_MS]);
    expect(signals.map(({ reason }) => `${reason.name}: ${reason.message}`)).to.deep.equal([
      "DeadlineExceededError: the run reached its deadline, 5 s before the function's timeout (it had 60.0 s; IAM may be throttling: run it again)",
      "DeadlineExceededError: the lock's release used up its own 3 s",
    ]);
    expect(RELEASE_BUDGET_MS).to.be.below(ABORT_MARGIN_MS);
    // A client's send(command, options): the SDK's paginators pass the options of their first page to every page.
    const sent = [...aws.iam.calls(), ...aws.config.calls(), ...aws.dynamodb.calls()].map((call) => call.args as unknown[]);
    const [release] = sent.filter(([command]) => command instanceof DeleteItemCommand);
    const calls = sent.filter((call) => call !== release);
    expect(calls.map(([command]) => (command as object).constructor.name)).to.include.members([
      'ListDiscoveredResourcesCommand',
      'DescribeConfigRulesCommand',
      'GetUserCommand',
      'ListAccessKeysCommand',
      'GetAccessKeyLastUsedCommand',
      'PutItemCommand',
      'UpdateAccessKeyCommand',
    ]);
    const signalOf = (options: unknown) => (options as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
    for (const [command, options] of calls) expect(signalOf(options), (command as object).constructor.name).to.equal(runSignal!.signal);
    expect(signalOf(release![1])).to.equal(releaseSignal!.signal);
  });

  describe('finding the user', () => {
    it('falls back to IAM ListUsers when Config has not discovered the id (a region not recording IAM users)', async () => {
      // Prepare
      aws.config.on(ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [] });
      aws.iam.on(ListUsersCommand).resolves({
        Users: [
          { UserName: 'bob', UserId: 'AIDABOBBOBBOBBOBBOB00', Path: '/', Arn: 'arn', CreateDate: daysAgo(1) },
          { UserName: 'alice', UserId: ALICE.userId, Path: ALICE.path, Arn: 'arn', CreateDate: daysAgo(1) },
        ],
      });
      aws.aliceKeys(TWO_KEYS);

      // Act
      const result = await handler(payload());

      // Assess
      expect(result.userName).to.equal('alice');
      expect(new Set(aws.iam.commandCalls(GetUserCommand).map((call) => call.args[0].input.UserName))).to.deep.equal(new Set(['alice']));
    });

    it('looks the id up in IAM when the name Config recorded now belongs to another user', async () => {
      // Prepare: alice was renamed alice2; a new user took the name alice
      aws.answerGetUser('alice', 'AIDANEWALICE000000000', '/');
      aws.iam
        .on(ListUsersCommand)
        .resolves({ Users: [{ UserName: 'alice2', UserId: ALICE.userId, Path: ALICE.path, Arn: 'arn', CreateDate: daysAgo(900) }] });
      aws.answerGetUser('alice2', ALICE.userId, ALICE.path);
      aws.iam.on(ListAccessKeysCommand, { UserName: 'alice2' }).resolves({ AccessKeyMetadata: [] });

      // Act
      const result = await handler(payload());

      // Assess
      expect(result.userName).to.equal('alice2');
      expect(aws.iam.commandCalls(ListAccessKeysCommand).map((call) => call.args[0].input.UserName)).to.deep.equal(['alice2']);
    });

    it('fails naming the id when no user has it, and changes nothing', async () => {
      // Prepare
      aws.config.on(ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [] });
      aws.iam
        .on(ListUsersCommand)
        .resolves({ Users: [{ UserName: 'bob', UserId: 'AIDABOBBOBBOBBOBBOB00', Path: '/', Arn: 'arn', CreateDate: daysAgo(1) }] });

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error).to.be.instanceOf(UnknownIamUserError);
      expect(error?.message).to.equal(
        `No IAM user with id ${ALICE.userId}: not in AWS Config's discovered resources, and not found in IAM's ListUsers. Nothing was changed.`,
      );
      expect(aws.writes()).to.deep.equal([]);
    });

    it('fails naming the id when Config knows a name IAM no longer confirms', async () => {
      // Prepare
      aws.iam.on(GetUserCommand, { UserName: 'alice' }).rejects(noSuchEntity());
      aws.iam.on(ListUsersCommand).resolves({ Users: [] });

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.include(`No IAM user with id ${ALICE.userId}: AWS Config knows it as alice, which IAM no longer confirms`);
      expect(aws.writes()).to.deep.equal([]);
    });

    it('rejects a malformed payload naming the field, before any call', async () => {
      // Act
      const error = await rejection(handler({ IAMResourceId: 'alice' }));

      // Assess
      expect(error?.message).to.match(/^Invalid remediation request field "IAMResourceId"/);
      expect(aws.iam.calls().length + aws.config.calls().length).to.equal(0);
    });
  });

  describe('failures', () => {
    it('says nothing was changed when a read fails, naming the API and user', async () => {
      // Prepare
      aws.iam.on(ListAccessKeysCommand).rejects(accessDenied('iam:ListAccessKeys'));

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error).to.be.instanceOf(RemediationError);
      expect(error?.message).to.equal(
        `Remediation of IAM user id ${ALICE.userId} failed before any change; nothing was changed: ` +
          'AwsCallError: iam:ListAccessKeys failed for IAM user alice: AccessDenied: not authorized to perform: iam:ListAccessKeys',
      );
      expect(aws.writes()).to.deep.equal([]);
    });

    it('reports what was done and what was not when a change fails part-way, after trying the rest', async () => {
      // Prepare: three active keys, keep one; the first deactivation is refused
      aws.aliceKeys([
        { id: KEY.old, created: 400, used: 1 },
        { id: KEY.new, created: 2, used: 5 },
        { id: KEY.third, created: 100, used: 9 },
      ]);
      aws.iam.on(UpdateAccessKeyCommand, { AccessKeyId: KEY.new }).rejects(accessDenied('iam:UpdateAccessKey'));

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error).to.be.instanceOf(RemediationError);
      expect(error?.message).to.equal(
        `Remediation of IAM user alice (${ALICE.userId}) stopped part-way. Done: deactivated ****THR3. ` +
          'Not done: deactivate ****NEW2 (AwsCallError: iam:UpdateAccessKey failed for IAM user alice (access key ****NEW2): ' +
          'AccessDenied: not authorized to perform: iam:UpdateAccessKey).',
      );
      expect(aws.writes()).to.have.length(2);
      expect(aws.writes().some((write) => write.includes(KEY.old))).to.equal(false);
    });

    it('does not delete a key it could not deactivate', async () => {
      // Prepare
      process.env.ALLOW_DELETE = 'true';
      aws.aliceKeys(TWO_KEYS);
      aws.iam.on(UpdateAccessKeyCommand).rejects(accessDenied('iam:UpdateAccessKey'));

      // Act
      const error = await rejection(handler(payload({ Action: 'Delete' })));

      // Assess
      expect(error?.message).to.match(
        /Done: nothing\. Not done: deactivate \*\*\*\*NEW2 \(.*\), delete \*\*\*\*NEW2 \(skipped: not deactivated\)\.$/,
      );
      expect(aws.iam.commandCalls(DeleteAccessKeyCommand)).to.have.length(0);
    });

    it('takes a key deleted meanwhile as gone, not as a failure', async () => {
      // Prepare
      aws.aliceKeys(TWO_KEYS);
      aws.iam.on(UpdateAccessKeyCommand).callsFake(() => {
        aws.removeAliceKey(KEY.new);
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

describe("the remediation's Lambda runtime", () => {
  it("aborts the run's calls with the reason it is given, once its time is up", () => {
    // Prepare
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout'] });
    const reason = new Error('the deadline');
    try {
      // Act
      const signal = LAMBDA_RUNTIME.abortAfter(1_000, reason);
      clock.tick(999);
      const before = signal.aborted;
      clock.tick(1);

      // Assess
      expect(before).to.equal(false);
      expect(signal.aborted).to.equal(true);
      expect(signal.reason).to.equal(reason);
    } finally {
      clock.restore();
    }
  });
});
