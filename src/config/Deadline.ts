import type { Context } from 'aws-lambda';
import { setMaxListeners } from 'node:events';
import { DeadlineExceededError } from './errors';
import type { RuntimeSettings } from './RuntimeSettings';
import type { SweepProgress } from './SweepProgress';

/** Reporting calls are aborted this long (at most half the abort margin) before the Lambda times out, so the failure is still logged. */
const REPORTING_MARGIN_MS = 1_000;

/** How a Deadline schedules its aborts: Node's timers, or a test's clock. */
export interface DeadlineTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Node's timers, unref'd so that a pending abort never keeps a process alive. */
const NODE_TIMERS: DeadlineTimers = {
  set: (callback, ms) => setTimeout(callback, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A signal that aborts with `reason` after `ms` (never keeping the process alive with Node's timers). */
export function abortAfter(ms: number, reason: Error, timers: DeadlineTimers = NODE_TIMERS): AbortSignal {
  const controller = new AbortController();
  timers.set(() => controller.abort(reason), ms);
  return controller.signal;
}

/** Tracks the Lambda's remaining time: when to stop starting work, and when to abort calls. */
export class Deadline {
  private readonly work = new AbortController();
  private readonly reporting = new AbortController();
  private readonly handles: unknown[] = [];
  /** The time the invocation had when the run started (undefined without a Lambda context). */
  private readonly budgetMs: number | undefined;

  constructor(
    private readonly context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
    private readonly settings: Pick<RuntimeSettings, 'stopMarginMs' | 'abortMarginMs'>,
    private readonly timers: DeadlineTimers = NODE_TIMERS,
  ) {
    // Every call in flight listens to these signals (and removes its listener when done): with
    // dozens of concurrent calls, Node's default limit of 10 listeners would warn of a leak.
    setMaxListeners(0, this.work.signal, this.reporting.signal);
    const remaining = context?.getRemainingTimeInMillis();
    this.budgetMs = remaining;
    if (remaining === undefined) return;
    const abortAt = (controller: AbortController, margin: number) => {
      this.handles.push(
        timers.set(() => controller.abort(new DeadlineExceededError('Lambda timeout imminent')), Math.max(0, remaining - margin)),
      );
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

  /** True once the deadline has aborted the calls that judge resources (and so cut the run short). */
  get reached(): boolean {
    return this.work.signal.aborted || this.reporting.signal.aborted;
  }

  /**
   * The error of a periodic run the deadline cut off: names the deadline, how far the run got
   * (judged of listed; what Config accepted of what it was handed) and what to change. Judging
   * was cut off when not every listed resource was judged; else Config was still recording.
   */
  sweepCutOff(progress: SweepProgress, listingDone: boolean, cause?: unknown): DeadlineExceededError {
    const { listed, judged, toRecord, recorded, unchanged, throttledCalls } = progress;
    const timeout = `the Lambda timeout (${this.budgetMs === undefined ? 'unknown' : `${Math.round(this.budgetMs / 1000)} s`} for this run)`;
    const accepted = `Config accepted (recorded) ${recorded} of the ${toRecord} evaluations to record`;
    const throttled = `${throttledCalls} call(s) were throttled`;
    const message =
      judged < listed || !listingDone
        ? `Periodic evaluation cut off by ${timeout} while judging: ${judged} of ${listed}${listingDone ? '' : '+'} listed resources judged; ` +
          `${accepted}, ${unchanged} unchanged. The others keep their previous result until a sweep completes. ` +
          `Raise the function's timeout (deploy option timeout)${throttledCalls === 0 ? ' or sweepConcurrency' : ''}; ${throttled}.`
        : `Periodic evaluation cut off by ${timeout} while Config was recording: ${accepted}; all ${judged} listed resources were judged, ${unchanged} unchanged. ` +
          `The other ${toRecord - recorded} keep their previous result until a later sweep records them. ` +
          `Raise the function's timeout (deploy option timeout); ${throttled}: sweeps less often (maximumExecutionFrequency) and recordUnchanged=false leave Config fewer evaluations to take; sweepConcurrency does not speed up recording.`;
    return new DeadlineExceededError(message, { ...(cause === undefined ? {} : { cause }), progress });
  }

  /** `error` as a DeadlineExceededError naming `what` when the deadline cut it off, else `error` itself. */
  named(error: unknown, what: string): unknown {
    if (!this.reached) return error;
    if (error instanceof DeadlineExceededError) return error;
    return new DeadlineExceededError(
      `${what} was cut off by the Lambda timeout: nothing was reported for it. Raise the function timeout.`,
      {
        cause: error,
      },
    );
  }

  dispose(): void {
    for (const handle of this.handles) this.timers.clear(handle);
  }
}
