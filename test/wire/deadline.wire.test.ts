import { expect } from 'chai';
import { resetClients } from '../../src/config/awsClients';
import { createRuleHandler, type SweepProgress } from '../../src/config/createRuleHandler';
import { DeadlineExceededError } from '../../src/config/errors';
import { accessKeyRule } from '../../src/iam-user-single-access-key/rule';
import { scheduledEvent, serialize } from '../fixtures/events';
import type { FakeAws, FakeUser } from '../../tools/fakeAws';
import { ApiError } from '../../tools/fakeAws/wire';
import { ManualTimers } from '../support/ManualTimers';
import { onFakeTime } from '../support/fakeTime';
import { startFakeAws, stopFakeAws } from '../support/useFakeAws';

// A periodic sweep of the real handler (real SDK clients, the local fake endpoint) whose Lambda
// deadline runs on a clock the test moves (ManualTimers): what the timeout cuts off, and what the
// run then says, are staged by events, never by how fast this machine is. The SDK's backoffs run
// on a fake clock (onFakeTime), so they take no real time.

const ACCOUNT = '123456789012';
const USERS = 500;
const BUDGET_MS = 60_000;
const THROTTLE = { status: 400, code: 'ThrottlingException' };

function users(count: number): FakeUser[] {
  return Array.from({ length: count }, (_, index) => ({
    userName: `deadline-${index}`,
    userId: `AIDADEADLINE${String(index).padStart(9, '0')}`,
    accessKeys: [
      {
        accessKeyId: `AKIADEADLINE${String(index).padStart(8, '0')}`,
        status: 'Active' as const,
        createDate: new Date('2026-01-01T00:00:00Z'),
      },
    ],
  }));
}

describe('a periodic sweep cut off by the Lambda timeout (real SDK, local endpoint, a hand-moved clock)', function () {
  this.timeout(120_000);
  let fake: FakeAws;

  before(async () => {
    fake = await startFakeAws({ accountId: ACCOUNT, maxAttempts: 3, journal: { function: 'evaluate' } });
    fake.addUsers(users(USERS));
  });

  after(async () => {
    await stopFakeAws(fake);
  });

  beforeEach(() => {
    fake.reset();
    fake.setComplianceResults('iam-user-single-access-key', []);
    resetClients();
  });

  it('fails naming the timeout, what Config accepted of what it was handed, and what to change, when the timeout falls while Config records', async () => {
    // Prepare: a 60 s budget on the test's clock. Config answers nothing until every user is judged,
    // then throttles every other PutEvaluations call, and each call it accepts takes 15 s of the
    // budget; the fourth accepted call is the one the timeout cuts off, so Config never takes it.
    const clock = new ManualTimers();
    const release = fake.holdAnswers('PutEvaluations');
    fake.failEvery('PutEvaluations', THROTTLE, 2);
    fake.beforeAnswering(
      'PutEvaluations',
      () => {
        clock.advance(15_000);
        if (clock.elapsedMs >= BUDGET_MS) throw new ApiError(400, 'ThrottlingException', 'Rate exceeded');
      },
      Infinity,
    );
    const progress: SweepProgress[] = [];
    let released = false;
    const sweep = createRuleHandler(
      accessKeyRule,
      { concurrency: 32, stopMarginMs: 20_000, abortMarginMs: 10_000, progressIntervalMs: 10 },
      {
        timers: clock,
        onProgress(snapshot) {
          progress.push(snapshot);
          if (!released && snapshot.judged === USERS) {
            released = true;
            release();
          }
        },
      },
    );

    // Act
    const error = await onFakeTime(
      () => [fake.calls.length, fake.stats().inFlight],
      () =>
        sweep(serialize(scheduledEvent()), clock.lambdaContext(BUDGET_MS)).then(
          () => undefined,
          (caught: Error) => caught,
        ),
    );

    // Assess: Config accepted three calls of 100. Every progress line counts as recorded only what
    // Config had accepted; the error says what Config accepted, names the timeout and what to change.
    const accepted = fake.putEvaluations.flatMap((call) => call.Evaluations).length;
    expect(accepted).to.equal(300);
    expect(progress.map((line) => line.recorded).filter((recorded) => recorded > accepted)).to.deep.equal([]);
    expect(error).to.be.instanceOf(DeadlineExceededError);
    expect(error?.message).to.equal(
      `Periodic evaluation cut off by the Lambda timeout (60 s for this run) while Config was recording: Config accepted (recorded) 300 of the ${USERS} evaluations to record; ` +
        `all ${USERS} listed resources were judged, 0 unchanged. The other ${USERS - 300} keep their previous result until a later sweep records them. ` +
        "Raise the function's timeout (deploy option timeout); 4 call(s) were throttled: sweeps less often (maximumExecutionFrequency) and recordUnchanged=false leave Config fewer evaluations to take; sweepConcurrency does not speed up recording.",
    );
    expect((error as DeadlineExceededError).progress).to.include({
      listed: USERS,
      judged: USERS,
      toRecord: USERS,
      recorded: accepted,
      unchanged: 0,
      done: true,
    });
    expect(progress.at(-1)).to.deep.equal((error as DeadlineExceededError).progress);
  });
});
