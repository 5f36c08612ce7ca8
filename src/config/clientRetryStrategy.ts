import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@aws-sdk/types';
import { loadConfig } from '@smithy/core/config';
import {
  AdaptiveRetryStrategy,
  NODE_MAX_ATTEMPT_CONFIG_OPTIONS,
  NODE_RETRY_MODE_CONFIG_OPTIONS,
  StandardRetryStrategy,
} from '@smithy/core/retry';
import { CubicRateLimiter } from './CubicRateLimiter';
import { ThrottleTolerantRetryStrategy } from './ThrottleTolerantRetryStrategy';

/**
 * What a client does when throttled: `attempts`, as any SDK client, spends one of its attempts
 * and some retry quota; `untilAborted` retries until the caller's abort signal (every call of a
 * sweep carries one), spending neither (see ThrottleTolerantRetryStrategy).
 */
export type ThrottlePolicy = 'attempts' | 'untilAborted';

/** Attempts for a call that really fails, unless AWS_MAX_ATTEMPTS or the profile's max_attempts says otherwise (the SDK's default is 3). */
export const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * The SDK's retry strategy, tuned rather than replaced: adaptive mode (the SDK's
 * AdaptiveRetryStrategy: exponential backoff with jitter for throttling and 5xx errors, a retry
 * quota, and client-side rate limiting), with more attempts than the default 3 for calls that
 * really fail, throttles retried until the caller's abort signal without spending attempts or
 * quota (`untilAborted`, see ThrottleTolerantRetryStrategy), and a rate limiter that measures the
 * rate it backs off from and recovers after a quiet period (see CubicRateLimiter). Each client
 * gets its own: IAM throttles per account, and a client acts in one account. The attempts and the
 * mode are read by the SDK's own configuration loading (AWS_MAX_ATTEMPTS and AWS_RETRY_MODE, else
 * the profile's max_attempts and retry_mode), as for any SDK client, when the client first sends:
 * `standard` mode turns client-side rate limiting (and the patience with throttles) off.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export class ClientRetryStrategy implements RetryStrategyV2 {
  private chosen?: Promise<RetryStrategyV2>;
  private resolved?: RetryStrategyV2;
  private attempts?: number;
  private loadedMode?: string;

  constructor(private readonly throttling: ThrottlePolicy) {}

  /** The strategy in use, once the client has sent its first call. */
  get strategy(): RetryStrategyV2 | undefined {
    return this.resolved;
  }

  /** The retry mode in use (the SDK's user agent reports it), once chosen. */
  get mode(): string | undefined {
    return this.loadedMode;
  }

  /** Attempts for a call that really fails: what the client's `amz-sdk-request` header states. */
  async maxAttempts(): Promise<number> {
    await this.choose();
    return this.attempts!;
  }

  /** Throttled responses retried so far (counted with `untilAborted` in adaptive mode; else 0). */
  get throttledCount(): number {
    return this.resolved instanceof ThrottleTolerantRetryStrategy ? this.resolved.throttledCount : 0;
  }

  /** The client-side rate limiter (adaptive mode), once chosen. */
  get rateLimiter(): CubicRateLimiter | undefined {
    const limiter = (this.resolved as { rateLimiter?: unknown } | undefined)?.rateLimiter;
    return limiter instanceof CubicRateLimiter ? limiter : undefined;
  }

  async acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    return (await this.choose()).acquireInitialRetryToken(retryTokenScope) as Promise<StandardRetryToken>;
  }

  async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    return (await this.choose()).refreshRetryTokenForRetry(token, errorInfo) as Promise<StandardRetryToken>;
  }

  recordSuccess(token: StandardRetryToken): void {
    // A token comes from acquireInitialRetryToken, which chose the strategy.
    this.resolved?.recordSuccess(token);
  }

  private choose(): Promise<RetryStrategyV2> {
    this.chosen ??= (async () => {
      const maxAttempts = await loadConfig({ ...NODE_MAX_ATTEMPT_CONFIG_OPTIONS, default: DEFAULT_MAX_ATTEMPTS })();
      const mode = await loadConfig({ ...NODE_RETRY_MODE_CONFIG_OPTIONS, default: 'adaptive' })();
      this.attempts = maxAttempts;
      this.loadedMode = mode;
      let strategy: RetryStrategyV2;
      if (mode !== 'adaptive') strategy = new StandardRetryStrategy(maxAttempts);
      else if (this.throttling === 'untilAborted')
        strategy = new ThrottleTolerantRetryStrategy({ maxAttempts, rateLimiter: new CubicRateLimiter() });
      else strategy = new AdaptiveRetryStrategy(maxAttempts, { rateLimiter: new CubicRateLimiter() });
      this.resolved = strategy;
      return strategy;
    })();
    return this.chosen;
  }
}
