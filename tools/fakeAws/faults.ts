import type { FakeAwsError, FakeAwsRequest, FakeService } from './types';

/** An injected error and when it applies. */
interface FaultRule {
  action: string;
  error: FakeAwsError;
  remaining: number;
  when?: Record<string, string>;
  /** Applies to this share of the matching requests, drawn from `random` (failRandomly). */
  share?: { of: number; random: () => number };
  /** Fails one matching request in `every` (the 1st, the 1+every-th, ...); 1 fails each one. */
  every: number;
  /** Matching requests seen so far. */
  seen: number;
}

/** A callback run right before matching requests are answered. */
interface Hook {
  action: string;
  callback: (request: FakeAwsRequest) => void;
  remaining: number;
}

/**
 * What the stand-in was told to do instead of answering normally: injected errors (FakeAws's
 * failNext, failEvery, failAlways, failRandomly), hooks (beforeAnswering) and PutEvaluations
 * rejections (rejectEvaluationsNext). An `action` is an action name, '*', or '<service>:*'.
 */
export class Faults {
  private rules: FaultRule[] = [];
  private hooks: Hook[] = [];
  private rejections: { remaining: number; count: number }[] = [];

  /** The next `times` matching requests get `error`; one in `every` of them when `every` > 1. */
  fail(action: string, error: FakeAwsError, times: number, when?: Record<string, string>, every = 1): void {
    if (!Number.isInteger(every) || every < 1) throw new Error(`failEvery: every must be a whole number of at least 1, got ${every}`);
    this.rules.push({ action, error, remaining: times, when, every, seen: 0 });
  }

  /** A share (0 to 1) of the matching requests get `error`, drawn from a generator seeded with `seed`. */
  failRandomly(action: string, error: FakeAwsError, share: number, seed: number): void {
    if (!(share >= 0 && share <= 1)) throw new Error(`failRandomly: share must be between 0 and 1, got ${share}`);
    this.rules.push({ action, error, remaining: Infinity, share: { of: share, random: seededRandom(seed) }, every: 1, seen: 0 });
  }

  /** Runs `callback` right before the next `times` matching requests are answered. */
  beforeAnswering(action: string, callback: (request: FakeAwsRequest) => void, times: number): void {
    this.hooks.push({ action, callback, remaining: times });
  }

  /** The next `times` PutEvaluations calls answer their first `count` evaluations as FailedEvaluations. */
  rejectEvaluations(times: number, count: number): void {
    this.rejections.push({ remaining: times, count });
  }

  /** How many evaluations of this PutEvaluations call to answer as FailedEvaluations (0: none). */
  takeEvaluationRejection(): number {
    const rejection = this.rejections[0];
    if (!rejection) return 0;
    rejection.remaining -= 1;
    if (rejection.remaining <= 0) this.rejections.shift();
    return rejection.count;
  }

  /**
   * The error injected for this request, if a rule applies (tried in the order added). `when`
   * matches top-level parameters; its key '$accountId' the account the request acts on, '$region'
   * the region it was signed for.
   */
  errorFor(
    service: FakeService,
    action: string,
    params: Record<string, unknown>,
    accountId: string,
    region: string | undefined,
  ): FakeAwsError | undefined {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      if (!matches(rule.action, service, action)) continue;
      if (rule.when) {
        const fits = Object.entries(rule.when).every(([key, value]) =>
          key === '$accountId'
            ? accountId === value
            : key === '$region'
              ? region === value
              : params[key] !== undefined && String(params[key]) === value,
        );
        if (!fits) continue;
      }
      if (rule.share && rule.share.random() >= rule.share.of) continue;
      rule.seen += 1;
      if ((rule.seen - 1) % rule.every !== 0) continue;
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules.splice(i, 1);
      return rule.error;
    }
    return undefined;
  }

  /** Runs the hooks due for this request. */
  runHooks(service: FakeService, action: string, params: Record<string, unknown>, accountId: string): void {
    for (const hook of this.hooks.filter((candidate) => matches(candidate.action, service, action))) {
      hook.remaining -= 1;
      if (hook.remaining <= 0) this.hooks.splice(this.hooks.indexOf(hook), 1);
      hook.callback({ action, params, accountId });
    }
  }

  /** Drops every injected error and pending evaluation rejection. */
  clearFaults(): void {
    this.rules = [];
    this.rejections = [];
  }

  /** Drops every hook. */
  clearHooks(): void {
    this.hooks = [];
  }
}

/** Whether a rule's `action` ('*', '<service>:*', a name, '<service>:<name>') covers the request. */
function matches(pattern: string, service: FakeService, action: string): boolean {
  return pattern === '*' || pattern === action || pattern === `${service}:*` || pattern === `${service}:${action}`;
}

/** A small seeded generator (mulberry32), so that a run with random faults can be repeated. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
