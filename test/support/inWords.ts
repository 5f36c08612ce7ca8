import { withoutFactsMarker } from '../../src/config/resultFingerprint';

/**
 * Evaluations with their annotations in words: the marker of the facts that ends each one
 * (` [fp:…]`) is left out, for tests that read what a person reads; the handler test checks the marker.
 */
export function inWords<E extends { Annotation?: string }>(evaluations: readonly E[]): (E & { Annotation: string })[] {
  return evaluations.map((evaluation) => ({ ...evaluation, Annotation: withoutFactsMarker(evaluation.Annotation ?? '') }));
}
