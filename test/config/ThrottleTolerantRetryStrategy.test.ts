import { expect } from 'chai';
import type { RetryErrorInfo, StandardRetryToken } from '@aws-sdk/types';
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

/** A strategy whose backoffs are recorded instead of waited, with the jitter at its maximum. */
function strategy(maxAttempts = 3, extra: { maxThrottledMs?: number; now?: () => number } = {}) {
  const sleeps: number[] = [];
  const rateLimiter = new RecordingRateLimiter();
  const subject = new ThrottleTolerantRetryStrategy({
    maxAttempts,
    rateLimiter,
    random: () => 0.999,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  return { subject, sleeps, rateLimiter };
}

/** Retries `token` `times` times for `error`; the last token, or the error that refused a retry. */
async function retry(subject: ThrottleTolerantRetryStrategy, token: StandardRetryToken, error: RetryErrorInfo, times: number) {
  let current = token;
  for (let index = 0; index < times; index += 1) {
    try {
      current = await subject.refreshRetryTokenForRetry(current, error);
    } catch (refused) {
      return { token: current, refusedAfter: index, refused };
    }
  }
  return { token: current, refusedAfter: undefined, refused: undefined };
}

describe('ThrottleTolerantRetryStrategy', () => {
  it('keeps retrying a throttled call far beyond maxAttempts and the SDK retry quota (500 / 5 per throttle)', async () => {
    // Prepare
    const { subject } = strategy(3);
    const token = await subject.acquireInitialRetryToken('');

    // Act: 250 throttles in a row
    const { token: last, refusedAfter } = await retry(subject, token, THROTTLED, 250);

    // Assess
    expect(refusedAfter).to.equal(undefined);
    expect(last.getRetryCount()).to.equal(250);
    expect(subject.throttledCount).to.equal(250);
  });

  it('still gives calls that really fail their maxAttempts after many throttles: throttles spend no attempt and no quota', async () => {
    // Prepare: 300 throttled calls across the client first
    const { subject } = strategy(3);
    for (let call = 0; call < 300; call += 1)
      await subject.refreshRetryTokenForRetry(await subject.acquireInitialRetryToken(''), THROTTLED);
    const token = await subject.acquireInitialRetryToken('');

    // Act
    const { refusedAfter, refused } = await retry(subject, token, SERVER_ERROR, 10);

    // Assess: 3 attempts = 2 retries, as the SDK gives any failing call
    expect(refusedAfter).to.equal(2);
    expect((refused as Error).message).to.equal('No retry token available');
  });

  it('backs off exponentially from 1 s for throttles, at most 20 s (the SDK formula with full jitter)', async () => {
    const { subject, sleeps } = strategy();

    await retry(subject, await subject.acquireInitialRetryToken(''), THROTTLED, 8);

    expect(sleeps).to.deep.equal([999, 1998, 3996, 7992, 15984, 19980, 19980, 19980]);
  });

  it('tells the client-wide rate limiter of each throttle and waits for its token before sending again', async () => {
    const { subject, rateLimiter } = strategy();
    const token = await subject.acquireInitialRetryToken('');

    await subject.refreshRetryTokenForRetry(token, THROTTLED);

    expect(rateLimiter.updates).to.deep.equal([THROTTLED]);
    expect(rateLimiter.sendTokens).to.equal(2);
  });

  it('turns a CubicRateLimiter on at the first throttle, slowing every call of the client', async () => {
    const rateLimiter = new CubicRateLimiter();
    const subject = new ThrottleTolerantRetryStrategy({ maxAttempts: 3, rateLimiter, sleep: async () => undefined });
    for (let index = 0; index < 20; index += 1) subject.recordSuccess(await subject.acquireInitialRetryToken(''));
    expect(rateLimiter.rate).to.equal(undefined);

    await subject.refreshRetryTokenForRetry(await subject.acquireInitialRetryToken(''), THROTTLED);

    expect(rateLimiter.rate).to.be.a('number');
  });

  it('gives up on a call throttled for longer than maxThrottledMs (calls without an abort signal)', async () => {
    const clock = { now: 0 };
    const { subject } = strategy(3, { maxThrottledMs: 60_000, now: () => clock.now });
    const token = await subject.refreshRetryTokenForRetry(await subject.acquireInitialRetryToken(''), THROTTLED);
    clock.now += 60_001;

    const { refusedAfter } = await retry(subject, token, THROTTLED, 1);

    expect(refusedAfter).to.equal(0);
  });
});
