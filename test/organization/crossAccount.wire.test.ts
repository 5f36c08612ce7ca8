import { expect } from 'chai';
import { startFakeAws, stopFakeAws } from '../support/useFakeAws';
import sinon from 'sinon';
import { resetClients } from '../../src/config/awsClients';
import { handler } from '../../src/iam-user-single-access-key/handler';
import apiItem from '../fixtures/configuration-item.api.json';
import { changeEvent, type EditableEvent, oversizedEvent, scheduledEvent, serialize } from '../fixtures/events';
import type { FakeAws, FakeUser, RecordedPutEvaluations } from '../../tools/fakeAws';
import { DEFAULT_RECORDER } from '../../tools/fakeAws/state';

// The organization rule as Config in two member accounts invokes the administrator account's
// function: the real SDK clients against the local fake, which acts on the account of whichever
// credentials sign a request (AssumeRole credentials act on the role's account).

const ADMINISTRATOR = '999999999999';
const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';
const ACCOUNT_C = '333333333333';
const EXECUTION_ROLE = 'IamUserSingleAccessKeyExecution';
const roleIn = (account: string) => `arn:aws:iam::${account}:role/${EXECUTION_ROLE}`;
/** How Config in a member account names the organization rule there. */
const MEMBER_RULE = 'OrgConfigRule-iam-user-single-access-key-h1kq5qbr';
const day = 86_400_000;

function user(name: string, userId: string, keys: number): FakeUser {
  return {
    userName: name,
    userId,
    accessKeys: Array.from({ length: keys }, (_, key) => ({
      accessKeyId: `AKIA${userId.slice(4, 16)}KEY${key}`,
      status: 'Active' as const,
      createDate: new Date(Date.now() - (30 - key) * day),
    })),
  };
}
const ALICE_A = user('alice', 'AIDAACCOUNTAALICE0001', 2);
const CAROL_A = user('carol', 'AIDAACCOUNTACAROL0003', 1);
const BOB_B = user('bob', 'AIDAACCOUNTBBOB000002', 1);

/** The ARN of the organization rule's copy in a member account: a service-linked rule. */
const memberRuleArn = (account: string) =>
  `arn:aws:config:us-east-1:${account}:config-rule/aws-service-rule/config-multiaccountsetup.amazonaws.com/config-rule-${account.slice(0, 6)}`;

/** An event of the organization rule in `account`, as Config there sends it. */
function orgEvent(event: EditableEvent, account: string): EditableEvent {
  event.accountId = account;
  event.configRuleName = MEMBER_RULE;
  event.configRuleArn = memberRuleArn(account);
  // Config's own role in the member account, which the function could not assume anyway.
  event.executionRoleArn = `arn:aws:iam::${account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
  event.ruleParameters = { maxAccessKeys: '1', executionRoleName: EXECUTION_ROLE };
  event.resultToken = `result-token-${account}`;
  return event;
}
function scheduledIn(account: string): EditableEvent {
  const event = orgEvent(scheduledEvent(), account);
  event.invokingEvent.awsAccountId = account;
  return event;
}

const invoke = (event: EditableEvent) => handler(serialize(event));
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => error,
  );

describe('organization rule across member accounts (real SDK, local endpoint)', function () {
  this.timeout(60_000);
  let fake: FakeAws;

  /** The account whose execution role issued the credentials that signed a call. */
  const signer = (accessKeyId: string | undefined) => (accessKeyId === undefined ? undefined : fake.credentials(accessKeyId)?.roleArn);
  const putsIn = (account: string): RecordedPutEvaluations[] => fake.putEvaluations.filter((call) => call.accountId === account);
  const reportedIds = (account: string) =>
    putsIn(account).flatMap((call) => call.Evaluations.map((evaluation) => evaluation.ComplianceResourceId));

  before(async () => {
    fake = await startFakeAws({ accountId: ADMINISTRATOR, maxAttempts: 3, journal: { function: 'evaluate' } });
  });

  after(async () => {
    await stopFakeAws(fake);
  });

  beforeEach(() => {
    fake.reset();
    resetClients();
    for (const account of [ADMINISTRATOR, ACCOUNT_A, ACCOUNT_B, ACCOUNT_C]) {
      for (const name of ['alice', 'bob', 'carol', 'dave']) fake.removeUser(name, account);
      fake.setComplianceResults(MEMBER_RULE, [], account);
      fake.setConfigRule({ ConfigRuleName: MEMBER_RULE, ConfigRuleArn: memberRuleArn(account) }, account);
    }
    fake.addUsers([ALICE_A, CAROL_A], ACCOUNT_A);
    fake.addUser(BOB_B, ACCOUNT_B);
  });

  it('reports each account with credentials of the execution role in that account', async () => {
    // Act
    const summaryA = await invoke(scheduledIn(ACCOUNT_A));
    const summaryB = await invoke(scheduledIn(ACCOUNT_B));

    // Assess: one role per account, each account's users reported in that account only
    expect(fake.assumedRoles).to.deep.equal([roleIn(ACCOUNT_A), roleIn(ACCOUNT_B)]);
    expect(reportedIds(ACCOUNT_A).sort()).to.deep.equal([ALICE_A.userId, CAROL_A.userId]);
    expect(reportedIds(ACCOUNT_B)).to.deep.equal([BOB_B.userId]);
    expect(putsIn(ADMINISTRATOR)).to.deep.equal([]);
    expect(summaryA.recordedByCompliance).to.deep.equal({ COMPLIANT: 1, NON_COMPLIANT: 1, NOT_APPLICABLE: 0 });
    expect(summaryB.recordedByCompliance).to.deep.equal({ COMPLIANT: 1, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 });
    for (const account of [ACCOUNT_A, ACCOUNT_B]) {
      const puts = putsIn(account);
      expect(puts.every((call) => call.ResultToken === `result-token-${account}`)).to.equal(true);
      expect(puts.every((call) => signer(call.accessKeyId) === roleIn(account))).to.equal(true);
    }
    // Every IAM and Config call, not only PutEvaluations, acted with the member role.
    const memberCalls = fake.calls.filter((call) => call.service !== 'sts');
    expect(memberCalls.length).to.be.greaterThan(6);
    for (const call of memberCalls) expect(signer(call.accessKeyId)).to.equal(roleIn(call.accountId));
    expect(fake.calls.some((call) => call.service !== 'sts' && call.accountId === ADMINISTRATOR)).to.equal(false);
  });

  it('serves the administrator account too, through the execution role there (Config runs the organization rule in every account)', async () => {
    // Prepare
    fake.addUser(user('dave', 'AIDAADMINISTRATORDAVE', 2), ADMINISTRATOR);

    // Act
    const summary = await invoke(scheduledIn(ADMINISTRATOR));

    // Assess
    expect(fake.assumedRoles).to.deep.equal([roleIn(ADMINISTRATOR)]);
    expect(summary.recordedByCompliance).to.deep.equal({ COMPLIANT: 0, NON_COMPLIANT: 1, NOT_APPLICABLE: 0 });
    expect(reportedIds(ADMINISTRATOR)).to.deep.equal(['AIDAADMINISTRATORDAVE']);
    for (const call of fake.calls.filter((call) => call.service !== 'sts'))
      expect(signer(call.accessKeyId)).to.equal(roleIn(ADMINISTRATOR));
  });

  it('checks the recording region of the member account through the execution role there, asking its other regions when this one records no IAM users', async () => {
    // Prepare: account B records IAM users in us-east-2 only
    fake.setRegions(['us-east-1', 'us-east-2'], ACCOUNT_B);
    fake.setConfigurationRecorders('us-east-1', [], ACCOUNT_B);
    fake.setConfigurationRecorders('us-east-2', [DEFAULT_RECORDER], ACCOUNT_B);

    try {
      // Act
      const summary = await invoke(scheduledIn(ACCOUNT_B));

      // Assess
      expect(summary.recording).to.deep.include({ region: 'us-east-1', recordedHere: false, recordedIn: ['us-east-2'] });
      const asked = fake.calls.filter((call) => call.action === 'DescribeConfigurationRecorders' || call.action === 'ListRegions');
      expect(asked.map((call) => `${call.action} ${call.region}`).sort()).to.deep.equal([
        'DescribeConfigurationRecorders us-east-1',
        'DescribeConfigurationRecorders us-east-2',
        'ListRegions us-east-1',
      ]);
      for (const call of asked) expect([call.accountId, signer(call.accessKeyId)]).to.deep.equal([ACCOUNT_B, roleIn(ACCOUNT_B)]);
      expect(reportedIds(ACCOUNT_B)).to.deep.equal([BOB_B.userId]);
    } finally {
      fake.setConfigurationRecorders('us-east-1', [DEFAULT_RECORDER], ACCOUNT_B);
    }
  });

  it('keeps each account apart when invocations for two accounts run at once', async () => {
    // Act
    await Promise.all([invoke(scheduledIn(ACCOUNT_A)), invoke(scheduledIn(ACCOUNT_B)), invoke(scheduledIn(ACCOUNT_A))]);

    // Assess
    expect([...fake.assumedRoles].sort()).to.deep.equal([roleIn(ACCOUNT_A), roleIn(ACCOUNT_B)]);
    expect(reportedIds(ACCOUNT_A).sort()).to.deep.equal([ALICE_A.userId, ALICE_A.userId, CAROL_A.userId, CAROL_A.userId]);
    expect(reportedIds(ACCOUNT_B)).to.deep.equal([BOB_B.userId]);
  });

  it('assumes each account role once and reuses its credentials across invocations and trigger types', async () => {
    // Prepare: alice's change in account A
    const change = orgEvent(changeEvent(), ACCOUNT_A);
    Object.assign(change.invokingEvent.configurationItem as Record<string, unknown>, {
      awsAccountId: ACCOUNT_A,
      resourceId: ALICE_A.userId,
      resourceName: 'alice',
      ARN: `arn:aws:iam::${ACCOUNT_A}:user/alice`,
      configuration: { path: '/', userName: 'alice', userId: ALICE_A.userId, arn: `arn:aws:iam::${ACCOUNT_A}:user/alice`, tags: [] },
      tags: {},
    });

    // Act
    await invoke(scheduledIn(ACCOUNT_A));
    await invoke(scheduledIn(ACCOUNT_B));
    await invoke(change);
    await invoke(scheduledIn(ACCOUNT_B));

    // Assess
    expect(fake.assumedRoles).to.deep.equal([roleIn(ACCOUNT_A), roleIn(ACCOUNT_B)]);
    const changePut = putsIn(ACCOUNT_A).at(-1)!;
    expect(changePut.Evaluations.map((evaluation) => [evaluation.ComplianceResourceId, evaluation.ComplianceType])).to.deep.equal([
      [ALICE_A.userId, 'NON_COMPLIANT'],
    ]);
    expect(signer(changePut.accessKeyId)).to.equal(roleIn(ACCOUNT_A));
  });

  it('reads tags for exemptTag and fetches an oversized item in the member account, with the execution role there', async () => {
    // Prepare: carol tagged exempt in account A; an oversized change of alice there
    fake.addUser({ ...CAROL_A, tags: { 'break-glass': 'true' } }, ACCOUNT_A);
    const sweep = scheduledIn(ACCOUNT_A);
    sweep.ruleParameters = { ...sweep.ruleParameters, exemptTag: 'break-glass=true' };
    const aliceArn = `arn:aws:iam::${ACCOUNT_A}:user/alice`;
    const oversized = orgEvent(oversizedEvent(), ACCOUNT_A);
    Object.assign(oversized.invokingEvent.configurationItemSummary as Record<string, unknown>, {
      awsAccountId: ACCOUNT_A,
      resourceId: ALICE_A.userId,
      resourceName: 'alice',
      ARN: aliceArn,
    });
    const configuration = { path: '/', userName: 'alice', userId: ALICE_A.userId, arn: aliceArn, tags: [] };
    const item = {
      ...apiItem,
      accountId: ACCOUNT_A,
      arn: aliceArn,
      resourceId: ALICE_A.userId,
      tags: {},
      configuration: JSON.stringify(configuration),
    };
    fake.setConfigHistory(ALICE_A.userId, [{ ...item, configurationItemCaptureTime: new Date('2026-11-20T08:15:00.123Z') }], ACCOUNT_A);

    // Act
    const sweepSummary = await invoke(sweep);
    await invoke(oversized);

    // Assess
    expect(sweepSummary.recordedByCompliance).to.deep.equal({ COMPLIANT: 0, NON_COMPLIANT: 1, NOT_APPLICABLE: 1 });
    expect(fake.callsOf('ListUserTags').map((call) => [call.accountId, call.params.UserName])).to.have.deep.members([
      [ACCOUNT_A, 'alice'],
      [ACCOUNT_A, 'carol'],
    ]);
    expect(fake.callsOf('GetResourceConfigHistory').map((call) => [call.accountId, call.params.resourceId])).to.deep.equal([
      [ACCOUNT_A, ALICE_A.userId],
    ]);
    expect(
      putsIn(ACCOUNT_A)
        .at(-1)!
        .Evaluations.map((evaluation) => [evaluation.ComplianceResourceId, evaluation.ComplianceType]),
    ).to.deep.equal([[ALICE_A.userId, 'NON_COMPLIANT']]);
    for (const call of fake.calls.filter((call) => call.service !== 'sts')) expect(signer(call.accessKeyId)).to.equal(roleIn(ACCOUNT_A));
  });

  it('assumes the role again when its credentials have less than five minutes left', async () => {
    // Prepare
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    try {
      await invoke(scheduledIn(ACCOUNT_A));
      const firstKey = putsIn(ACCOUNT_A)[0].accessKeyId;

      // Act: 50 minutes on, then 56 (the fake's credentials last an hour)
      clock.tick(50 * 60_000);
      await invoke(scheduledIn(ACCOUNT_A));
      clock.tick(6 * 60_000);
      await invoke(scheduledIn(ACCOUNT_A));

      // Assess
      expect(fake.assumedRoles).to.deep.equal([roleIn(ACCOUNT_A), roleIn(ACCOUNT_A)]);
      const keys = putsIn(ACCOUNT_A).map((call) => call.accessKeyId);
      expect(keys[1]).to.equal(firstKey);
      expect(keys[2]).not.to.equal(firstKey);
      expect(signer(keys[2])).to.equal(roleIn(ACCOUNT_A));
    } finally {
      clock.restore();
    }
  });

  it('fails naming the account and role when the role cannot be assumed, reports nothing there, and keeps serving other accounts', async () => {
    // Prepare: no execution role in account C (StackSet not deployed there)
    fake.failAlways(
      'AssumeRole',
      {
        status: 403,
        code: 'AccessDenied',
        message: `User: arn:aws:sts::${ADMINISTRATOR}:assumed-role/fn/x is not authorized to perform: sts:AssumeRole on resource: ${roleIn(ACCOUNT_C)}`,
      },
      { RoleArn: roleIn(ACCOUNT_C) },
    );

    // Act
    const error = await rejection(invoke(scheduledIn(ACCOUNT_C)));
    await invoke(scheduledIn(ACCOUNT_A));

    // Assess
    expect(
      error?.message.startsWith(`sts:AssumeRole failed for execution role ${roleIn(ACCOUNT_C)} in account ${ACCOUNT_C}: AccessDenied: `),
    ).to.equal(true);
    expect(putsIn(ACCOUNT_C)).to.deep.equal([]);
    expect(fake.calls.filter((call) => call.service !== 'sts' && call.accountId !== ACCOUNT_A)).to.deep.equal([]);
    expect(reportedIds(ACCOUNT_A).sort()).to.deep.equal([ALICE_A.userId, CAROL_A.userId]);
  });
});
