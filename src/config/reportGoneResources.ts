import { notApplicable } from './ComplianceType';
import type { EvaluationReporter } from './EvaluationReporter';
import { recordVerdict } from './recordVerdict';

/**
 * Records NOT_APPLICABLE every previously judged resource missing from a complete listing:
 * Config keeps a result until told otherwise. Returns how many there were.
 */
export function reportGoneResources(
  reporter: EvaluationReporter,
  resourceType: string,
  previouslyJudged: ReadonlySet<string>,
  listed: ReadonlySet<string>,
  orderingTimestamp: Date,
): number {
  let gone = 0;
  for (const resourceId of previouslyJudged) {
    if (listed.has(resourceId)) continue;
    gone += 1;
    recordVerdict(reporter, resourceType, resourceId, notApplicable('Resource no longer exists: not found in a full listing of the account.'), orderingTimestamp);
  }
  return gone;
}
