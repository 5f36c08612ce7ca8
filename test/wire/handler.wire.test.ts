import { expect } from 'chai';
import { inWords } from '../support/inWords';
import { startFakeAws, stopFakeAws } from '../support/useFakeAws';
import { resetClients } from '../../src/config/awsClients';
import { handler } from '../../src/iam-user-single-access-key/handler';
import { ALICE, changeEvent, type EditableEvent, oversizedEvent, scheduledEvent, serialize } from '../fixtures/events';
import apiItem from '../fixtures/configuration-item.api.json';
import { SINGLE_ACCOUNT_EXECUTION_ROLE } from '../support/deploymentModes';
import type { FakeAws, FakeUser } from '../../tools/fakeAws';

// The real SDK clients of the handler, talking IAM's query protocol and Config's JSON protocol
// to a local endpoint (AWS_ENDPOINT_URL), with the SDK's own retry strategy.

const ACCOUNT = '123456789012';
const day = 86_400_000;

function users(count: number, keysOf: (index: number) => number = () => 1): FakeUser[] {
  return Array.from({ length: count }, (_, index) => ({
    userName: `user-${index}`,
    userId: `AIDAWIRE${String(index).padStart(12, '0')}`,
    path: index % 2 ? '/team/ops/' : '/',
    accessKeys: Array.from({ length: keysOf(index) }, (_, key) => ({
      accessKeyId: `AKIAWIRE${String(index).padStart(8, '0')}KEY${key}`,
      status: 'Active' as const,
      createDate: new Date(Date.now() - (100 - key) * day),
      lastUsed: key === 0 ? { date: new Date(Date.now() - day), serviceName: 's3', region: 'eu-west-1' } : undefined,
    })),
  }));
}

async function invoke(event: EditableEvent) {
  return handler(serialize(event));
}
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => error,
  );

describe('handler over the wire (real SDK, local endpoint)', function () {
  this.timeout(60_000);
  let fake: FakeAws;

  before(async () => {
    fake = await startFakeAws({ accountId: ACCOUNT, maxAttempts: 5, journal: { function: 'evaluate' } });
  });

  after(async () => {
    await stopFakeAws(fake);
  });

  beforeEach(() => {
    fake.reset();
    fake.setRateLimit(undefined);
    fake.setComplianceResults('iam-user-single-access-key', []);
    for (let index = 0; fake.userCount() > 0 && index < 100_000; index += 1) {
      // start each test from an empty account
      const user = fake.getUser(`user-${index}`) ?? fake.getUser('alice');
      if (user) fake.removeUser(user.userName);
    }
    resetClients();
  });

  it('judges every user across three ListUsers pages and reports them all, 100 per call', async () => {
    // Prepare: 250 users, every tenth with two keys, in pages of 100
    fake.addUsers(users(250, (index) => (index % 10 === 0 ? 2 : 1)));
    fake.setListUsersPaging({ maxItems: 100 });

    // Act
    const summary = await invoke(scheduledEvent());

    // Assess
    expect(fake.callsOf('ListUsers').map((call) => call.status)).to.deep.equal([200, 200, 200]);
    const evaluations = fake.putEvaluations.flatMap((call) => call.Evaluations);
    expect(evaluations).to.have.length(250);
    expect(new Set(evaluations.map((evaluation) => evaluation.ComplianceResourceId)).size).to.equal(250);
    expect(Math.max(...fake.putEvaluations.map((call) => call.Evaluations.length))).to.equal(100);
    expect(summary.recordedByCompliance).to.deep.equal({ COMPLIANT: 225, NON_COMPLIANT: 25, NOT_APPLICABLE: 0 });
    const user10 = evaluations.find((evaluation) => evaluation.ComplianceResourceId === 'AIDAWIRE000000000010');
    expect(user10?.Annotation).to.match(
      /^2 active access keys \(limit 1\): \*\*\*\*KEY0, 100d old, last used \d{4}-\d\d-\d\d \(s3\); \*\*\*\*KEY1, 99d old, never used\./,
    );
    expect(fake.putEvaluations.every((call) => call.ResultToken === 'result-token-scheduled')).to.equal(true);
  });

  it('judges, counts and records once each user that ListUsers returns twice across its pages', async () => {
    // Prepare: 300 users (every 20th with two keys: 15 NON_COMPLIANT), pages of 100, the first 30 listed again on a fourth page
    fake.addUsers(users(300, (index) => (index % 20 === 0 ? 2 : 1)));
    fake.setListUsersPaging({ maxItems: 100, repeat: Array.from({ length: 30 }, (_, index) => `user-${index}`) });

    // Act
    const summary = await invoke(scheduledEvent());

    // Assess
    expect(fake.callsOf('ListUsers')).to.have.length(4);
    const ids = fake.putEvaluations.flatMap((call) => call.Evaluations).map((evaluation) => evaluation.ComplianceResourceId);
    expect(ids).to.have.length(300);
    expect(new Set(ids).size).to.equal(300);
    expect(fake.callsOf('ListAccessKeys')).to.have.length(300);
    expect(summary.recordedByCompliance).to.deep.equal({ COMPLIANT: 285, NON_COMPLIANT: 15, NOT_APPLICABLE: 0 });
    expect(summary.sweep).to.include({ listed: 300, judged: 300, nonCompliant: 15 });
  });

  it('retries 5xx answers from IAM and Config', async () => {
    fake.addUsers(users(5));
    fake.failNext('ListAccessKeys', { status: 500, code: 'ServiceFailure' }, 2, { UserName: 'user-3' });
    fake.failNext('PutEvaluations', { status: 503, code: 'ServiceUnavailableException' }, 1);

    await invoke(scheduledEvent());

    expect(
      fake
        .callsOf('ListAccessKeys')
        .filter((call) => call.params.UserName === 'user-3')
        .map((call) => call.status),
    ).to.deep.equal([500, 500, 200]);
    expect(fake.putEvaluations.flatMap((call) => call.Evaluations)).to.have.length(5);
  });

  it('resubmits FailedEvaluations until Config takes them', async () => {
    fake.addUsers(users(3));
    fake.rejectEvaluationsNext(1, 2);

    await invoke(scheduledEvent());

    expect(fake.rejectedEvaluations).to.have.length(2);
    expect(fake.putEvaluations.map((call) => call.Evaluations.length)).to.deep.equal([1, 2]);
  });

  it('fails naming the API and user on AccessDenied, reporting the users judged before and nothing for that user', async () => {
    fake.addUsers(users(3));
    fake.failAlways(
      'ListAccessKeys',
      { status: 403, code: 'AccessDenied', message: 'not authorized to perform: iam:ListAccessKeys' },
      { UserName: 'user-2' },
    );

    const error = await rejection(invoke(scheduledEvent()));

    expect(error?.message).to.equal(
      'iam:ListAccessKeys failed for IAM user user-2: AccessDenied: not authorized to perform: iam:ListAccessKeys',
    );
    const reported = fake.putEvaluations.flatMap((call) => call.Evaluations).map((evaluation) => evaluation.ComplianceResourceId);
    expect(reported).to.have.members(['AIDAWIRE000000000000', 'AIDAWIRE000000000001']);
    expect(fake.callsOf('ListAccessKeys').filter((call) => call.params.UserName === 'user-2')).to.have.length(1);
  });

  it('reads the tags of each listed user for exemptTag (ListUsers gives none) and leaves the tagged user out of a periodic sweep', async () => {
    // Prepare: two users over the limit, one tagged break-glass=true
    const [tagged, untagged] = users(2, () => 2);
    fake.addUsers([{ ...tagged!, tags: { 'break-glass': 'true' } }, untagged!]);
    const event = scheduledEvent();
    event.ruleParameters = { exemptTag: 'break-glass=true' };

    // Act
    const summary = await invoke(event);

    // Assess
    expect(fake.callsOf('ListUserTags').map((call) => call.params.UserName)).to.have.members(['user-0', 'user-1']);
    expect(summary.recordedByCompliance).to.deep.equal({ COMPLIANT: 0, NON_COMPLIANT: 1, NOT_APPLICABLE: 1 });
    const tagged0 = fake.putEvaluations
      .flatMap((call) => call.Evaluations)
      .find((evaluation) => evaluation.ComplianceResourceId === tagged!.userId);
    expect(tagged0?.ComplianceType).to.equal('NOT_APPLICABLE');
  });

  it('judges a change notification for a user with a path by its name and reports it by its id', async () => {
    fake.addUser({
      userName: 'alice',
      userId: ALICE.userId,
      path: ALICE.path,
      accessKeys: [
        { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', status: 'Active', createDate: new Date(Date.now() - 10 * day) },
        { accessKeyId: 'AKIAI44QH8DHBEXAMPL2', status: 'Active', createDate: new Date(Date.now() - 5 * day) },
      ],
    });

    await invoke(changeEvent());

    expect(fake.putEvaluations).to.have.length(1);
    expect(inWords(fake.putEvaluations[0].Evaluations)).to.deep.equal([
      {
        ComplianceResourceType: 'AWS::IAM::User',
        ComplianceResourceId: ALICE.userId,
        ComplianceType: 'NON_COMPLIANT',
        Annotation:
          '2 active access keys (limit 1): ****MPLE, 10d old, never used; ****MPL2, 5d old, never used. Deactivate or delete all but 1.',
        OrderingTimestamp: new Date('2026-11-20T08:15:00.123Z'),
      },
    ]);
  });

  it('fetches an oversized item from GetResourceConfigHistory in the API shape', async () => {
    fake.addUser({ userName: 'alice', userId: ALICE.userId, path: ALICE.path, accessKeys: [] });
    fake.setConfigHistory(ALICE.userId, [{ ...apiItem, configurationItemCaptureTime: new Date('2026-11-20T08:15:00.123Z') }]);

    await invoke(oversizedEvent());

    expect(fake.callsOf('GetResourceConfigHistory')[0].params).to.deep.include({
      resourceType: 'AWS::IAM::User',
      resourceId: ALICE.userId,
      limit: 1,
    });
    expect(inWords(fake.putEvaluations[0].Evaluations)).to.deep.equal([
      {
        ComplianceResourceType: 'AWS::IAM::User',
        ComplianceResourceId: ALICE.userId,
        ComplianceType: 'COMPLIANT',
        Annotation: '0 active access keys (limit 1).',
        OrderingTimestamp: new Date('2026-11-20T08:15:00.123Z'),
      },
    ]);
  });

  it('makes every IAM and Config call with the assumed execution role when executionRoleName is set', async () => {
    fake.addUsers(users(2));
    const event = scheduledEvent();
    event.ruleParameters = { executionRoleName: SINGLE_ACCOUNT_EXECUTION_ROLE };

    await invoke(event);

    expect(fake.assumedRoles).to.deep.equal([`arn:aws:iam::${ACCOUNT}:role/${SINGLE_ACCOUNT_EXECUTION_ROLE}`]);
    const roleCalls = fake.calls.filter((call) => call.service !== 'sts');
    expect(roleCalls.length).to.be.greaterThan(3);
    expect(roleCalls.every((call) => call.accessKeyId?.startsWith('ASIA'))).to.equal(true);
  });
});
