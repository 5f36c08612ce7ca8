/** The results a custom Config rule may report (INSUFFICIENT_DATA is Config's own). */
export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** What a rule concluded about one resource, and why, for a person to read. */
export interface Verdict {
  complianceType: ComplianceType;
  annotation: string;
}

/** A NOT_APPLICABLE verdict with its reason. */
export function notApplicable(annotation: string): Verdict {
  return { complianceType: 'NOT_APPLICABLE', annotation };
}
