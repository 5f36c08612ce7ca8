import { expect } from 'chai';
import { ChangedResultRecorder } from '../../src/config/ChangedResultRecorder';
import type { Verdict } from '../../src/config/ComplianceType';
import { fitAnnotation } from '../../src/config/evaluations';
import { recordedAnnotation } from '../../src/config/resultFingerprint';

// Verdicts with facts (a key) and an annotation whose age ("3d") moves on by itself: Config holds
// what recordedAnnotation made of them.
const ok = (key = 'A', age = '3d'): Verdict => ({ complianceType: 'COMPLIANT', annotation: `key ${key}, ${age}`, facts: { key } });
const stored = (resourceId: string, verdict: Verdict = ok('A', '1d'), complianceType: string = verdict.complianceType) => ({
  resourceId,
  complianceType,
  annotation: recordedAnnotation(verdict),
});

function recorderFor(recordUnchanged = false) {
  const recorded: string[] = [];
  const recorder = new ChangedResultRecorder((resourceId) => recorded.push(resourceId), recordUnchanged);
  return { recorder, recorded };
}

describe('ChangedResultRecorder', () => {
  it('decides at once a verdict whose stored result was read: same fingerprint left, another recorded', () => {
    // Prepare
    const { recorder, recorded } = recorderFor();
    recorder.storedPage([stored('R1'), stored('R2'), stored('R3', ok('A', '1d'), 'NON_COMPLIANT')]);

    // Act
    recorder.offer('R1', ok());
    recorder.offer('R2', ok('B'));
    recorder.offer('R3', ok());

    // Assess
    expect(recorded).to.deep.equal(['R2', 'R3']);
    expect(recorder).to.include({ toRecord: 2, unchanged: 1, heldCount: 0 });
  });

  it('holds a verdict until its page arrives, then decides it', () => {
    const { recorder, recorded } = recorderFor();

    recorder.offer('R1', ok());
    recorder.offer('R2', ok('B'));
    const heldBefore = recorder.heldCount;
    recorder.storedPage([stored('R1'), stored('R2')]);

    expect(heldBefore).to.equal(2);
    expect(recorded).to.deep.equal(['R2']);
    expect(recorder).to.include({ unchanged: 1, heldCount: 0 });
  });

  it('records the verdicts still held when the read ends (no stored result), and later ones at once', () => {
    const { recorder, recorded } = recorderFor();
    recorder.offer('NEW1', ok());

    recorder.readEnded();
    recorder.offer('NEW2', ok());

    expect(recorded).to.deep.equal(['NEW1', 'NEW2']);
  });

  it('records everything held and everything after when the read fails', () => {
    const { recorder, recorded } = recorderFor();
    recorder.storedPage([stored('R1')]);
    recorder.offer('R2', ok());

    recorder.readFailed();
    recorder.offer('R1', ok());

    expect(recorded).to.deep.equal(['R2', 'R1']);
  });

  it('records what it holds when the sweep ends early', () => {
    const { recorder, recorded } = recorderFor();
    recorder.offer('R1', ok());

    recorder.releaseHeld();

    expect(recorded).to.deep.equal(['R1']);
    expect(recorder.heldCount).to.equal(0);
  });

  it('records every verdict with recordUnchanged, and still remembers the stored fingerprints', () => {
    const { recorder, recorded } = recorderFor(true);
    recorder.storedPage([stored('R1')]);

    recorder.offer('R1', ok());

    expect(recorded).to.deep.equal(['R1']);
    expect([...recorder.storedFingerprints.keys()]).to.deep.equal(['R1']);
  });

  it('compares the facts of a verdict that has them, never its words', () => {
    // Prepare: the same facts stored under other words
    const { recorder, recorded } = recorderFor();
    recorder.storedPage([
      stored('R1', { complianceType: 'COMPLIANT', annotation: 'Key A, one day old (as worded before).', facts: { key: 'A' } }),
    ]);

    // Act
    recorder.offer('R1', ok());

    // Assess
    expect(recorded).to.deep.equal([]);
    expect(recorder.unchanged).to.equal(1);
  });

  it('records once a result stored without facts (by a version before them) when the verdict has facts', () => {
    const { recorder, recorded } = recorderFor();
    recorder.storedPage([{ resourceId: 'R1', complianceType: 'COMPLIANT', annotation: 'key A, 3d' }]);

    recorder.offer('R1', ok());

    expect(recorded).to.deep.equal(['R1']);
  });

  it('compares the whole annotation of a verdict without facts, as Config stores it, cut to 256 characters', () => {
    const { recorder, recorded } = recorderFor();
    // Past the 256th character the two differ; Config holds only what fits.
    const long = `key A, 3d; ${'x '.repeat(200)}`;
    recorder.storedPage([
      { resourceId: 'R1', complianceType: 'COMPLIANT', annotation: fitAnnotation(`${long}now`) },
      { resourceId: 'R2', complianceType: 'COMPLIANT', annotation: 'key A, 1d' },
    ]);

    recorder.offer('R1', { complianceType: 'COMPLIANT', annotation: `${long}then` });
    recorder.offer('R2', { complianceType: 'COMPLIANT', annotation: 'key A, 3d' });

    expect(recorded).to.deep.equal(['R2']);
  });
});
