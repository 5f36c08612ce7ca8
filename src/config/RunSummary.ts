import type { Evaluation } from '@aws-sdk/client-config-service';
import type { ComplianceType } from './ComplianceType';
import type { RuleEvent } from './RuleEvent';
import type { SweepProgress } from './SweepProgress';

/** At most this many NON_COMPLIANT resources are listed in a summary; the rest are counted. */
export const MAX_NON_COMPLIANT_LISTED = 50;

/** A NON_COMPLIANT resource as the summary lists it. */
export interface NonCompliantResource {
  resourceId: string;
  annotation: string;
}

/** What an invocation did, returned to the caller (and handy with `serverless invoke local`). */
export interface RunSummary {
  messageType: string;
  configRuleName: string;
  accountId: string;
  testMode: boolean;
  /** Evaluations Config took (recorded). */
  evaluations: number;
  /** Periodic verdicts not recorded because Config already holds the same result (recordUnchanged=false). */
  unchanged: number;
  counts: Record<ComplianceType, number>;
  /** The first NON_COMPLIANT resources Config took, with their annotations. */
  nonCompliant: NonCompliantResource[];
  /** NON_COMPLIANT resources left out of `nonCompliant` (counted in `counts`). */
  nonCompliantNotListed: number;
  /** How a periodic run went: listed, judged, rate, throttled calls. */
  sweep?: SweepProgress;
}

/** An empty summary for `event`. */
export function newRunSummary(event: RuleEvent): RunSummary {
  return {
    messageType: event.invokingEvent.messageType,
    configRuleName: event.configRuleName,
    accountId: event.accountId,
    testMode: event.testMode,
    evaluations: 0,
    unchanged: 0,
    counts: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
    nonCompliant: [],
    nonCompliantNotListed: 0,
  };
}

/** Counts an evaluation Config took. */
export function countDelivered(summary: RunSummary, evaluation: Evaluation): void {
  summary.evaluations += 1;
  summary.counts[evaluation.ComplianceType as ComplianceType] += 1;
  if (evaluation.ComplianceType !== 'NON_COMPLIANT') return;
  if (summary.nonCompliant.length < MAX_NON_COMPLIANT_LISTED) {
    summary.nonCompliant.push({ resourceId: evaluation.ComplianceResourceId ?? '', annotation: evaluation.Annotation ?? '' });
  } else {
    summary.nonCompliantNotListed += 1;
  }
}
