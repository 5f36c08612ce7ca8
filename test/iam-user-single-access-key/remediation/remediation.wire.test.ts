import { expect } from 'chai';
import sinon from 'sinon';
import { resetClients } from '../../../src/config/awsClients';
import { handler } from '../../../src/iam-user-single-access-key/remediation/handler';
import type { FakeAccessKey, FakeAws, FakeUser } from '../../../tools/fakeAws';
import { ApiError } from '../../../tools/fakeAws/wire';
import type { Template } from '../../support/packageTemplate';
import { stopFakeAws } from '../../support/useFakeAws';
import { ALICE, KEY } from './fixtures';
import {
  alice,
  createLockTable,
  created,
  FOURTH,
  handlerWithDeadline,
  keyStatuses,
  keyWrites,
  rejection,
  renderPayload,
  restoreEnvironment,
  retryAtOnce,
  RULE,
  startRemediationFake,
  used,
} from './remediationWire';

// The remediate function with the real SDK clients against the local fake IAM/Config/DynamoDB
// endpoint (AWS_ENDPOINT_URL), with the SDK's own retry strategy, fed the payload the packaged SSM
// document renders, its lock table created as the packaged template declares it. Races are
// staged with the fake's beforeAnswering hooks (a change made by "someone else" right before the
// function's next call is answered). The lock's own scenarios: remediationLock.wire.test.ts.
//
// Retries wait no time: the SDK's backoff draws its full jitter from Math.random, which answers 0
// here. What these tests show is which answers are retried and how a run ends; how long retries
// wait is the benchmark's (npm run bench). A run's deadline is a signal the test aborts itself.

describe('remediation over the wire (real SDK, local endpoint)', function () {
  this.timeout(180_000);
  let fake: FakeAws;
  let template: Template;
  let payloadTemplate: string;
  let lockTable: string;

  const payload = (values: Parameters<typeof renderPayload>[1] = {}) => renderPayload(payloadTemplate, values);
  const statuses = (name = 'alice') => keyStatuses(fake, name);
  const writes = () => keyWrites(fake);
  const ruleParameters = (parameters: Record<string, string>) =>
    fake.setConfigRule({ ConfigRuleName: RULE, InputParameters: JSON.stringify(parameters) });
  /** Changes alice's keys in the fake, as another actor would. */
  function changeAlice(change: (keys: FakeAccessKey[]) => FakeAccessKey[]): void {
    const user = fake.getUser('alice')!;
    fake.addUser({ ...user, accessKeys: change(user.accessKeys ?? []) });
  }

  before(async () => {
    ({ fake, template, payloadTemplate } = await startRemediationFake());
    lockTable = await createLockTable(fake, template);
  });

  after(async () => {
    await stopFakeAws(fake);
  });

  beforeEach(() => {
    fake.reset();
    fake.setRecordsIamUsers(true);
    fake.removeUser('alice');
    fake.addUser(alice());
    ruleParameters({});
    resetClients();
    delete process.env.ALLOW_DELETE;
    process.env.CONFIG_RULE_NAME = RULE;
    process.env.LOCK_TABLE_NAME = lockTable;
    retryAtOnce();
  });

  afterEach(() => {
    sinon.restore();
    restoreEnvironment();
  });

  it('deactivates the unused key under its lock, releases it, writes nothing to the user, and a second run changes nothing', async () => {
    // Act
    const first = await handler(payload());
    const second = await handler(payload());

    // Assess
    expect(statuses()).to.deep.equal({ [KEY.old]: 'Active', [KEY.new]: 'Inactive', [KEY.third]: 'Inactive' });
    expect(first).to.deep.include({ changed: true, succeeded: true, outcome: 'remediated', deactivated: ['****NEW2'] });
    expect(second).to.deep.include({ changed: false, succeeded: true, outcome: 'nothing-to-do', deactivated: [], deleted: [] });
    expect(fake.callsOf('UpdateAccessKey')).to.have.length(1);
    expect(fake.callsOf('PutItem').map((call) => call.status)).to.deep.equal([200]);
    expect(fake.callsOf('DeleteItem').map((call) => call.status)).to.deep.equal([200]);
    expect(fake.tableItems(lockTable)).to.deep.equal([]);
    expect(first.lock).to.deep.include({ table: lockTable, released: true });
    expect(
      fake.calls.filter(
        (call) =>
          call.service === 'iam' &&
          !['GetUser', 'ListUsers', 'ListAccessKeys', 'GetAccessKeyLastUsed', 'UpdateAccessKey'].includes(call.action),
      ),
    ).to.deep.equal([]);
    expect(fake.getUser('alice')?.tags).to.deep.equal({});
    expect(fake.callsOf('ListDiscoveredResources')[0]!.params).to.deep.include({
      resourceType: 'AWS::IAM::User',
      resourceIds: [ALICE.userId],
    });
  });

  it('deletes every key but the one in use with Delete, and a second run changes nothing', async () => {
    // Prepare
    process.env.ALLOW_DELETE = 'true';

    // Act
    const first = await handler(payload({ Action: 'Delete' }));
    const second = await handler(payload({ Action: 'Delete' }));

    // Assess
    expect(statuses()).to.deep.equal({ [KEY.old]: 'Active' });
    expect(first).to.deep.include({ deactivated: ['****NEW2'], deleted: ['****THR3', '****NEW2'], succeeded: true });
    expect(second).to.deep.include({ changed: false });
    expect(fake.callsOf('DeleteAccessKey')).to.have.length(2);
  });

  it("finds a user Config does not record in this region through IAM's ListUsers, and deletes its other keys with Delete", async () => {
    // Prepare: Config here records no IAM user (another region records global resources)
    process.env.ALLOW_DELETE = 'true';
    fake.setRecordsIamUsers(false);

    // Act
    const result = await handler(payload({ Action: 'Delete' }));

    // Assess
    expect(statuses()).to.deep.equal({ [KEY.old]: 'Active' });
    expect(result).to.deep.include({ succeeded: true, deleted: ['****THR3', '****NEW2'] });
    expect(fake.callsOf('ListDiscoveredResources').map((call) => call.status)).to.deep.equal([200]);
    expect(fake.callsOf('ListUsers')).to.have.length(1);
  });

  it('changes nothing on a dry run, and takes no lock', async () => {
    // Act
    const result = await handler(payload({ DryRun: true }));

    // Assess
    expect(statuses()).to.deep.equal({ [KEY.old]: 'Active', [KEY.new]: 'Active', [KEY.third]: 'Inactive' });
    expect(writes()).to.have.length(0);
    expect(fake.stats().dynamodbCalls).to.equal(0);
    expect(result).to.deep.include({ outcome: 'dry-run', succeeded: true });
    expect(result.plan.deactivate.map((key) => key.accessKeyId)).to.deep.equal(['****NEW2']);
  });

  it('retries throttling and 5xx answers from IAM and Config', async () => {
    // Prepare: no client's first call is throttled (its rate limiter would then start from its
    // lowest rate, 0.5 calls/s, and wait 2 s: correct, and the benchmark's to measure)
    fake.failNext('DescribeConfigRules', { status: 500, code: 'InternalFailure' }, 1);
    fake.failNext('ListDiscoveredResources', { status: 400, code: 'ThrottlingException' }, 1);
    fake.failNext('ListAccessKeys', { status: 503, code: 'ServiceUnavailable' }, 1);
    fake.failNext('UpdateAccessKey', { status: 400, code: 'Throttling', message: 'Rate exceeded' }, 2);

    // Act
    const result = await handler(payload());

    // Assess
    expect(result.deactivated).to.deep.equal(['****NEW2']);
    expect(fake.callsOf('UpdateAccessKey').map((call) => call.status)).to.deep.equal([400, 400, 200]);
    expect(fake.callsOf('DescribeConfigRules').map((call) => call.status)).to.deep.equal([500, 200]);
    expect(fake.callsOf('ListDiscoveredResources').map((call) => call.status)).to.deep.equal([400, 200]);
    expect(
      fake
        .callsOf('ListAccessKeys')
        .slice(0, 2)
        .map((call) => call.status),
    ).to.deep.equal([503, 200]);
  });

  it("retries a throttled change beyond its attempts: a throttle spends none, so IAM's pace never fails a run", async () => {
    // Prepare: more throttles than the 4 attempts each call has
    fake.failNext('UpdateAccessKey', { status: 400, code: 'Throttling', message: 'Rate exceeded' }, 6);

    // Act
    const result = await handler(payload());

    // Assess
    expect(result).to.deep.include({ outcome: 'remediated', deactivated: ['****NEW2'] });
    expect(fake.callsOf('UpdateAccessKey').map((call) => call.status)).to.deep.equal([400, 400, 400, 400, 400, 400, 200]);
  });

  it('reports the change it could not make once the attempts at a failing IAM run out, naming the masked key and the error', async () => {
    // Prepare
    fake.failAlways('UpdateAccessKey', { status: 503, code: 'ServiceUnavailable', message: 'Service is unavailable' });

    // Act
    const error = await rejection(handler(payload()));

    // Assess
    expect(error?.message).to.equal(
      `Remediation of IAM user alice (${ALICE.userId}) stopped part-way. Done: nothing. ` +
        'Not done: deactivate ****NEW2 (AwsCallError: iam:UpdateAccessKey failed for IAM user alice (access key ****NEW2): ServiceUnavailable: Service is unavailable).',
    );
    expect(fake.callsOf('UpdateAccessKey')).to.have.length(4);
    expect(statuses()[KEY.new]).to.equal('Active');
    expect(fake.tableItems(lockTable)).to.deep.equal([]);
  });

  it("stops a change throttled until the run's deadline, reports it not done and releases the lock", async () => {
    // Prepare: IAM throttles every UpdateAccessKey; the deadline comes with the sixth
    const deadline = new AbortController();
    let throttled = 0;
    fake.beforeAnswering(
      'UpdateAccessKey',
      () => {
        throttled += 1;
        if (throttled === 6) deadline.abort();
        throw new ApiError(400, 'Throttling', 'Rate exceeded');
      },
      Infinity,
    );

    // Act
    const error = await rejection(handlerWithDeadline(deadline)(payload()));

    // Assess
    expect(error?.message).to.match(
      /^Remediation of IAM user alice \(AIDA\w+\) stopped part-way\. Done: nothing\. Not done: deactivate \*\*\*\*NEW2 \(AwsCallError: iam:UpdateAccessKey failed for IAM user alice \(access key \*\*\*\*NEW2\): AbortError: Request aborted \(DeadlineExceededError: the run reached its deadline, 5 s before the function's timeout \(it had 120\.0 s; IAM may be throttling: run it again\)\)\)\. Stopped: /,
    );
    expect(fake.callsOf('UpdateAccessKey').map((call) => call.status)).to.deep.equal([400, 400, 400, 400, 400, 400]);
    expect(statuses()[KEY.new]).to.equal('Active');
    expect(fake.callsOf('DeleteItem').map((call) => call.status)).to.deep.equal([200]);
    expect(fake.tableItems(lockTable)).to.deep.equal([]);
  });

  it('fails naming an unknown id and changes nothing', async () => {
    // Prepare
    fake.removeUser('alice');

    // Act
    const error = await rejection(handler(payload()));

    // Assess
    expect(error?.message).to.equal(
      `No IAM user with id ${ALICE.userId}: not in AWS Config's discovered resources, and not found in IAM's ListUsers. Nothing was changed.`,
    );
    expect(fake.callsOf('UpdateAccessKey')).to.have.length(0);
  });

  describe("the rule's current parameters (MaxAccessKeys left empty)", () => {
    it("follows maxAccessKeys raised to 2 in the console: the user is compliant and left alone (the runtime's own parameters set aside)", async () => {
      // Prepare: as deployed, InputParameters also carry the runtime's recordUnchanged
      ruleParameters({ maxAccessKeys: '2', recordUnchanged: 'false' });

      // Act
      const result = await handler(payload());

      // Assess
      expect(writes()).to.have.length(0);
      expect(fake.stats().dynamodbCalls).to.equal(0);
      expect(result).to.deep.include({ outcome: 'nothing-to-do', succeeded: true, maxAccessKeys: 2 });
      expect(result.parameters).to.deep.equal({ source: 'rule', ruleName: RULE, countInactiveKeys: false, rotationGraceHours: 0 });
      expect(fake.callsOf('DescribeConfigRules').map((call) => call.params)).to.deep.equal([{ ConfigRuleNames: [RULE] }]);
    });

    it('still lets a person pass MaxAccessKeys by hand, which overrides the rule', async () => {
      // Prepare
      ruleParameters({ maxAccessKeys: '2' });

      // Act
      const result = await handler(payload({ MaxAccessKeys: 1 }));

      // Assess
      expect(result).to.deep.include({ deactivated: ['****NEW2'], maxAccessKeys: 1 });
      expect(result.parameters.source).to.equal('document');
      expect(fake.callsOf('DescribeConfigRules')).to.have.length(0);
    });

    const exemptions: { name: string; parameters: Record<string, string>; tags?: Record<string, string>; says: string }[] = [
      { name: 'listed in exemptUserNames', parameters: { exemptUserNames: 'bob, alice' }, says: 'listed in exemptUserNames' },
      {
        name: 'carrying the exemptTag',
        parameters: { exemptTag: 'break-glass=true' },
        tags: { 'break-glass': 'true' },
        says: 'tagged break-glass=true',
      },
    ];
    for (const { name, parameters, tags, says } of exemptions) {
      it(`never remediates a user ${name}`, async () => {
        // Prepare
        ruleParameters(parameters);
        if (tags) fake.addUser({ ...alice(), tags });

        // Act
        const result = await handler(payload());

        // Assess
        expect(writes()).to.have.length(0);
        expect(result).to.deep.include({ outcome: 'exempt', succeeded: true, changed: false });
        expect(result.summary).to.include(says);
      });
    }

    it('does not count or touch a key younger than rotationGraceHours', async () => {
      // Prepare: a third active key created an hour ago; two older ones over the limit
      ruleParameters({ rotationGraceHours: '24' });
      changeAlice((keys) => [...keys, { accessKeyId: FOURTH, status: 'Active', createDate: new Date(Date.now() - 3_600_000) }]);

      // Act
      const result = await handler(payload());

      // Assess
      expect(statuses()).to.deep.equal({ [KEY.old]: 'Active', [KEY.new]: 'Inactive', [KEY.third]: 'Inactive', [FOURTH]: 'Active' });
      expect(result).to.deep.include({ outcome: 'remediated', succeeded: true });
    });

    it('leaves a user alone whose second key is within rotationGraceHours (the rule calls it compliant)', async () => {
      // Prepare: the never-used key is 2 days old
      ruleParameters({ rotationGraceHours: '72' });

      // Act
      const result = await handler(payload());

      // Assess
      expect(writes()).to.have.length(0);
      expect(result.outcome).to.equal('nothing-to-do');
    });

    it('says Deactivate cannot help with countInactiveKeys=true, changes nothing, and reports not succeeded', async () => {
      // Prepare
      ruleParameters({ countInactiveKeys: 'true', maxAccessKeys: '2' });

      // Act
      const result = await handler(payload());

      // Assess
      expect(writes()).to.have.length(0);
      expect(result).to.deep.include({ outcome: 'cannot-comply', succeeded: false, changed: false });
      expect(result.summary).to.include('countInactiveKeys=true').and.to.include('Action=Delete');
    });

    it('fails naming a malformed rule parameter, before any change', async () => {
      // Prepare
      ruleParameters({ maxAccessKeys: 'two' });

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.match(/^Invalid rule parameter "maxAccessKeys"/);
      expect(writes()).to.have.length(0);
    });

    it('fails naming the rule when it does not exist, and asks for MaxAccessKeys', async () => {
      // Prepare
      process.env.CONFIG_RULE_NAME = 'no-such-rule';

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.include('Config rule no-such-rule does not exist; pass MaxAccessKeys');
      expect(writes()).to.have.length(0);
    });
  });

  it('refuses Delete where the deployment does not allow it, a dry run exactly as a live run, before any call', async () => {
    // Act
    const dryRun = await rejection(handler(payload({ Action: 'Delete', DryRun: true })));
    const live = await rejection(handler(payload({ Action: 'Delete' })));

    // Assess
    expect(dryRun?.message)
      .to.equal(live?.message)
      .and.to.equal(
        'Invalid remediation request field "Action": Delete is not enabled in this deployment ' +
          '(deploy with remediationAllowDelete=true or remediationAction=Delete). Nothing was changed.',
      );
    expect(fake.calls).to.have.length(0);
  });

  describe('changes made by someone else during the run', () => {
    it('undoes its own deactivation when the kept key is deleted between its check and its change', async () => {
      // Prepare: someone deletes the kept key just as the function deactivates the other one
      fake.beforeAnswering('UpdateAccessKey', () => changeAlice((keys) => keys.filter((key) => key.accessKeyId !== KEY.old)));

      // Act
      const error = await rejection(handler(payload()));

      // Assess: alice keeps an active key
      expect(statuses()).to.deep.equal({ [KEY.new]: 'Active', [KEY.third]: 'Inactive' });
      expect(error?.message).to.equal(
        `Remediation of IAM user alice (${ALICE.userId}) stopped part-way. Done: deactivated ****NEW2, reactivated ****NEW2. Not done: nothing. ` +
          'Stopped: ConcurrentChangeError: kept key(s) ****OLD1 no longer active (deactivated or deleted by someone else during the run).',
      );
    });

    it('reactivates only the key it deactivated, never another inactive key whose id ends the same', async () => {
      // Prepare: an inactive key someone disabled on purpose ends like the key the run deactivates
      const lookalike = 'AKIAZZZZZZZZZZZZNEW2';
      // (listed first, where a match on the masked id would find it before the run's own key)
      changeAlice((keys) => [
        { accessKeyId: lookalike, status: 'Inactive', createDate: created(300) },
        ...keys.filter((key) => key.accessKeyId !== KEY.third),
      ]);
      fake.beforeAnswering('UpdateAccessKey', () => changeAlice((keys) => keys.filter((key) => key.accessKeyId !== KEY.old)));

      // Act
      await rejection(handler(payload()));

      // Assess: the run's own key is active again, the look-alike stays inactive
      expect(statuses()).to.deep.equal({ [KEY.new]: 'Active', [lookalike]: 'Inactive' });
    });

    it('stops before any change when the kept key is deactivated before its check', async () => {
      // Prepare: someone deactivates the kept key just before the re-check that precedes the
      // change (the third listing: the first read, the read under the lock, the re-check)
      let listings = 0;
      fake.beforeAnswering(
        'ListAccessKeys',
        () => {
          listings += 1;
          if (listings === 3)
            changeAlice((keys) => keys.map((key) => (key.accessKeyId === KEY.old ? { ...key, status: 'Inactive' } : key)));
        },
        Infinity,
      );

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(writes()).to.have.length(0);
      expect(statuses()[KEY.new]).to.equal('Active');
      expect(error?.message).to.equal(
        `Remediation of IAM user alice (${ALICE.userId}) stopped part-way. Done: nothing. Not done: deactivate ****NEW2 (skipped: the run stopped). ` +
          'Stopped: ConcurrentChangeError: kept key(s) ****OLD1 no longer active (deactivated or deleted by someone else during the run).',
      );
    });

    it('never touches the keys of a user re-created under the same name between GetUser and ListAccessKeys', async () => {
      // Prepare: alice is deleted and a new alice (another id) created just before her keys are listed
      const newAlice: FakeUser = {
        userName: 'alice',
        userId: 'AIDANEWALICE000000000',
        accessKeys: [
          { accessKeyId: 'AKIANEWALICEKEY00001', status: 'Active', createDate: created(1), lastUsed: used(1) },
          { accessKeyId: 'AKIANEWALICEKEY00002', status: 'Active', createDate: created(1) },
        ],
      };
      fake.beforeAnswering('ListAccessKeys', () => fake.addUser(newAlice));

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(writes()).to.have.length(0);
      expect(statuses()).to.deep.equal({ AKIANEWALICEKEY00001: 'Active', AKIANEWALICEKEY00002: 'Active' });
      expect(error?.message).to.include('nothing was changed').and.to.include(`is no longer ${ALICE.userId}`);
    });

    it('does not delete a key that someone made active again after the function deactivated it', async () => {
      // Prepare: listings are the first read, the read under the lock, then one re-check per
      // change: deactivate ****NEW2, delete ****THR3, delete ****NEW2 (the fifth)
      process.env.ALLOW_DELETE = 'true';
      let listings = 0;
      fake.beforeAnswering(
        'ListAccessKeys',
        () => {
          listings += 1;
          if (listings === 5) changeAlice((keys) => keys.map((key) => (key.accessKeyId === KEY.new ? { ...key, status: 'Active' } : key)));
        },
        Infinity,
      );

      // Act
      const error = await rejection(handler(payload({ Action: 'Delete' })));

      // Assess
      expect(statuses()).to.deep.equal({ [KEY.old]: 'Active', [KEY.new]: 'Active' });
      expect(error?.message).to.equal(
        `Remediation of IAM user alice (${ALICE.userId}) stopped part-way. Done: deactivated ****NEW2, deleted ****THR3. ` +
          'Not done: delete ****NEW2 (skipped: the run stopped). Stopped: ConcurrentChangeError: ****NEW2 was made active again during the run.',
      );
    });

    it('reports the user still over the limit, not success, when a key is created during the run', async () => {
      // Prepare: someone creates a key just as the function deactivates the unused one
      fake.beforeAnswering('UpdateAccessKey', () =>
        changeAlice((keys) => [...keys, { accessKeyId: FOURTH, status: 'Active', createDate: new Date() }]),
      );

      // Act
      const result = await handler(payload());

      // Assess
      expect(result).to.deep.include({ outcome: 'still-over-limit', succeeded: false, deactivated: ['****NEW2'] });
      expect(result.summary).to.include('Still over the limit (key(s) created during the run: ****FOR4)');
      expect(statuses()[FOURTH]).to.equal('Active');
    });
  });
});
