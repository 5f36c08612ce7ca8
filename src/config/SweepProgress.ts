/**
 * How far a periodic run has got: what a log line or a command-line tool shows. Each count means
 * what its name says; "recorded" is only what Config accepted.
 */
export interface SweepProgress {
  /** Resources the rule has listed so far, each counted once however often the listing returned it. */
  listed: number;
  /** Resources judged so far. */
  judged: number;
  /** Of those, judged NON_COMPLIANT. */
  nonCompliant: number;
  /** Evaluations handed to Config to record so far: new or changed results (every one with recordUnchanged), gone resources included. */
  toRecord: number;
  /** Evaluations Config has accepted so far. */
  recorded: number;
  /** Verdicts not sent because Config already holds the same result. */
  unchanged: number;
  /** Throttled calls so far (each retried). */
  throttledCalls: number;
  elapsedSeconds: number;
  /** Resources judged per second since the start. */
  judgedPerSecond: number;
  /** True in the last report of a run. */
  done: boolean;
}

/** Counts a periodic run's progress; `snapshot` gives the figures at any moment. */
export class SweepProgressCounter {
  listed = 0;
  judged = 0;
  nonCompliant = 0;
  private readonly startedAt: number;
  private readonly throttledAtStart: number;

  constructor(
    private readonly throttledCalls: () => number,
    private readonly recorded: () => number,
    private readonly recording: () => { toRecord: number; unchanged: number } = () => ({ toRecord: 0, unchanged: 0 }),
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
    this.throttledAtStart = throttledCalls();
  }

  /** The figures now. */
  snapshot(done = false): SweepProgress {
    const elapsedSeconds = Math.max(0, (this.now() - this.startedAt) / 1000);
    const recording = this.recording();
    return {
      listed: this.listed,
      judged: this.judged,
      nonCompliant: this.nonCompliant,
      toRecord: recording.toRecord,
      recorded: this.recorded(),
      unchanged: recording.unchanged,
      throttledCalls: this.throttledCalls() - this.throttledAtStart,
      elapsedSeconds: round(elapsedSeconds, 1),
      judgedPerSecond: elapsedSeconds > 0 ? round(this.judged / elapsedSeconds, 1) : 0,
      done,
    };
  }

  /** Calls `report` with a snapshot every `intervalMs` until the returned function is called. */
  every(intervalMs: number, report: (progress: SweepProgress) => void): () => void {
    const timer = setInterval(() => report(this.snapshot()), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
