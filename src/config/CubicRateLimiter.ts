import { isThrottlingError, type RateLimiter } from '@smithy/core/retry';

/** Tuning of the CUBIC rate limiter; the defaults are the SDK's. */
export interface CubicRateLimiterOptions {
  /** The rate is multiplied by this on a throttle. */
  beta?: number;
  /** How fast the rate grows back (calls/s per s³). */
  scaleConstant?: number;
  /** The lowest sending rate, calls/s. */
  minFillRate?: number;
  /** After this many seconds without a throttle the limiter switches off: full speed again. */
  quietSeconds?: number;
  /** Clock, in seconds (tests). */
  now?: () => number;
}

const WINDOW_SECONDS = 1;
const MIN_WINDOW_SECONDS = 0.05;
/** Throttles this soon after a cut answer calls sent before it: they say nothing of the new rate. */
const COOLDOWN_SECONDS = 0.5;
/**
 * Against a steady limit the CUBIC probe meets a throttle every few seconds (it is back at the
 * rate it was cut from after cbrt(0.75 x rate) s, under 10 s below 1,000 calls/s), so this long
 * without one means the limit has gone: a warm container's next invocation starts at full speed.
 */
const DEFAULT_QUIET_SECONDS = 30;

/**
 * Client-side rate limiting for the SDK's own AdaptiveRetryStrategy: the CUBIC algorithm of the
 * SDK's DefaultRateLimiter (and botocore's), with one change. DefaultRateLimiter measures the
 * sending rate in half-second buckets and knows none during the first; the first throttle of a
 * sweep comes within milliseconds, so it takes 0 calls/s as the rate to back off from, drops to
 * 0.5 calls/s and needs about six seconds to climb back to IAM's limit. This one measures the
 * rate of the accepted (not throttled) responses of the last second, so it backs off from the
 * rate the service really took (throttled answers come back at once and would inflate it many
 * times over), and it cuts the rate once per throttled round rather than once per throttled
 * call: thirty concurrent calls throttled together would otherwise cut it by 0.7^30.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html (adaptive mode)
 */
export class CubicRateLimiter implements RateLimiter {
  private readonly beta: number;
  private readonly scaleConstant: number;
  private readonly minFillRate: number;
  private readonly quietSeconds: number;
  private readonly now: () => number;
  private readonly responses: number[] = [];
  private enabled = false;
  private tokens = 0;
  private capacity = 1;
  private fillRate: number;
  private lastRefill: number | undefined;
  private lastMaxRate = 0;
  private lastThrottle = 0;
  private timeWindow = 0;

  constructor(options: CubicRateLimiterOptions = {}) {
    this.beta = options.beta ?? 0.7;
    this.scaleConstant = options.scaleConstant ?? 0.4;
    this.minFillRate = options.minFillRate ?? 0.5;
    this.quietSeconds = options.quietSeconds ?? DEFAULT_QUIET_SECONDS;
    this.now = options.now ?? (() => performance.now() / 1000);
    this.fillRate = this.minFillRate;
  }

  /** The current sending rate limit in calls/s, or undefined before the first throttle. */
  get rate(): number | undefined {
    this.decay(this.now());
    return this.enabled ? this.fillRate : undefined;
  }

  /** Waits for a token; free until the first throttle, and again after a quiet period. */
  async getSendToken(): Promise<void> {
    this.decay(this.now());
    if (!this.enabled) return;
    this.refill();
    while (this.tokens < 1) {
      // Whole milliseconds, rounded up: a wait shorter than the clock's step would find no new token.
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) / this.fillRate) * 1000)));
      this.refill();
    }
    this.tokens -= 1;
  }

  /** Called by the retry strategy with each response: `{}` on success, the error info on a failure. */
  updateClientSendingRate(response: unknown): void {
    const now = this.now();
    const throttled = isThrottle(response);
    const measured = this.measure(now, !throttled);
    if (throttled && this.enabled && now - this.lastThrottle < COOLDOWN_SECONDS) return;
    let rate: number;
    if (throttled) {
      this.lastMaxRate = this.enabled ? Math.min(measured, this.fillRate) : measured;
      this.timeWindow = Math.cbrt((this.lastMaxRate * (1 - this.beta)) / this.scaleConstant);
      this.lastThrottle = now;
      rate = this.lastMaxRate * this.beta;
      this.enabled = true;
    } else {
      rate = this.scaleConstant * (now - this.lastThrottle - this.timeWindow) ** 3 + this.lastMaxRate;
    }
    rate = Math.min(rate, 2 * measured);
    this.refill();
    this.fillRate = Math.max(rate, this.minFillRate);
    this.capacity = Math.max(rate, 1);
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  /** Switches the limiter off after `quietSeconds` without a throttle; the next throttle measures afresh. */
  private decay(now: number): void {
    if (this.enabled && now - this.lastThrottle > this.quietSeconds) {
      this.enabled = false;
      this.tokens = 0;
      this.lastRefill = undefined;
    }
  }

  /** Accepted responses per second over the last second (at least 50 ms, so a first burst is not infinite). */
  private measure(now: number, accepted: boolean): number {
    if (accepted) this.responses.push(now);
    while (this.responses.length > 0 && this.responses[0] < now - WINDOW_SECONDS) this.responses.shift();
    if (this.responses.length === 0) return 0;
    const span = Math.max(MIN_WINDOW_SECONDS, Math.min(WINDOW_SECONDS, now - this.responses[0]));
    return this.responses.length / span;
  }

  private refill(): void {
    const now = this.now();
    if (this.lastRefill !== undefined) this.tokens = Math.min(this.capacity, this.tokens + (now - this.lastRefill) * this.fillRate);
    this.lastRefill = now;
  }
}

function isThrottle(response: unknown): boolean {
  if (typeof response !== 'object' || response === null) return false;
  const info = response as { errorType?: string; error?: unknown };
  if (info.errorType === 'THROTTLING') return true;
  return info.error !== undefined && isThrottlingError(info.error as Parameters<typeof isThrottlingError>[0]);
}
