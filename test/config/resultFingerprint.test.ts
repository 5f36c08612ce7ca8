import { expect } from 'chai';
import type { Verdict } from '../../src/config/ComplianceType';
import { MAX_ANNOTATION_LENGTH } from '../../src/config/evaluations';
import {
  ANNOTATION_LENGTH_WITH_FACTS,
  recordedAnnotation,
  storedFingerprint,
  verdictFingerprint,
  withoutFactsMarker,
} from '../../src/config/resultFingerprint';

const verdict = (annotation: string, facts?: Verdict['facts']): Verdict => ({
  complianceType: 'NON_COMPLIANT',
  annotation,
  ...(facts ? { facts } : {}),
});
const stored = (recorded: Verdict) => storedFingerprint(recorded.complianceType, recordedAnnotation(recorded));

describe('resultFingerprint', () => {
  it('records the facts of a verdict as a marker after its annotation, within Config limit', () => {
    // Act
    const annotation = recordedAnnotation(verdict('2 keys (limit 1).', { count: 2, limit: 1 }));

    // Assess
    expect(annotation).to.match(/^2 keys \(limit 1\)\. \[fp:[\w-]{8}\]$/);
    expect(withoutFactsMarker(annotation)).to.equal('2 keys (limit 1).');
  });

  it('cuts a long annotation with facts so that the marker always fits', () => {
    const annotation = recordedAnnotation(verdict('word '.repeat(80), { n: 1 }));

    expect(annotation.length).to.be.at.most(MAX_ANNOTATION_LENGTH);
    expect(withoutFactsMarker(annotation).length).to.be.at.most(ANNOTATION_LENGTH_WITH_FACTS);
    expect(annotation).to.match(/word\.\.\. \[fp:[\w-]{8}\]$/);
  });

  it('records a verdict without facts as its text, cut to Config limit', () => {
    expect(recordedAnnotation(verdict('  plain text '))).to.equal('plain text');
  });

  const same: [string, Verdict, Verdict][] = [
    [
      'other words, same facts',
      verdict('2 keys', { count: 2, keys: ['a', 'b'] }),
      verdict('Two access keys', { count: 2, keys: ['a', 'b'] }),
    ],
    ['facts listed in another key order', verdict('x', { count: 2, limit: 1 }), verdict('x', { limit: 1, count: 2 })],
    ['the same text without facts', verdict('same'), verdict('same')],
  ];
  for (const [what, before, after] of same) {
    it(`takes a stored result as unchanged for ${what}`, () => {
      expect(verdictFingerprint(after)).to.equal(stored(before));
    });
  }

  const different: [string, Verdict, Verdict][] = [
    ['another fact', verdict('2 keys', { count: 2 }), verdict('2 keys', { count: 3 })],
    ['another order of a list', verdict('x', { keys: ['a', 'b'] }), verdict('x', { keys: ['b', 'a'] })],
    ['another compliance type', verdict('x', { count: 1 }), { ...verdict('x', { count: 1 }), complianceType: 'COMPLIANT' }],
    ['facts where the stored result has none (a version before facts)', verdict('2 keys'), verdict('2 keys', { count: 2 })],
    ['no facts where the stored result has them', verdict('2 keys', { count: 2 }), verdict('2 keys')],
    ['another text without facts', verdict('2 keys'), verdict('3 keys')],
  ];
  for (const [what, before, after] of different) {
    it(`takes a stored result as changed for ${what}`, () => {
      expect(verdictFingerprint(after)).not.to.equal(stored(before));
    });
  }
});
