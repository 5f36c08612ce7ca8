import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@aws-sdk/types';
import { AdaptiveRetryStrategy, type RateLimiter, StandardRetryStrategy } from '@smithy/core/retry';
import { CubicRateLimiter } from './CubicRateLimiter';

/** Tuning of ThrottleTolerantRetryStrategy. */
export interface ThrottleTolerantRetryOptions {
  /** Attempts for calls that really fail (5xx, network, timeouts), as the SDK's maxAttempts. */
  maxAttempts: number;
  /** The client-wide rate limiter (one per client: IAM throttles per account). */
  rateLimiter?: RateLimiter;
  /** A call throttled for longer than this fails anyway (a safety net for calls sent without an abort signal). */
  maxThrottledMs?: number;
}

/** Lambda's longest timeout: no invocation waits for a throttled call longer. */
const DEFAULT_MAX_THROTTLED_MS = 900_000;

/** A retry token that counts the throttles of a call apart from its other failures. */
class ThrottleCountingToken implements StandardRetryToken {
  $retryLog = { acquisitionDelay: 0 };

  constructor(
    /** The token of the SDK's strategy, which counts only the failures it retries. */
    readonly inner: StandardRetryToken,
    readonly throttles: number,
    readonly firstThrottleAt: number | undefined,
  ) {}

  getRetryCount(): number {
    return this.inner.getRetryCount() + this.throttles;
  }

  getRetryDelay(): number {
    return this.throttles > 0 ? 0 : this.inner.getRetryDelay();
  }

  getRetryCost(): number | undefined {
    return this.inner.getRetryCost();
  }

  isLongPoll(): boolean {
    return this.inner.isLongPoll?.() ?? false;
  }
}

/**
 * The SDK's AdaptiveRetryStrategy (backoff with jitter, a retry quota, client-side rate
 * limiting), with what it lacks for a long batch against a rate limit. In the SDK a throttled
 * call costs 5 of the 500 units of the client's retry quota and one of its `maxAttempts`, so a
 * burst of about a hundred throttles empties the quota and every later throttle fails at once
 * ("attempts 1"), however much time is left. Here a throttle is not a failure but a signal to
 * slow down: it lowers the client's sending rate (the limiter paces every call of the client),
 * the call waits out the SDK's own backoff for its n-th throttle and a token of the limiter, and
 * it is sent again, for as long as the caller's abort signal allows (the SDK's retry middleware
 * races each wait against it). Every other retryable failure (5xx, network)
 * goes to the SDK's strategy unchanged: its attempts and its quota guard against a service that
 * is really failing.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export class ThrottleTolerantRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'adaptive';
  readonly rateLimiter: RateLimiter;
  private readonly adaptive: AdaptiveRetryStrategy;
  private readonly maxThrottledMs: number;
  private throttled = 0;

  constructor(private readonly options: ThrottleTolerantRetryOptions) {
    this.rateLimiter = options.rateLimiter ?? new CubicRateLimiter();
    this.adaptive = new AdaptiveRetryStrategy(options.maxAttempts, { rateLimiter: this.rateLimiter });
    this.maxThrottledMs = options.maxThrottledMs ?? DEFAULT_MAX_THROTTLED_MS;
  }

  /** Throttled responses this client has had (each one retried). */
  get throttledCount(): number {
    return this.throttled;
  }

  async acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    const inner = (await this.adaptive.acquireInitialRetryToken(retryTokenScope)) as StandardRetryToken;
    return new ThrottleCountingToken(inner, 0, undefined);
  }

  async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    const current = token as ThrottleCountingToken;
    if (errorInfo.errorType !== 'THROTTLING') {
      const inner = (await this.adaptive.refreshRetryTokenForRetry(current.inner, errorInfo)) as StandardRetryToken;
      return new ThrottleCountingToken(inner, current.throttles, current.firstThrottleAt);
    }
    const now = Date.now();
    const firstThrottleAt = current.firstThrottleAt ?? now;
    if (now - firstThrottleAt > this.maxThrottledMs) throw new Error('No retry token available');
    this.throttled += 1;
    this.rateLimiter.updateClientSendingRate(errorInfo);
    const delayMs = await waitOutThrottle(current.throttles, errorInfo);
    await this.rateLimiter.getSendToken();
    const next = new ThrottleCountingToken(current.inner, current.throttles + 1, firstThrottleAt);
    next.$retryLog.acquisitionDelay = delayMs;
    return next;
  }

  recordSuccess(token: StandardRetryToken): void {
    this.adaptive.recordSuccess((token as ThrottleCountingToken).inner);
  }

  async maxAttempts(): Promise<number> {
    return this.options.maxAttempts;
  }
}

/**
 * Waits out the SDK's own backoff for the `throttles`-th throttle in a row of a call, and returns
 * its length: StandardRetryStrategy's wait before a retry (full jitter over 1 s x 2^n for a
 * throttle, at most 20 s; a Retry-After hint honoured up to 5 s beyond that), so it follows the
 * SDK as it changes. Its backoff class is not exported, its retry is: a fresh strategy per wait,
 * given a token that counts only the throttles, so that neither its attempts nor its quota apply.
 */
async function waitOutThrottle(throttles: number, errorInfo: RetryErrorInfo): Promise<number> {
  const sdk = new StandardRetryStrategy({ maxAttempts: Number.POSITIVE_INFINITY });
  const token: StandardRetryToken = {
    getRetryCount: () => throttles,
    getRetryDelay: () => 0,
    getRetryCost: () => undefined,
    isLongPoll: () => false,
  };
  const waited = await sdk.refreshRetryTokenForRetry(token, errorInfo);
  return (waited as StandardRetryToken & { $retryLog?: { acquisitionDelay?: number } }).$retryLog?.acquisitionDelay ?? 0;
}
