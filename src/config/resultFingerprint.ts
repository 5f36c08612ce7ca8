import { createHash } from 'node:crypto';

/** What of an annotation a person acts on; the rest (ages, last use) moves on by itself. */
export type ActionableAnnotation = (annotation: string) => string;

/**
 * A compact fingerprint of a result: its compliance type and the actionable part of its
 * annotation (as Config stores it: already cut to 256 characters). 48 bits of SHA-256, a safe
 * integer: two different results of one resource collide once in 2^48 comparisons.
 */
export function resultFingerprint(complianceType: string, annotation: string, actionable: ActionableAnnotation): number {
  return createHash('sha256')
    .update(`${complianceType}\n${actionable(annotation)}`)
    .digest()
    .readUIntBE(0, 6);
}
