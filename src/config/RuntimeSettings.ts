import { defaultValueOf, parseOptionText } from '../options/Option';
import { OptionValueError } from '../options/OptionKind';
import { SWEEP_CONCURRENCY_OPTION } from '../options/runtimeOptions';

/** Tuning read from the function's environment. */
export interface RuntimeSettings {
  /** Resources judged at once in a periodic run. */
  concurrency: number;
  /** A periodic run stops starting new work when the Lambda has less time left than this. */
  stopMarginMs: number;
  /** In-flight calls are aborted when the Lambda has less time left than this. */
  abortMarginMs: number;
  /** A periodic run logs its progress this often. */
  progressIntervalMs: number;
}

/** Reads the runtime settings from the environment; a malformed value is an error naming it. */
export function runtimeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  const concurrency = sweepConcurrency(env.SWEEP_CONCURRENCY ?? '');
  const stopMarginMs = positiveInteger(env.DEADLINE_MARGIN_MS, 'DEADLINE_MARGIN_MS', 20_000);
  const progressIntervalMs = positiveInteger(env.SWEEP_PROGRESS_INTERVAL_MS, 'SWEEP_PROGRESS_INTERVAL_MS', 30_000);
  return { concurrency, stopMarginMs, abortMarginMs: Math.ceil(stopMarginMs / 2), progressIntervalMs };
}

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new Error(`Environment variable ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** SWEEP_CONCURRENCY, set from the deploy option sweepConcurrency: read by that option's definition, its default included. */
function sweepConcurrency(text: string): number {
  try {
    return parseOptionText(SWEEP_CONCURRENCY_OPTION, text) ?? defaultValueOf(SWEEP_CONCURRENCY_OPTION)!;
  } catch (error) {
    if (!(error instanceof OptionValueError)) throw error;
    throw new Error(
      `Environment variable SWEEP_CONCURRENCY (deploy option sweepConcurrency) must be ${SWEEP_CONCURRENCY_OPTION.kind.expected}, got ${JSON.stringify(text)}`,
      { cause: error },
    );
  }
}
