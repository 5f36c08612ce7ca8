import type { Verdict } from './ComplianceType';
import type { EvaluationReporter } from './EvaluationReporter';
import { toEvaluation } from './evaluations';
import { recordedAnnotation } from './resultFingerprint';

/** Where a verdict becomes an evaluation: the one place every run records a result. */
export function recordVerdict(
  reporter: EvaluationReporter,
  resourceType: string,
  resourceId: string,
  verdict: Verdict,
  orderingTimestamp: Date,
): void {
  reporter.add(toEvaluation(resourceType, resourceId, { ...verdict, annotation: recordedAnnotation(verdict) }, orderingTimestamp));
}
