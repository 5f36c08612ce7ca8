import { expect } from 'chai';
import { resetClients } from '../../src/config/awsClients';
import { handler } from '../../src/iam-user-single-access-key/handler';
import { ALICE, changeEvent, type EditableEvent, scheduledEvent, serialize } from '../fixtures/events';
import type { FakeAccessKey, FakeAws, FakeUser, RecordedEvaluation } from '../../tools/fakeAws';
import { inWords } from '../support/inWords';
import { startFakeAws, stopFakeAws } from '../support/useFakeAws';

// Users whose name no longer leads to them (renamed, deleted, the name taken by another user, or an
// item with a name IAM never had), through the real handler, the real SDK and the local fake: the
// user is found by its id and judged under its current name; "no longer exists" only when a
// complete listing lacks the id. Config's order guarantee is shown on the fake's stored results.

const RULE = 'iam-user-single-access-key';
const DAY = 86_400_000;
const GONE = `IAM user alice (${ALICE.userId}) no longer exists: no user has this id in a complete listing of the account's users.`;

function key(slot: number, ageDays: number, status: FakeAccessKey['status'] = 'Active'): FakeAccessKey {
  return { accessKeyId: `AKIARENAMED00000KEY${slot}`, status, createDate: new Date(Date.now() - ageDays * DAY) };
}

/** Alice (ALICE.userId) under `userName`, with two active keys unless told otherwise. */
function alice(userName: string, keys: FakeAccessKey[] = [key(1, 100), key(2, 10)]): FakeUser {
  return { userName, userId: ALICE.userId, path: ALICE.path, accessKeys: keys };
}

function others(count: number): FakeUser[] {
  return Array.from({ length: count }, (_, index) => ({
    userName: `other-${index}`,
    userId: `AIDAOTHER${String(index).padStart(11, '0')}`,
    accessKeys: [],
  }));
}

/** A change notification for ALICE.userId whose item carries `userName`, captured at `captureTime`. */
function itemNamed(userName: string, captureTime = '2026-11-20T08:15:00.123Z'): EditableEvent {
  const event = changeEvent();
  const item = event.invokingEvent.configurationItem as Record<string, unknown>;
  item.configuration = { ...(item.configuration as Record<string, unknown>), userName };
  item.resourceName = userName;
  item.configurationItemCaptureTime = captureTime;
  return event;
}

const TWO_KEYS = /^2 active access keys \(limit 1\): \*\*\*\*KEY1, 100d old, never used; \*\*\*\*KEY2, 10d old, never used\. /;

describe('users whose name no longer leads to them (real SDK, local endpoint)', function () {
  this.timeout(60_000);
  let fake: FakeAws;
  const recorded = (): RecordedEvaluation[] => inWords(fake.putEvaluations.flatMap((call) => call.Evaluations));
  const names = (action: string) => fake.callsOf(action).map((call) => call.params.UserName);

  before(async () => {
    fake = await startFakeAws({ accountId: '123456789012', maxAttempts: 3, journal: { function: 'evaluate' } });
  });

  after(async () => {
    await stopFakeAws(fake);
  });

  beforeEach(() => {
    for (const name of ['alice', 'alice-2026', 'alice-old', 'rn-0', 'rn-1', 'rn-1-renamed', 'rn-2']) fake.removeUser(name);
    for (const user of others(2500)) fake.removeUser(user.userName);
    fake.setComplianceResults(RULE, []);
    fake.reset();
    resetClients();
  });

  it('judges a renamed user under its current name when the item still carries the old one, listing users only until it is found', async () => {
    // Prepare: alice is alice-2026 now, first of 2,501 users (three ListUsers pages)
    fake.addUsers([alice('alice-2026'), ...others(2500)]);

    // Act
    await handler(serialize(itemNamed('alice')));

    // Assess
    expect(recorded()).to.have.length(1);
    expect(recorded()[0]).to.include({ ComplianceResourceId: ALICE.userId, ComplianceType: 'NON_COMPLIANT' });
    expect(recorded()[0].Annotation).to.match(TWO_KEYS);
    expect(names('GetUser')).to.deep.equal(['alice', 'alice-2026']);
    expect(fake.callsOf('ListUsers')).to.have.length(1);
    expect(names('ListAccessKeys')).to.deep.equal(['alice-2026']);
  });

  const bogus: [string, string, string[]][] = [
    ['a name IAM never had', 'no-such-user', ['no-such-user', 'alice-2026']],
    ['a name IAM would refuse (asked nothing by it)', 'not a user/name', ['alice-2026']],
  ];
  for (const [what, userName, getUserNames] of bogus) {
    it(`judges the user of the id when the item carries ${what}`, async () => {
      fake.addUsers([alice('alice-2026')]);

      await handler(serialize(itemNamed(userName)));

      expect(recorded()[0]).to.include({ ComplianceResourceId: ALICE.userId, ComplianceType: 'NON_COMPLIANT' });
      expect(names('GetUser')).to.deep.equal(getUserNames);
    });
  }

  it('judges the user of the id, not another user who took its old name since', async () => {
    // Prepare: alice renamed to alice-old (two keys); a new user named alice (one key)
    fake.addUsers([{ userName: 'alice', userId: 'AIDANEWALICE00000001', accessKeys: [key(3, 5)] }, alice('alice-old')]);

    // Act
    await handler(serialize(itemNamed('alice')));

    // Assess
    expect(recorded().map((evaluation) => [evaluation.ComplianceResourceId, evaluation.ComplianceType])).to.deep.equal([
      [ALICE.userId, 'NON_COMPLIANT'],
    ]);
    expect(names('ListAccessKeys')).to.deep.equal(['alice-old']);
  });

  it('reports "no longer exists" only when a complete listing lacks the id, naming who has the name now', async () => {
    // Prepare: alice is gone; a new user took the name; 2,500 others (three pages)
    fake.addUsers([...others(2500), { userName: 'alice', userId: 'AIDANEWALICE00000001', accessKeys: [] }]);

    // Act
    await handler(serialize(itemNamed('alice')));

    // Assess
    expect(recorded()).to.deep.equal([
      {
        ComplianceResourceType: 'AWS::IAM::User',
        ComplianceResourceId: ALICE.userId,
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: `${GONE} The name alice now belongs to user id AIDANEWALICE00000001.`,
        OrderingTimestamp: new Date('2026-11-20T08:15:00.123Z'),
      },
    ]);
    expect(fake.callsOf('ListUsers').map((call) => call.status)).to.deep.equal([200, 200, 200]);
  });

  it("lists no user when the item's name still leads to its id", async () => {
    fake.addUsers([alice('alice'), ...others(10)]);

    await handler(serialize(itemNamed('alice')));

    expect(recorded()[0]).to.include({ ComplianceType: 'NON_COMPLIANT' });
    expect(fake.callsOf('ListUsers')).to.have.length(0);
  });

  it('never lets an older item overwrite a newer verdict: Config keeps the result with the latest capture time', async () => {
    // Prepare: Config stores what the rule records; alice is alice-2026 now, with two active keys
    fake.storeEvaluations('result-token-change', RULE);
    fake.storeEvaluations('result-token-scheduled', RULE);
    fake.addUsers([alice('alice-2026')]);
    await handler(serialize(itemNamed('alice-2026', '2026-11-20T09:00:00.000Z')));
    // ...then her second key is deactivated (no configuration item: keys are not part of it)
    fake.addUser(alice('alice-2026', [key(1, 100), key(2, 10, 'Inactive')]));

    // Act: the item of the rename (older, carrying the old name) arrives late
    fake.reset();
    await handler(serialize(itemNamed('alice', '2026-11-20T08:15:00.123Z')));
    const late = recorded();
    const storedAfterLate = fake.complianceResults(RULE);
    // ...and the next sweep, ordered by its notification time
    const sweep = scheduledEvent();
    sweep.invokingEvent.notificationCreationTime = '2026-11-20T10:00:00.000Z';
    await handler(serialize(sweep));

    // Assess: the late item was judged (by id) and sent with its own capture time, and Config kept
    // the newer verdict; the sweep, newer still, recorded the user as she is now
    expect(late).to.have.length(1);
    expect(late[0]).to.include({ ComplianceResourceId: ALICE.userId, ComplianceType: 'COMPLIANT' });
    expect(late[0].OrderingTimestamp).to.deep.equal(new Date('2026-11-20T08:15:00.123Z'));
    expect(storedAfterLate).to.have.length(1);
    expect(storedAfterLate[0]).to.include({ complianceType: 'NON_COMPLIANT' });
    expect(storedAfterLate[0].orderingTimestamp).to.deep.equal(new Date('2026-11-20T09:00:00.000Z'));
    expect(fake.complianceResults(RULE)[0]).to.include({ complianceType: 'COMPLIANT' });
    expect(fake.complianceResults(RULE)[0].orderingTimestamp).to.deep.equal(new Date('2026-11-20T10:00:00.000Z'));
  });

  const midSweep: [string, (user: FakeUser) => void, string, string | RegExp][] = [
    ['renamed', (user) => fake.addUser({ ...user, userName: 'rn-1-renamed', arn: undefined }), 'NON_COMPLIANT', /^2 active access keys/],
    [
      'deleted',
      () => undefined,
      'NOT_APPLICABLE',
      "IAM user rn-1 (AIDARENAMEDSWEEP0001) no longer exists: no user has this id in a complete listing of the account's users.",
    ],
  ];
  for (const [what, change, complianceType, annotation] of midSweep) {
    it(`judges a user ${what} while a sweep lists users by its id, never as gone unless a complete listing lacks it`, async () => {
      // Prepare: rn-1 changes right before its keys are read
      fake.addUsers(
        [0, 1, 2].map((index) => ({
          userName: `rn-${index}`,
          userId: `AIDARENAMEDSWEEP000${index}`,
          accessKeys: index === 1 ? [key(1, 100), key(2, 10)] : [key(index, 30)],
        })),
      );
      fake.beforeAnswering(
        'ListAccessKeys',
        (request) => {
          if (request.params.UserName !== 'rn-1') return;
          const user = fake.getUser('rn-1')!;
          fake.removeUser('rn-1');
          change(user);
        },
        Infinity,
      );

      // Act
      const summary = await handler(serialize(scheduledEvent()));

      // Assess
      const rn1 = recorded().filter((evaluation) => evaluation.ComplianceResourceId === 'AIDARENAMEDSWEEP0001');
      expect(rn1).to.have.length(1);
      expect(rn1[0].ComplianceType).to.equal(complianceType);
      if (typeof annotation === 'string') expect(rn1[0].Annotation).to.equal(annotation);
      else expect(rn1[0].Annotation).to.match(annotation);
      expect(fake.callsOf('ListUsers')).to.have.length(2);
      expect(summary.sweep).to.include({ listed: 3, judged: 3 });
    });
  }
});
