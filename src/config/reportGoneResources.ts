import { notApplicable, type Verdict } from './ComplianceType';

/** The verdict on a resource that a complete listing no longer has. */
export const GONE_VERDICT: Verdict = notApplicable('Resource no longer exists: not found in a full listing of the account.');

/**
 * Offers NOT_APPLICABLE "no longer exists" for every resource Config holds a result for that a
 * complete listing no longer has (Config keeps a result until told otherwise); a resource whose
 * stored result already says so is left as it is, so a deleted resource is recorded once.
 * Returns how many resources were gone, and how many of those were handed to `record`.
 */
export function reportGoneResources(
  stored: ReadonlyMap<string, number>,
  listed: ReadonlySet<string>,
  goneFingerprint: number,
  record: (resourceId: string, verdict: Verdict) => void,
): { gone: number; toRecord: number } {
  let gone = 0;
  let toRecord = 0;
  for (const [resourceId, fingerprint] of stored) {
    if (listed.has(resourceId)) continue;
    gone += 1;
    if (fingerprint === goneFingerprint) continue;
    toRecord += 1;
    record(resourceId, GONE_VERDICT);
  }
  return { gone, toRecord };
}
