import { ConfigServiceClient, ListDiscoveredResourcesCommand } from '@aws-sdk/client-config-service';
import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  NoSuchEntityException,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import { resetClients } from '../../../src/config/awsClients';
import { logger } from '../../../src/config/logger';
import { RemediationError, UnknownIamUserError } from '../../../src/iam-user-single-access-key/remediation/errors';
import { createRemediationHandler } from '../../../src/iam-user-single-access-key/remediation/handler';
import { ALICE, daysAgo, KEY, NOW } from './fixtures';

type KeySpec = { id: string; status?: 'Active' | 'Inactive'; created: number; used: number | null };

function accessDenied(api: string): Error {
  return Object.assign(new Error(`not authorized to perform: ${api}`), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } });
}
const noSuchEntity = () => new NoSuchEntityException({ message: 'cannot be found', $metadata: {} });
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: Error) => error);
// The lock's read-back follows the tag write at once: these tests stage no concurrent run.
const handler = createRemediationHandler({ lockSettleMs: 0, lockMaxTakeMs: 60_000 });

describe('remediation handler', () => {
  // Created per suite and restored after it: a mock stubs every client of its class.
  let iam: AwsClientStub<IAMClient>;
  let config: AwsClientStub<ConfigServiceClient>;
  let clock: sinon.SinonFakeTimers;
  let logs: { info: sinon.SinonSpy; warn: sinon.SinonSpy; error: sinon.SinonSpy };
  const savedAllowDelete = process.env.ALLOW_DELETE;

  before(() => {
    iam = mockClient(IAMClient);
    config = mockClient(ConfigServiceClient);
  });
  after(() => {
    iam.restore();
    config.restore();
  });

  beforeEach(() => {
    iam.reset();
    config.reset();
    resetClients();
    delete process.env.ALLOW_DELETE;
    clock = sinon.useFakeTimers({ now: NOW, toFake: ['Date'] });
    logs = { info: sinon.spy(logger, 'info'), warn: sinon.spy(logger, 'warn'), error: sinon.spy(logger, 'error') };
    // Config knows alice by her id; IAM confirms the name.
    config.on(ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [{ resourceType: 'AWS::IAM::User', resourceId: ALICE.userId, resourceName: 'alice' }] });
    tags.clear();
    answerGetUser('alice', ALICE.userId, ALICE.path);
    iam.on(TagUserCommand).callsFake((input: { UserName: string; Tags: { Key: string; Value: string }[] }) => {
      const userTags = tags.get(input.UserName) ?? new Map<string, string>();
      for (const tag of input.Tags) userTags.set(tag.Key, tag.Value);
      tags.set(input.UserName, userTags);
      return {};
    });
    iam.on(UntagUserCommand).callsFake((input: { UserName: string; TagKeys: string[] }) => {
      for (const key of input.TagKeys) tags.get(input.UserName)?.delete(key);
      return {};
    });
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
    if (savedAllowDelete === undefined) delete process.env.ALLOW_DELETE;
    else process.env.ALLOW_DELETE = savedAllowDelete;
  });

  /** Tags by user name, as TagUser and UntagUser leave them (the lock tag). */
  const tags = new Map<string, Map<string, string>>();
  /** GetUser for `name` answers this user, with the tags TagUser set. */
  function answerGetUser(name: string, userId: string, path: string): void {
    iam.on(GetUserCommand, { UserName: name }).callsFake(() => ({
      User: {
        UserName: name,
        UserId: userId,
        Path: path,
        Arn: 'arn',
        CreateDate: daysAgo(900),
        Tags: [...(tags.get(name) ?? [])].map(([Key, Value]) => ({ Key, Value })),
      },
    }));
  }

  /** Alice's keys as ListAccessKeys and GetAccessKeyLastUsed answer. */
  let aliceState: { UserName: string; AccessKeyId: string; Status: string; CreateDate: Date }[] = [];
  function aliceKeys(keys: KeySpec[]): void {
    aliceState = keys.map((k) => ({ UserName: 'alice', AccessKeyId: k.id, Status: k.status ?? 'Active', CreateDate: daysAgo(k.created) }));
    iam.on(ListAccessKeysCommand, { UserName: 'alice' }).callsFake(() => ({ AccessKeyMetadata: aliceState.map((key) => ({ ...key })) }));
    for (const k of keys) {
      iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: k.id }).resolves({
        UserName: 'alice',
        AccessKeyLastUsed: k.used === null ? { ServiceName: 'N/A', Region: 'N/A' } : { LastUsedDate: daysAgo(k.used), ServiceName: 's3', Region: 'eu-west-1' },
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
    AutomationExecutionId: '4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab',
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
    });
    expect(config.commandCalls(ListDiscoveredResourcesCommand)[0].args[0].input).to.deep.equal({ resourceType: 'AWS::IAM::User', resourceIds: [ALICE.userId] });
  });

  it('logs each change with the user and the masked key, and never a whole key id', async () => {
    // Prepare
    aliceKeys(twoKeys);

    // Act
    await handler(payload());

    // Assess
    expect(logs.info.calledWith('Deactivated access key', { userName: 'alice', userId: ALICE.userId, accessKeyId: '****NEW2' })).to.equal(true);
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
    expect(result.summary).to.equal(`Dry run, nothing changed. IAM user alice (${ALICE.userId}): would keep ****OLD1; would deactivate ****NEW2.`);
  });

  it('leaves a compliant user alone', async () => {
    // Prepare
    aliceKeys([{ id: KEY.old, created: 400, used: 1 }, { id: KEY.new, status: 'Inactive', created: 2, used: null }]);

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

  describe('finding the user', () => {
    it('falls back to IAM ListUsers when Config has not discovered the id (a region not recording IAM users)', async () => {
      // Prepare
      config.on(ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [] });
      iam.on(ListUsersCommand).resolves({ Users: [
        { UserName: 'bob', UserId: 'AIDABOBBOBBOBBOBBOB00', Path: '/', Arn: 'arn', CreateDate: daysAgo(1) },
        { UserName: 'alice', UserId: ALICE.userId, Path: ALICE.path, Arn: 'arn', CreateDate: daysAgo(1) },
      ] });
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
      iam.on(ListUsersCommand).resolves({ Users: [{ UserName: 'alice2', UserId: ALICE.userId, Path: ALICE.path, Arn: 'arn', CreateDate: daysAgo(900) }] });
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
      iam.on(ListUsersCommand).resolves({ Users: [{ UserName: 'bob', UserId: 'AIDABOBBOBBOBBOBBOB00', Path: '/', Arn: 'arn', CreateDate: daysAgo(1) }] });

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
          'ResourceEvaluationError: iam:ListAccessKeys failed for IAM user alice: AccessDenied: not authorized to perform: iam:ListAccessKeys',
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
          'Not done: deactivate ****NEW2 (ResourceEvaluationError: iam:UpdateAccessKey failed for IAM user alice (access key ****NEW2): ' +
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
      expect(error?.message).to.match(/Done: nothing\. Not done: deactivate \*\*\*\*NEW2 \(.*\), delete \*\*\*\*NEW2 \(skipped: not deactivated\)\.$/);
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
