import { expect } from 'chai';
import sinon from 'sinon';
import { resetClients } from '../../src/config/awsClients';
import type { Verdict } from '../../src/config/ComplianceType';
import { createRuleHandler } from '../../src/config/createRuleHandler';
import { withoutFactsMarker } from '../../src/config/resultFingerprint';
import { handler } from '../../src/iam-user-single-access-key/handler';
import { accessKeyRule } from '../../src/iam-user-single-access-key/rule';
import { type EditableEvent, scheduledEvent, serialize } from '../fixtures/events';
import type { FakeAccessKey, FakeAws, FakeComplianceResult, FakeUser, RecordedEvaluation } from '../../tools/fakeAws';
import { pageToken } from '../../tools/fakeAws/wire';
import { startFakeAws, stopFakeAws } from '../support/useFakeAws';

// Periodic sweeps against results Config already holds (issue 9): the fake stores what the
// handler's PutEvaluations record as the rule's results, and serves them back to the next sweep
// through GetComplianceDetailsByConfigRule, as Config does.

const RULE = 'iam-user-single-access-key';
const ACCOUNT = '123456789012';
const DAY = 86_400_000;
const GONE = 'Resource no longer exists: not found in a full listing of the account.';

function key(user: number, slot: number, ageDays: number, status: FakeAccessKey['status'] = 'Active'): FakeAccessKey {
  return { accessKeyId: `AKIAREC${String(user).padStart(8, '0')}K${slot}`, status, createDate: new Date(Date.now() - ageDays * DAY) };
}

function user(index: number, keys: FakeAccessKey[] = [key(index, 0, 100)]): FakeUser {
  return { userName: `rec-${index}`, userId: `AIDAREC${String(index).padStart(13, '0')}`, accessKeys: keys };
}

const idOf = (index: number) => user(index).userId;

/** A scheduled event of the given hour of 2026-11-21, so that each sweep orders after the last. */
function sweepEvent(hour: number, ruleParameters: Record<string, string> = {}): EditableEvent {
  const event = scheduledEvent();
  event.invokingEvent.notificationCreationTime = `2026-11-21T${String(hour).padStart(2, '0')}:00:00.000Z`;
  event.ruleParameters = ruleParameters;
  return event;
}

const recorded = (fake: FakeAws): RecordedEvaluation[] => fake.putEvaluations.flatMap((call) => call.Evaluations);
const inWords = (evaluations: RecordedEvaluation[]) => evaluations.map((evaluation) => withoutFactsMarker(evaluation.Annotation ?? ''));

/** The rule as a later (or earlier) version might word it: other words, the same facts. */
const rewordedHandler = createRuleHandler({
  ...accessKeyRule,
  async evaluateResource(user, context): Promise<Verdict> {
    const verdict = await accessKeyRule.evaluateResource(user, context);
    return { ...verdict, annotation: `In other words: ${verdict.annotation.toUpperCase().replaceAll(';', ' /')}` };
  },
});
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => error,
  );

describe('periodic sweeps record only what changed (real SDK, local endpoint)', function () {
  this.timeout(60_000);
  let fake: FakeAws;

  before(async () => {
    fake = await startFakeAws({ accountId: ACCOUNT, maxAttempts: 3, journal: { function: 'evaluate' } });
  });

  after(async () => {
    await stopFakeAws(fake);
  });

  beforeEach(() => {
    fake.reset();
    fake.setComplianceResults(RULE, []);
    fake.storeEvaluations('result-token-scheduled', RULE);
    for (let index = 0; index < 300; index += 1) fake.removeUser(`rec-${index}`);
    resetClients();
  });

  /** Sweeps once to store every user's result, then clears the recorded traffic. */
  async function firstSweep(): Promise<void> {
    await handler(serialize(sweepEvent(0)));
    fake.reset();
  }

  it('records nothing for users whose result Config already holds, across several pages of stored results', async () => {
    // Prepare: 250 users (3 pages of stored results), every tenth with two keys
    fake.addUsers(
      Array.from({ length: 250 }, (_, index) => user(index, index % 10 === 0 ? [key(index, 0, 100), key(index, 1, 50)] : undefined)),
    );
    await firstSweep();

    // Act
    const summary = await handler(serialize(sweepEvent(1)));

    // Assess
    expect(recorded(fake)).to.deep.equal([]);
    expect(fake.callsOf('GetComplianceDetailsByConfigRule')).to.have.length(3);
    expect(summary).to.deep.include({ toRecord: 0, recorded: 0, unchanged: 250 });
    expect(summary.sweep).to.include({ judged: 250 });
  });

  it('records a user whose compliance changed, and only that user', async () => {
    fake.addUsers([user(0), user(1), user(2)]);
    await firstSweep();
    fake.addUser(user(1, [key(1, 0, 100), key(1, 1, 0.5)]));

    const summary = await handler(serialize(sweepEvent(1)));

    expect(recorded(fake).map((evaluation) => [evaluation.ComplianceResourceId, evaluation.ComplianceType])).to.deep.equal([
      [idOf(1), 'NON_COMPLIANT'],
    ]);
    expect(summary).to.deep.include({ toRecord: 1, recorded: 1, unchanged: 2 });
  });

  it('records a user of the same compliance whose counted key is another one (a rotation)', async () => {
    fake.addUsers([user(0), user(1)]);
    await firstSweep();
    fake.addUser(user(0, [key(0, 1, 1)]));

    await handler(serialize(sweepEvent(1)));

    expect(recorded(fake)).to.have.length(1);
    expect(recorded(fake)[0]).to.deep.include({ ComplianceResourceId: idOf(0), ComplianceType: 'COMPLIANT' });
    expect(inWords(recorded(fake))).to.deep.equal(['1 active access key (limit 1): ****00K1, 1d old.']);
  });

  it('records a user whose extra key was deactivated (compliance and annotation change)', async () => {
    fake.addUsers([user(0, [key(0, 0, 100), key(0, 1, 10)])]);
    await firstSweep();
    fake.addUser(user(0, [key(0, 0, 100), key(0, 1, 10, 'Inactive')]));

    await handler(serialize(sweepEvent(1)));

    expect(inWords(recorded(fake))).to.deep.equal(['1 active access key (limit 1): ****00K0, 100d old. 1 inactive not counted.']);
  });

  it('records nothing new when the wording changed and the ages moved on, and Config keeps the words it holds', async () => {
    // Prepare: the results of a sweep of a version that worded its annotations otherwise
    fake.addUsers([user(0), user(1, [key(1, 0, 100), key(1, 1, 50)]), user(2, [key(2, 0, 100, 'Inactive')])]);
    await rewordedHandler(serialize(sweepEvent(0)));
    fake.reset();
    const held = fake.complianceResults(RULE);
    expect(held.map((result) => result.annotation)).to.satisfy((annotations: string[]) =>
      annotations.every((annotation) => annotation.startsWith('In other words: ')),
    );

    // Act: this version's words, three days later (every age in the annotations moved on)
    const clock = sinon.useFakeTimers({ now: Date.now() + 3 * DAY, toFake: ['Date'] });
    let summary;
    try {
      summary = await handler(serialize(sweepEvent(1)));
    } finally {
      clock.restore();
    }

    // Assess
    expect(recorded(fake)).to.deep.equal([]);
    expect(summary).to.deep.include({ toRecord: 0, unchanged: 3 });
    expect(fake.complianceResults(RULE)).to.deep.equal(held);
  });

  it('records once the results a version without facts stored (no marker), then leaves them', async () => {
    // Prepare: results as the version before facts worded them, with the ages of then
    fake.addUsers([user(0), user(1, [key(1, 0, 100), key(1, 1, 50)])]);
    const stored: FakeComplianceResult[] = [
      { resourceId: idOf(0), complianceType: 'COMPLIANT', annotation: '1 active access key (limit 1): ****00K0, 97d old.' },
      {
        resourceId: idOf(1),
        complianceType: 'NON_COMPLIANT',
        annotation:
          '2 active access keys (limit 1): ****01K0, 97d old, last used 2026-11-01 (s3); ****01K1, 47d old, last used 2026-10-02 (iam). Deactivate or delete all but 1.',
      },
    ];
    fake.setComplianceResults(RULE, stored);

    // Act
    const upgrade = await handler(serialize(sweepEvent(1)));
    const upgradeRecorded = recorded(fake);
    fake.reset();
    const next = await handler(serialize(sweepEvent(2)));

    // Assess: the first sweep after the upgrade records every user once; the next one none
    expect(upgradeRecorded.map((evaluation) => evaluation.ComplianceResourceId)).to.have.members([idOf(0), idOf(1)]);
    expect(upgrade).to.deep.include({ toRecord: 2, unchanged: 0 });
    expect(recorded(fake)).to.deep.equal([]);
    expect(next).to.deep.include({ toRecord: 0, unchanged: 2 });
  });

  it('records users Config holds no result for (never recorded, or deleted by hand), and no others', async () => {
    fake.addUsers([user(0), user(1), user(2)]);
    await firstSweep();
    fake.setComplianceResults(
      RULE,
      fake.complianceResults(RULE).filter((result) => result.resourceId !== idOf(2)),
    );

    await handler(serialize(sweepEvent(1)));

    expect(recorded(fake).map((evaluation) => evaluation.ComplianceResourceId)).to.deep.equal([idOf(2)]);
    expect(fake.complianceResults(RULE)).to.have.length(3);
  });

  it('records a deleted user NOT_APPLICABLE once, and not again on the next sweep', async () => {
    fake.addUsers([user(0), user(1)]);
    await firstSweep();
    fake.removeUser('rec-1');

    const second = await handler(serialize(sweepEvent(1)));
    const secondRecorded = recorded(fake);
    fake.reset();
    const third = await handler(serialize(sweepEvent(2)));

    expect(secondRecorded).to.deep.equal([
      {
        ComplianceResourceType: 'AWS::IAM::User',
        ComplianceResourceId: idOf(1),
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: GONE,
        OrderingTimestamp: new Date('2026-11-21T01:00:00.000Z'),
      },
    ]);
    expect(second).to.deep.include({ toRecord: 1, recorded: 1, unchanged: 1 });
    expect(recorded(fake)).to.deep.equal([]);
    expect(third).to.deep.include({ toRecord: 0, recorded: 0, unchanged: 2 });
    expect(fake.complianceResults(RULE).find((result) => result.resourceId === idOf(1))).to.include({
      complianceType: 'NOT_APPLICABLE',
      annotation: GONE,
    });
  });

  it('records every verdict when the stored results cannot be read, skips the cleanup, and fails naming the API', async () => {
    // Prepare: users 0-2 stored; user 3 gone since; the read is refused
    fake.addUsers([user(0), user(1), user(2), user(3)]);
    await firstSweep();
    fake.removeUser('rec-3');
    fake.failAlways('GetComplianceDetailsByConfigRule', {
      status: 400,
      code: 'AccessDeniedException',
      message: 'not authorized to perform: config:GetComplianceDetailsByConfigRule',
    });

    // Act
    const error = await rejection(handler(serialize(sweepEvent(1))));

    // Assess
    expect(error?.message).to.equal(
      `config:GetComplianceDetailsByConfigRule failed for rule ${RULE}: AccessDeniedException: not authorized to perform: config:GetComplianceDetailsByConfigRule`,
    );
    expect(recorded(fake).map((evaluation) => evaluation.ComplianceResourceId)).to.have.members([idOf(0), idOf(1), idOf(2)]);
  });

  it('records every verdict when the read fails after its first page, those judged before included', async () => {
    fake.addUsers(Array.from({ length: 150 }, (_, index) => user(index)));
    await firstSweep();
    // The second page (the one after the first 100 results) is refused.
    fake.failAlways(
      'GetComplianceDetailsByConfigRule',
      { status: 400, code: 'AccessDeniedException', message: 'denied' },
      { NextToken: pageToken(100) },
    );

    const error = await rejection(handler(serialize(sweepEvent(1))));

    expect(error?.message).to.match(/^config:GetComplianceDetailsByConfigRule failed for rule/);
    const ids = recorded(fake).map((evaluation) => evaluation.ComplianceResourceId);
    expect(new Set(ids).size).to.equal(ids.length);
    // The users of the unread pages are all recorded; those of the first page were decided by it,
    // or recorded when judged after the failure.
    expect(ids).to.include.members(Array.from({ length: 50 }, (_, index) => idOf(100 + index)));
    expect(fake.complianceResults(RULE)).to.have.length(150);
  });

  it('records every user with recordUnchanged=true', async () => {
    fake.addUsers([user(0), user(1), user(2)]);
    await firstSweep();

    const summary = await handler(serialize(sweepEvent(1, { recordUnchanged: 'true' })));

    expect(recorded(fake).map((evaluation) => evaluation.ComplianceResourceId)).to.have.members([idOf(0), idOf(1), idOf(2)]);
    expect(summary).to.deep.include({ toRecord: 3, recorded: 3, unchanged: 0 });
  });

  it('always records a change-triggered evaluation', async () => {
    fake.addUsers([user(0)]);
    await firstSweep();
    const event = scheduledEvent();
    event.resultToken = 'result-token-scheduled';
    event.invokingEvent = {
      messageType: 'ConfigurationItemChangeNotification',
      configurationItem: {
        awsAccountId: ACCOUNT,
        configurationItemCaptureTime: '2026-11-21T00:30:00.000Z',
        configurationItemStatus: 'OK',
        resourceType: 'AWS::IAM::User',
        resourceId: idOf(0),
        resourceName: 'rec-0',
        configuration: { userName: 'rec-0', userId: idOf(0) },
        tags: {},
      },
    };

    await handler(serialize(event));

    expect(recorded(fake).map((evaluation) => evaluation.ComplianceResourceId)).to.deep.equal([idOf(0)]);
  });

  it('refuses a recordUnchanged other than true or false, naming it', async () => {
    fake.addUsers([user(0)]);

    const error = await rejection(handler(serialize(sweepEvent(1, { recordUnchanged: 'yes' }))));

    expect(error?.message).to.equal('Invalid rule parameter "recordUnchanged": expected "true" or "false", got "yes"');
    expect(recorded(fake)).to.deep.equal([]);
  });
});
