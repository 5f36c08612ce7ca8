import { IAMClient } from '@aws-sdk/client-iam';
import { expect } from 'chai';
import { clientsFor, rateLimiterOf, resetClients } from '../../src/config/awsClients';
import { createRuleHandler } from '../../src/config/createRuleHandler';
import { DeadlineExceededError } from '../../src/config/errors';
import { handler } from '../../src/iam-user-single-access-key/handler';
import { accessKeyRule } from '../../src/iam-user-single-access-key/rule';
import { scheduledEvent, serialize } from '../fixtures/events';
import type { FakeAws, FakeUser } from '../../tools/fakeAws';
import { emfValues } from '../../tools/lambda/emfDocuments';
import { CapturedMetrics } from '../support/CapturedMetrics';
import { onFakeTime } from '../support/fakeTime';
import { startFakeAws, stopFakeAws } from '../support/useFakeAws';

// Periodic sweeps by the real SDK against the fake's token-bucket rate limit on IAM (one bucket
// per account, over the limit -> 400 Throttling at once), as IAM throttles a busy account. Time is
// a fake clock (onFakeTime): the token bucket, the backoffs, the rate limiter and the deadline
// all run on it, so a sweep that takes a minute of IAM's time takes a second or two of the
// machine's, and what it shows does not depend on the machine's speed.

const ACCOUNT = '123456789012';

function users(count: number): FakeUser[] {
  return Array.from({ length: count }, (_, index) => ({
    userName: `throttled-${index}`,
    userId: `AIDATHROTTLE${String(index).padStart(9, '0')}`,
    accessKeys: [
      {
        accessKeyId: `AKIATHROTTLE${String(index).padStart(8, '0')}`,
        status: 'Active' as const,
        createDate: new Date('2026-01-01T00:00:00Z'),
      },
    ],
  }));
}

/** The rule's cached IAM client, as the runtime gets it. */
function ruleIamClient(): IAMClient {
  return clientsFor(undefined, 'iam-user-single-access-key', 'untilAborted').get(IAMClient);
}

/** What changes as requests reach the local endpoint and are answered. */
const activity = (fake: FakeAws) => () => [fake.calls.length, fake.stats().inFlight];

function reportedIds(fake: FakeAws): string[] {
  return fake.putEvaluations.flatMap((call) => call.Evaluations.map((evaluation) => evaluation.ComplianceResourceId));
}

describe('periodic sweeps under IAM throttling (real SDK, local endpoint)', function () {
  this.timeout(180_000);
  let fake: FakeAws;

  before(async () => {
    fake = await startFakeAws({ accountId: ACCOUNT, maxAttempts: 3, journal: { function: 'evaluate' } });
  });

  after(async () => {
    await stopFakeAws(fake);
  });

  beforeEach(() => {
    fake.reset();
    fake.setRateLimit(undefined);
    fake.latencyMs = 0;
    fake.setComplianceResults('iam-user-single-access-key', []);
    for (let index = 0; index < 300; index += 1) fake.removeUser(`throttled-${index}`);
    resetClients();
  });

  it('completes a sweep of 300 users at 20 IAM calls/s (burst 10) with nothing lost, retrying every throttle', async () => {
    // Prepare: far more throttles than the SDK's retry quota (500 units, 5 a throttle) and 3 attempts allow
    fake.addUsers(users(300));

    // Act
    const summary = await onFakeTime(activity(fake), async () => {
      fake.setRateLimit({ perSecond: 20, burst: 10 });
      return handler(serialize(scheduledEvent()));
    });

    // Assess
    const reported = reportedIds(fake);
    expect(reported).to.have.length(300);
    expect(new Set(reported).size).to.equal(300);
    expect(summary).to.deep.include({ toRecord: 300, recorded: 300 });
    expect(summary.recordedByCompliance.COMPLIANT).to.equal(300);
    const { throttled, iamCalls } = fake.stats();
    expect(throttled).to.be.greaterThan(0);
    expect(summary.sweep).to.include({ listed: 300, judged: 300, throttledCalls: throttled, done: true });
    // The limiter keeps most calls under the limit: a sweep that just hammered would be throttled several times over
    expect(throttled / iamCalls).to.be.lessThan(0.5);
    // Paced to the limit, not beyond it: 300 users need at least 300 IAM calls, at most 20 a second after the burst
    expect(summary.sweep!.elapsedSeconds).to.be.at.least((iamCalls - throttled - 10) / 20 - 1);
  });

  it('is stopped by the Lambda deadline alone: reports every user it judged, then fails naming the deadline', async () => {
    // Prepare: 300 users at 5 calls/s take a minute; the function has 5 s
    fake.addUsers(users(300));
    const metrics = new CapturedMetrics();
    const shortLived = createRuleHandler(
      accessKeyRule,
      {
        concurrency: 32,
        stopMarginMs: 2_000,
        abortMarginMs: 1_000,
        progressIntervalMs: 30_000,
      },
      { metrics },
    );

    // Act
    const error = await onFakeTime(activity(fake), async () => {
      fake.setRateLimit({ perSecond: 5, burst: 10 });
      const started = Date.now();
      return shortLived(serialize(scheduledEvent()), { getRemainingTimeInMillis: () => 5_000 - (Date.now() - started) }).then(
        () => undefined,
        (caught: Error) => caught,
      );
    });

    // Assess
    expect(error).to.be.instanceOf(DeadlineExceededError);
    const reported = reportedIds(fake);
    expect(reported.length).to.be.greaterThan(0).and.lessThan(300);
    expect(new Set(reported).size).to.equal(reported.length);
    expect(error?.message).to.match(
      new RegExp(
        `^Periodic evaluation cut off by the Lambda timeout \\(5 s for this run\\) while judging: \\d+ of \\d+\\+? listed resources judged; Config accepted \\(recorded\\) ${reported.length} of the \\d+ evaluations to record`,
      ),
    );
    // The sweep's metrics say so: not completed, what it recorded, and every throttle IAM answered
    expect(metrics.documents).to.have.length(1);
    const values = emfValues(metrics.documents[0]);
    expect(values).to.include({ SweepCompleted: 0, EvaluationsRecorded: reported.length, ThrottledCalls: fake.stats().throttled });
    expect(values.ThrottledCalls).to.be.greaterThan(0);
    expect(values).not.to.have.property('NonCompliantResources');
  });

  it('runs a warm second sweep at full speed once IAM has been quiet for 30 s: the limiter switches off', async () => {
    fake.addUsers(users(100));
    await onFakeTime(activity(fake), async (clock) => {
      // Prepare: a throttled sweep leaves the client's limiter on
      fake.setRateLimit({ perSecond: 20, burst: 10 });
      await handler(serialize(scheduledEvent()));
      const limiter = rateLimiterOf(ruleIamClient());
      expect(limiter?.rate, 'limiting after the throttled sweep').to.be.a('number');
      const limitedRate = limiter!.rate!;
      // ...then 31 s pass with no call, and throttling stops; each answer takes 20 ms
      clock.tick(31_000);
      fake.setRateLimit(undefined);
      fake.reset();
      fake.latencyMs = 20;

      // Act
      await handler(serialize(scheduledEvent()));

      // Assess: no pacing: calls overlap as far as the sweep's concurrency allows, far beyond what the old rate allowed
      expect(limiter!.rate).to.equal(undefined);
      expect(fake.stats().throttled).to.equal(0);
      expect(reportedIds(fake)).to.have.length(100);
      expect(fake.stats().maxInFlight).to.be.greaterThan(Math.max(8, Math.ceil(limitedRate * 0.02 * 4)));
    });
  });
});
