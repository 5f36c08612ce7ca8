import { expect } from 'chai';
import type { RetryErrorInfo, StandardRetryToken } from '@aws-sdk/types';
import sinon from 'sinon';
import { CubicRateLimiter } from '../../src/config/CubicRateLimiter';
import { ThrottleTolerantRetryStrategy } from '../../src/config/ThrottleTolerantRetryStrategy';

const THROTTLED: RetryErrorInfo = {
  errorType: 'THROTTLING',
  error: Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }),
} as RetryErrorInfo;
const SERVER_ERROR: RetryErrorInfo = {
  errorType: 'TRANSIENT',
  error: Object.assign(new Error('boom'), { name: 'ServiceFailure' }),
} as RetryErrorInfo;

/** A rate limiter that records what it is told and never waits. */
class RecordingRateLimiter {
  updates: unknown[] = [];
  sendTokens = 0;
  async getSendToken(): Promise<void> {
    this.sendTokens += 1;
  }
  updateClientSendingRate(response: unknown): void {
    this.updates.push(response);
  }
}

/** A strategy on a rate limiter that records what it is told. */
function strategy(maxAttempts = 3, extra: { maxThrottledMs?: number } = {}) {
  const rateLimiter = new RecordingRateLimiter();
  const subject = new ThrottleTolerantRetryStrategy({ maxAttempts, rateLimiter, ...extra });
  return { subject, rateLimiter };
}

/**
 * Retries `token` `times` times for `error`, each backoff waited out on the fake clock; the last
 * token, the error that refused a retry, and each wait as the clock measured it.
 */
async function retry(
  clock: sinon.SinonFakeTimers,
  subject: ThrottleTolerantRetryStrategy,
  token: StandardRetryToken,
  error: RetryErrorInfo,
  times: number,
) {
  let current = token;
  const waits: number[] = [];
  for (let index = 0; index < times; index += 1) {
    const started = clock.now;
    const refreshed = subject.refreshRetryTokenForRetry(current, error).then(
      (next) => ({ next }),
      (refused: unknown) => ({ refused }),
    );
    await clock.runAllAsync();
    const outcome = await refreshed;
    if ('refused' in outcome) return { token: current, refusedAfter: index, refused: outcome.refused, waits };
    waits.push(clock.now - started);
    current = outcome.next;
  }
  return { token: current, refusedAfter: undefined, refused: undefined, waits };
}

describe('ThrottleTolerantRetryStrategy', () => {
  let clock: sinon.SinonFakeTimers;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
    // The jitter at its maximum, so each wait is the SDK's ceiling for it
    sinon.stub(Math, 'random').returns(0.999);
  });

  afterEach(() => sinon.restore());

  it('keeps retrying a throttled call far beyond maxAttempts and the SDK retry quota (500 / 5 per throttle)', async () => {
    // Prepare: no time limit (250 waits of up to 20 s exceed the default's 15 minutes)
    const { subject } = strategy(3, { maxThrottledMs: Number.POSITIVE_INFINITY });
    const token = await subject.acquireInitialRetryToken('');

    // Act: 250 throttles in a row
    const { token: last, refusedAfter } = await retry(clock, subject, token, THROTTLED, 250);

    // Assess
    expect(refusedAfter).to.equal(undefined);
    expect(last.getRetryCount()).to.equal(250);
    expect(subject.throttledCount).to.equal(250);
  });

  it('still gives calls that really fail their maxAttempts after many throttles: throttles spend no attempt and no quota', async () => {
    // Prepare: 300 throttled calls across the client first
    const { subject } = strategy(3);
    for (let call = 0; call < 300; call += 1) await retry(clock, subject, await subject.acquireInitialRetryToken(''), THROTTLED, 1);
    const token = await subject.acquireInitialRetryToken('');

    // Act
    const { refusedAfter, refused } = await retry(clock, subject, token, SERVER_ERROR, 10);

    // Assess: 3 attempts = 2 retries, as the SDK gives any failing call
    expect(refusedAfter).to.equal(2);
    expect((refused as Error).message).to.equal('No retry token available');
  });

  it("waits out the SDK's own backoff for throttles: from 1 s, doubling, at most 20 s, with full jitter", async () => {
    const { subject } = strategy();

    const { waits, token } = await retry(clock, subject, await subject.acquireInitialRetryToken(''), THROTTLED, 8);

    expect(waits).to.deep.equal([999, 1998, 3996, 7992, 15984, 19980, 19980, 19980]);
    expect((token as StandardRetryToken & { $retryLog: { acquisitionDelay: number } }).$retryLog.acquisitionDelay).to.equal(19980);
  });

  it("honours a Retry-After hint as the SDK does: up to 5 s beyond the backoff's own wait", async () => {
    const { subject } = strategy();
    const hinted = (seconds: number): RetryErrorInfo => ({ ...THROTTLED, retryAfterHint: new Date(clock.now + seconds * 1000) });

    const short = await retry(clock, subject, await subject.acquireInitialRetryToken(''), hinted(3), 1);
    const long = await retry(clock, subject, await subject.acquireInitialRetryToken(''), hinted(60), 1);

    expect(short.waits).to.deep.equal([3000]);
    expect(long.waits).to.deep.equal([999 + 5000]);
  });

  it('tells the client-wide rate limiter of each throttle and waits for its token before sending again', async () => {
    const { subject, rateLimiter } = strategy();
    const token = await subject.acquireInitialRetryToken('');

    await retry(clock, subject, token, THROTTLED, 1);

    expect(rateLimiter.updates).to.deep.equal([THROTTLED]);
    expect(rateLimiter.sendTokens).to.equal(2);
  });

  it('turns a CubicRateLimiter on at the first throttle, slowing every call of the client', async () => {
    const rateLimiter = new CubicRateLimiter();
    const subject = new ThrottleTolerantRetryStrategy({ maxAttempts: 3, rateLimiter });
    for (let index = 0; index < 20; index += 1) subject.recordSuccess(await subject.acquireInitialRetryToken(''));
    expect(rateLimiter.rate).to.equal(undefined);

    await retry(clock, subject, await subject.acquireInitialRetryToken(''), THROTTLED, 1);

    expect(rateLimiter.rate).to.be.a('number');
  });

  it('gives up on a call throttled for longer than maxThrottledMs (calls without an abort signal)', async () => {
    const { subject } = strategy(3, { maxThrottledMs: 60_000 });
    const { token } = await retry(clock, subject, await subject.acquireInitialRetryToken(''), THROTTLED, 1);
    clock.tick(60_001);

    const { refusedAfter } = await retry(clock, subject, token, THROTTLED, 1);

    expect(refusedAfter).to.equal(0);
  });
});
