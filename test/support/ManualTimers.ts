import type { DeadlineTimers } from '../../src/config/Deadline';

/**
 * A clock a test moves by hand, for the runtime's Deadline: timers fire only when `advance`
 * passes their time, and `lambdaContext` gives a fake Lambda context whose time runs on it. Keeps
 * a test's deadline independent of how fast the machine is.
 */
export class ManualTimers implements DeadlineTimers {
  /** Milliseconds the clock has moved. */
  elapsedMs = 0;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  private nextHandle = 1;

  set(callback: () => void, ms: number): number {
    const handle = this.nextHandle++;
    this.pending.set(handle, { at: this.elapsedMs + Math.max(0, ms), callback });
    return handle;
  }

  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Moves the clock on by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    this.elapsedMs += ms;
    const due = [...this.pending.entries()].filter(([, timer]) => timer.at <= this.elapsedMs).sort(([, a], [, b]) => a.at - b.at);
    for (const [handle, timer] of due) {
      this.pending.delete(handle);
      timer.callback();
    }
  }

  /** A Lambda context with `budgetMs` at the start of this clock. */
  lambdaContext(budgetMs: number): { getRemainingTimeInMillis(): number } {
    return { getRemainingTimeInMillis: () => budgetMs - this.elapsedMs };
  }
}
