import { SWEEP_CONCURRENCY } from '../options/configRuleOptions';
import { OptionValueError } from '../options/OptionKind';

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
  const concurrency = sweepConcurrency(env.SWEEP_CONCURRENCY);
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

/** SWEEP_CONCURRENCY, set from the `sweepConcurrency` deploy option: checked by that option's own kind. */
function sweepConcurrency(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 32;
  try {
    return SWEEP_CONCURRENCY.parse(value.trim());
  } catch (error) {
    if (error instanceof OptionValueError) {
      throw new Error(
        `Environment variable SWEEP_CONCURRENCY (deploy option sweepConcurrency) must be ${SWEEP_CONCURRENCY.expected}, got ${JSON.stringify(value)}`,
        { cause: error },
      );
    }
    throw error;
  }
}
