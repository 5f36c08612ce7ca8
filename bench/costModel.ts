// The cost of hourly sweeps, from a model (issue 9): IAM calls, Lambda GB-seconds and dollars,
// Config evaluations and dollars with and without recordUnchanged. Pure arithmetic on the stated
// assumptions, so that the README's figures are computed, not written by hand.
import { ACCESS_KEY_OPTIONS } from '../src/iam-user-single-access-key/options';
import { round } from './measure';

/**
 * AWS Config: per rule evaluation recorded, per account and region and month: $0.001 for the
 * first 100,000, $0.0008 up to 500,000, $0.0005 beyond. https://aws.amazon.com/config/pricing/
 */
const CONFIG_TIERS = [
  { upTo: 100_000, dollars: 0.001 },
  { upTo: 500_000, dollars: 0.0008 },
  { upTo: Infinity, dollars: 0.0005 },
];

/**
 * AWS Lambda on Arm (arm64), US East (N. Virginia), first 6 billion GB-seconds a month:
 * $0.0000133334 per GB-second and $0.20 per million requests; the free tier is left out.
 * https://aws.amazon.com/lambda/pricing/
 */
const LAMBDA_ARM64_DOLLARS_PER_GB_SECOND = 0.0000133334;
const LAMBDA_DOLLARS_PER_REQUEST = 0.2 / 1_000_000;

/** AWS prices a month as 730 hours. */
const HOURS_PER_MONTH = 730;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/** What the model assumes; every figure is stated with the results. */
export interface CostAssumptions {
  users: number[];
  /** Share of users whose result changes in a day (a key added, deactivated, deleted; users come and go). */
  changingPerDay: number;
  sweepsPerHour: number;
  /** Share of users non-compliant: each costs two GetAccessKeyLastUsed calls more. */
  nonCompliantShare: number;
  /** The account's IAM rate for the sweep, calls/s (docs/scale.md's conservative assumption). */
  iamCallsPerSecond: number;
  /** Seconds a sweep takes beyond its IAM calls (start, the first page, the last report). */
  overheadSeconds: number;
  /** The function's memory, MB (the memorySize option's default). */
  memoryMB: number;
}

/** The model's default assumptions. */
export const COST_ASSUMPTIONS: CostAssumptions = {
  users: [100, 1000, 5000],
  changingPerDay: 0.01,
  sweepsPerHour: 1,
  nonCompliantShare: 0.05,
  iamCallsPerSecond: 20,
  overheadSeconds: 1,
  memoryMB: Number(ACCESS_KEY_OPTIONS.memorySize.default),
};

/** The month's cost of hourly sweeps of one account. */
export interface CostRow {
  users: number;
  iamCallsPerHour: number;
  sweepSeconds: number;
  lambdaGbSecondsPerMonth: number;
  lambdaDollarsPerMonth: number;
  configEvaluationsPerMonth: { changedOnly: number; recordUnchanged: number };
  configDollarsPerMonth: { changedOnly: number; recordUnchanged: number };
}

/** Config's charge for `evaluations` recorded in a month. */
export function configDollars(evaluations: number): number {
  let dollars = 0;
  let from = 0;
  for (const tier of CONFIG_TIERS) {
    const inTier = Math.max(0, Math.min(evaluations, tier.upTo) - from);
    dollars += inTier * tier.dollars;
    from = tier.upTo;
  }
  return dollars;
}

/** The cost of each account size under the assumptions. */
export function costModel(assumptions: CostAssumptions = COST_ASSUMPTIONS): {
  assumptions: CostAssumptions;
  prices: Record<string, unknown>;
  rows: CostRow[];
} {
  const sweepsPerMonth = assumptions.sweepsPerHour * HOURS_PER_MONTH;
  const rows = assumptions.users.map((users) => {
    const iamCallsPerSweep = users + Math.ceil(users / 1000) + 2 * Math.round(users * assumptions.nonCompliantShare);
    const sweepSeconds = iamCallsPerSweep / assumptions.iamCallsPerSecond + assumptions.overheadSeconds;
    const gbSeconds = sweepSeconds * (assumptions.memoryMB / 1024) * sweepsPerMonth;
    const recordUnchanged = users * sweepsPerMonth;
    // A changed user is recorded by the first sweep after the change: once per change.
    const changedOnly = Math.round(users * assumptions.changingPerDay * DAYS_PER_MONTH);
    return {
      users,
      iamCallsPerHour: iamCallsPerSweep * assumptions.sweepsPerHour,
      sweepSeconds: round(sweepSeconds, 1),
      lambdaGbSecondsPerMonth: Math.round(gbSeconds),
      lambdaDollarsPerMonth: round(gbSeconds * LAMBDA_ARM64_DOLLARS_PER_GB_SECOND + sweepsPerMonth * LAMBDA_DOLLARS_PER_REQUEST, 2),
      configEvaluationsPerMonth: { changedOnly, recordUnchanged },
      configDollarsPerMonth: {
        changedOnly: round(configDollars(changedOnly), 2),
        recordUnchanged: round(configDollars(recordUnchanged), 2),
      },
    };
  });
  return {
    assumptions,
    prices: {
      configPerEvaluation: '$0.001 (first 100,000 a month), $0.0008 (to 500,000), $0.0005 (beyond); https://aws.amazon.com/config/pricing/',
      lambdaArm64:
        '$0.0000133334 per GB-second, $0.20 per million requests (us-east-1, free tier left out); https://aws.amazon.com/lambda/pricing/',
      hoursPerMonth: HOURS_PER_MONTH,
    },
    rows,
  };
}
