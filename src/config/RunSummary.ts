import type { Evaluation } from '@aws-sdk/client-config-service';
import type { ComplianceType } from './ComplianceType';
import type { RecordingCheck } from './recordingRegion';
import type { RuleEvent } from './RuleEvent';
import type { SweepProgress } from './SweepProgress';

/** At most this many NON_COMPLIANT resources are listed in a summary; the rest are counted. */
export const MAX_NON_COMPLIANT_LISTED = 50;

/** A NON_COMPLIANT resource as the summary lists it. */
export interface NonCompliantResource {
  resourceId: string;
  annotation: string;
}

/**
 * What an invocation did, returned to the caller (and handy with `serverless invoke local`).
 * "Recorded" is what Config accepted; nothing else is called so.
 */
export interface RunSummary {
  messageType: string;
  configRuleName: string;
  accountId: string;
  testMode: boolean;
  /** Evaluations handed to Config to record: a change notification's verdict; a sweep's new or changed ones (every one with recordUnchanged) and its gone resources. */
  toRecord: number;
  /** Evaluations Config accepted (PutEvaluations answered without listing them in FailedEvaluations). */
  recorded: number;
  /** Periodic verdicts not sent because Config already holds the same result (recordUnchanged=false). */
  unchanged: number;
  /** The recorded evaluations by compliance type. */
  recordedByCompliance: Record<ComplianceType, number>;
  /** The first NON_COMPLIANT evaluations recorded, with their annotations. */
  recordedNonCompliant: NonCompliantResource[];
  /** NON_COMPLIANT evaluations recorded but left out of `recordedNonCompliant`. */
  recordedNonCompliantNotListed: number;
  /** How a periodic run went besides what it recorded (the counts above): listed, judged, non-compliant, throttled calls, time. */
  sweep?: SweepFigures;
  /** A periodic run's check of the region (rules with recordingNotice): where the account records the rule's type, and what the rule says of it. */
  recording?: RecordingCheck & { notice?: string };
}

/** A periodic run's final progress, less the recording counts that the summary holds itself. */
export type SweepFigures = Omit<SweepProgress, 'toRecord' | 'recorded' | 'unchanged'>;

/** The figures of a periodic run's final progress that the summary does not hold at its top (toRecord, recorded, unchanged). */
export function sweepFigures(progress: SweepProgress): SweepFigures {
  const { listed, judged, nonCompliant, throttledCalls, elapsedSeconds, judgedPerSecond, done } = progress;
  return { listed, judged, nonCompliant, throttledCalls, elapsedSeconds, judgedPerSecond, done };
}

/** Puts a periodic run's progress in the summary: its figures, and the verdicts left unsent because Config held them. */
export function recordSweep(summary: RunSummary, progress: SweepProgress): void {
  summary.sweep = sweepFigures(progress);
  summary.unchanged = progress.unchanged;
}

/** An empty summary for `event`. */
export function newRunSummary(event: RuleEvent): RunSummary {
  return {
    messageType: event.invokingEvent.messageType,
    configRuleName: event.configRuleName,
    accountId: event.accountId,
    testMode: event.testMode,
    toRecord: 0,
    recorded: 0,
    unchanged: 0,
    recordedByCompliance: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
    recordedNonCompliant: [],
    recordedNonCompliantNotListed: 0,
  };
}

/** Counts an evaluation Config accepted. */
export function countRecorded(summary: RunSummary, evaluation: Evaluation): void {
  summary.recorded += 1;
  summary.recordedByCompliance[evaluation.ComplianceType as ComplianceType] += 1;
  if (evaluation.ComplianceType !== 'NON_COMPLIANT') return;
  if (summary.recordedNonCompliant.length < MAX_NON_COMPLIANT_LISTED) {
    summary.recordedNonCompliant.push({ resourceId: evaluation.ComplianceResourceId ?? '', annotation: evaluation.Annotation ?? '' });
  } else {
    summary.recordedNonCompliantNotListed += 1;
  }
}
