/** The results a custom Config rule may report (INSUFFICIENT_DATA is Config's own). */
export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** A value among a verdict's facts: JSON data. */
export type FactValue = string | number | boolean | null | readonly FactValue[] | { readonly [name: string]: FactValue };

/**
 * What a verdict rests on, as data: what a person acts on (counts, limits, masked identifiers,
 * reasons), never what moves on by itself (ages, dates of last use).
 */
export type VerdictFacts = { readonly [name: string]: FactValue };

/** What a rule concluded about one resource, and why. */
export interface Verdict {
  complianceType: ComplianceType;
  /** For a person to read; rendered from `facts` when the rule gives them. */
  annotation: string;
  /**
   * The facts the annotation is rendered from. A periodic run records a result again only when its
   * compliance type or its facts changed (resultFingerprint), so a change of wording, or of an age
   * in the text, records nothing; without facts it compares the annotation's whole text.
   */
  facts?: VerdictFacts;
}

/** A NOT_APPLICABLE verdict with its reason (and the facts it is rendered from, if any). */
export function notApplicable(annotation: string, facts?: VerdictFacts): Verdict {
  return facts ? { complianceType: 'NOT_APPLICABLE', annotation, facts } : { complianceType: 'NOT_APPLICABLE', annotation };
}
