import type { Context } from 'aws-lambda';
import { setMaxListeners } from 'node:events';
import { DeadlineExceededError } from './errors';
import type { RuntimeSettings } from './RuntimeSettings';

/** Reporting calls are aborted this long (at most half the abort margin) before the Lambda times out, so the failure is still logged. */
const REPORTING_MARGIN_MS = 1_000;

/** Tracks the Lambda's remaining time: when to stop starting work, and when to abort calls. */
export class Deadline {
  private readonly work = new AbortController();
  private readonly reporting = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
    private readonly settings: Pick<RuntimeSettings, 'stopMarginMs' | 'abortMarginMs'>,
  ) {
    // Every call in flight listens to these signals (and removes its listener when done): with
    // dozens of concurrent calls, Node's default limit of 10 listeners would warn of a leak.
    setMaxListeners(0, this.work.signal, this.reporting.signal);
    const remaining = context?.getRemainingTimeInMillis();
    if (remaining === undefined) return;
    const abortAt = (controller: AbortController, margin: number) => {
      const timer = setTimeout(() => controller.abort(new DeadlineExceededError('Lambda timeout imminent')), Math.max(0, remaining - margin));
      timer.unref();
      this.timers.push(timer);
    };
    abortAt(this.work, settings.abortMarginMs);
    abortAt(this.reporting, Math.min(REPORTING_MARGIN_MS, settings.abortMarginMs / 2));
  }

  /** For the calls that judge resources: aborted `abortMarginMs` before the timeout. */
  get abortSignal(): AbortSignal {
    return this.work.signal;
  }

  /** For PutEvaluations: aborted just before the timeout, after the judging calls, so what was judged is still sent. */
  get reportingSignal(): AbortSignal {
    return this.reporting.signal;
  }

  /** True once no new work should start. */
  nearlyOver(): boolean {
    const remaining = this.context?.getRemainingTimeInMillis();
    return this.work.signal.aborted || (remaining !== undefined && remaining < this.settings.stopMarginMs);
  }

  /** The error of a periodic run stopped by the deadline. */
  exceeded(listed: number, delivered: number, cause?: unknown): DeadlineExceededError {
    return new DeadlineExceededError(
      `Periodic evaluation stopped before the Lambda timeout: reported ${delivered} evaluation(s), ${listed} resource(s) listed so far; ` +
        'the rest keep their previous result. Raise the function timeout or the sweep concurrency.',
      cause === undefined ? undefined : { cause },
    );
  }

  /** `error` as a DeadlineExceededError naming `what` when the deadline cut it off, else `error` itself. */
  named(error: unknown, what: string): unknown {
    if (!this.work.signal.aborted && !this.reporting.signal.aborted) return error;
    if (error instanceof DeadlineExceededError) return error;
    return new DeadlineExceededError(`${what} was cut off by the Lambda timeout: nothing was reported for it. Raise the function timeout.`, {
      cause: error,
    });
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }
}
