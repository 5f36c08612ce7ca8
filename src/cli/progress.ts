import { Presets, SingleBar } from 'cli-progress';

/** What a sweep tells its progress display. */
export interface SweepProgress {
  /** One more user listed by ListUsers. */
  listed(): void;
  /** ListUsers has no more pages. */
  listingDone(): void;
  /** One more user judged. */
  judged(): void;
  /** Removes the display (before anything is printed on stdout). */
  stop(): void;
}

/** The figures a person reads while a sweep runs. */
export interface SweepFigures {
  /** `judged/listed`, with `+` while ListUsers is still paging. */
  done: string;
  /** Items (users) done per second since the start. */
  rate: string;
  /** Time left at this rate, `?` while the total is unknown. */
  left: string;
}

/** The figures of a sweep at `elapsedMs` after its start. */
export function sweepFigures(judged: number, listed: number, listingDone: boolean, elapsedMs: number): SweepFigures {
  const perSecond = elapsedMs > 0 ? (judged * 1000) / elapsedMs : 0;
  const left = !listingDone || perSecond === 0 ? '?' : formatDuration(((listed - judged) / perSecond) * 1000);
  return { done: `${judged}/${listed}${listingDone ? '' : '+'}`, rate: `${perSecond.toFixed(1)}/s`, left };
}

/** `42s`, `3m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

const SILENT: SweepProgress = { listed() {}, listingDone() {}, judged() {}, stop() {} };

/**
 * A progress line on `stream` (stderr) while users are judged, only when it is a terminal, so that
 * output piped or captured stays exactly the report. Drawn by cli-progress, which redraws one
 * line in place at a bounded rate.
 */
export function sweepProgress(
  stream: NodeJS.WriteStream,
  throttledCalls: () => number,
  label = 'Judging IAM users',
  now: () => number = Date.now,
): SweepProgress {
  if (!stream.isTTY) return SILENT;
  const started = now();
  let listed = 0;
  let judged = 0;
  let listingDone = false;
  const bar = new SingleBar(
    {
      stream,
      format: `${label} {bar} {done} | {rate} | {throttled} throttled | {left} left`,
      barsize: 20,
      clearOnComplete: true,
      hideCursor: false,
      fps: 5,
    },
    Presets.shades_classic,
  );
  const payload = () => ({ ...sweepFigures(judged, listed, listingDone, now() - started), throttled: throttledCalls() });
  bar.start(1, 0, payload());
  const update = () => {
    bar.setTotal(Math.max(1, listed));
    bar.update(judged, payload());
  };
  return {
    listed() {
      listed += 1;
      update();
    },
    listingDone() {
      listingDone = true;
      update();
    },
    judged() {
      judged += 1;
      update();
    },
    stop() {
      bar.stop();
    },
  };
}
