import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@aws-sdk/types';
import { AdaptiveRetryStrategy, MAXIMUM_RETRY_DELAY, type RateLimiter, Retry } from '@smithy/core/retry';
import { CubicRateLimiter } from './CubicRateLimiter';

/** Tuning of ThrottleTolerantRetryStrategy. */
export interface ThrottleTolerantRetryOptions {
  /** Attempts for calls that really fail (5xx, network, timeouts), as the SDK's maxAttempts. */
  maxAttempts: number;
  /** The client-wide rate limiter (one per client: IAM throttles per account). */
  rateLimiter?: RateLimiter;
  /** A call throttled for longer than this fails anyway (a safety net for calls sent without an abort signal). */
  maxThrottledMs?: number;
  /** Random number in [0, 1) for the backoff's jitter (tests). */
  random?: () => number;
  /** Sleeps (tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Clock in ms (tests). */
  now?: () => number;
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
 * the call waits out an exponential backoff with full jitter (the SDK's formula) and a token of
 * the limiter, and it is sent again, for as long as the caller's abort signal allows (the SDK's
 * retry middleware races each wait against it). Every other retryable failure (5xx, network)
 * goes to the SDK's strategy unchanged: its attempts and its quota guard against a service that
 * is really failing.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export class ThrottleTolerantRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'adaptive';
  readonly rateLimiter: RateLimiter;
  private readonly adaptive: AdaptiveRetryStrategy;
  private readonly maxThrottledMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private throttled = 0;

  constructor(private readonly options: ThrottleTolerantRetryOptions) {
    this.rateLimiter = options.rateLimiter ?? new CubicRateLimiter();
    this.adaptive = new AdaptiveRetryStrategy(options.maxAttempts, { rateLimiter: this.rateLimiter });
    this.maxThrottledMs = options.maxThrottledMs ?? DEFAULT_MAX_THROTTLED_MS;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? unrefSleep;
    this.now = options.now ?? Date.now;
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
    const now = this.now();
    const firstThrottleAt = current.firstThrottleAt ?? now;
    if (now - firstThrottleAt > this.maxThrottledMs) throw new Error('No retry token available');
    this.throttled += 1;
    this.rateLimiter.updateClientSendingRate(errorInfo);
    await this.sleep(this.backoffMs(current.throttles, errorInfo));
    await this.rateLimiter.getSendToken();
    return new ThrottleCountingToken(current.inner, current.throttles + 1, firstThrottleAt);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.adaptive.recordSuccess((token as ThrottleCountingToken).inner);
  }

  async maxAttempts(): Promise<number> {
    return this.options.maxAttempts;
  }

  /**
   * The SDK's backoff for a throttle (full jitter over 1 s x 2^n, at most 20 s; a Retry-After
   * hint is honoured up to 5 s beyond that), written out because DefaultRetryBackoffStrategy is
   * not exported.
   */
  private backoffMs(throttles: number, errorInfo: RetryErrorInfo): number {
    const delay = Math.floor(this.random() * Math.min(Retry.throttlingDelay() * 2 ** throttles, MAXIMUM_RETRY_DELAY));
    if (!(errorInfo.retryAfterHint instanceof Date)) return delay;
    return Math.max(delay, Math.min(errorInfo.retryAfterHint.getTime() - Date.now(), delay + 5_000));
  }
}

/** A sleep that does not keep the process alive (the caller's abort signal ends the wait for it). */
function unrefSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
