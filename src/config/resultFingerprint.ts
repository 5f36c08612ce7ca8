import { createHash } from 'node:crypto';
import type { Verdict, VerdictFacts } from './ComplianceType';
import { fitAnnotation, MAX_ANNOTATION_LENGTH } from './evaluations';

// Config stores a rule's result as a compliance type and an annotation, nothing else, so the facts
// of a verdict travel in its annotation as a fingerprint: a short marker at its end, ` [fp:…]`.
// A periodic run compares fingerprints of facts, never wording: rewording an annotation records
// nothing new. A result stored without a marker (by a rule without facts, or by a version before
// facts) is compared by its whole text. docs/how-it-works.md, "Recording only what changed".

const MARKER = / \[fp:([\w-]{8})\]$/;

/** The characters the marker takes at the end of an annotation: ` [fp:` + 8 + `]`. */
const MARKER_LENGTH = 14;

/** The room a verdict with facts has for its annotation: Config's limit less the marker. */
export const ANNOTATION_LENGTH_WITH_FACTS = MAX_ANNOTATION_LENGTH - MARKER_LENGTH;

/**
 * The annotation Config records for a verdict: cut to Config's limit and, when the verdict has
 * facts, cut to ANNOTATION_LENGTH_WITH_FACTS and followed by the marker of its facts.
 */
export function recordedAnnotation(verdict: Verdict): string {
  if (!verdict.facts) return fitAnnotation(verdict.annotation);
  return `${fitAnnotation(verdict.annotation, ANNOTATION_LENGTH_WITH_FACTS)} [fp:${factsMarker(verdict.facts)}]`;
}

/** What a periodic run compares of a verdict it would record: its compliance type and its facts (else its recorded text). */
export function verdictFingerprint(verdict: Verdict): number {
  return fingerprint(verdict.complianceType, verdict.facts ? { facts: factsMarker(verdict.facts) } : { text: recordedAnnotation(verdict) });
}

/** What a periodic run compares of a result Config holds: its compliance type and the marker of its facts (else its text). */
export function storedFingerprint(complianceType: string, annotation: string): number {
  const marker = MARKER.exec(annotation)?.[1];
  return fingerprint(complianceType, marker === undefined ? { text: annotation } : { facts: marker });
}

/** The annotation without the marker of its facts, for a person to read. */
export function withoutFactsMarker(annotation: string): string {
  return annotation.replace(MARKER, '');
}

/**
 * 48 bits of SHA-256 of the facts as canonical JSON (keys sorted at every level), in base64url:
 * eight characters. A resource's changed facts go unnoticed once in 2^48 comparisons.
 */
function factsMarker(facts: VerdictFacts): string {
  return createHash('sha256').update(canonicalJson(facts)).digest().subarray(0, 6).toString('base64url');
}

/** A safe integer: 48 bits of SHA-256 of the compliance type and what is compared. */
function fingerprint(complianceType: string, compared: { facts: string } | { text: string }): number {
  const what = 'facts' in compared ? `facts\n${compared.facts}` : `text\n${compared.text}`;
  return createHash('sha256').update(`${complianceType}\n${what}`).digest().readUIntBE(0, 6);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, entry]) => `${JSON.stringify(name)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
