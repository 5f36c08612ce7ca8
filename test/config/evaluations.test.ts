import { expect } from 'chai';
import { annotationWithItems, fitAnnotation, MAX_ANNOTATION_LENGTH, toEvaluation } from '../../src/config/evaluations';

describe('fitAnnotation', () => {
  it('keeps a short annotation as it is', () => {
    expect(fitAnnotation('All good.')).to.equal('All good.');
  });

  it('cuts a long annotation at a word boundary and marks the cut', () => {
    const text = `${'word '.repeat(80)}end`;
    const fitted = fitAnnotation(text);
    expect(fitted.length).to.be.at.most(MAX_ANNOTATION_LENGTH);
    expect(fitted).to.match(/word\.\.\.$/);
  });

  it('cuts a long annotation without spaces hard', () => {
    const fitted = fitAnnotation('x'.repeat(400));
    expect(fitted).to.equal(`${'x'.repeat(253)}...`);
  });

  it('never sends an empty annotation (Config requires at least one character)', () => {
    expect(fitAnnotation('   ')).to.equal('-');
  });
});

describe('annotationWithItems', () => {
  it('joins every item when they fit', () => {
    expect(annotationWithItems('Keys: ', ['a', 'b'], '.')).to.equal('Keys: a; b.');
  });

  it('keeps whole items only and counts the rest', () => {
    const items = Array.from({ length: 30 }, (_, index) => `item-number-${index}`);
    const text = annotationWithItems('Head: ', items, ' Tail.');
    expect(text.length).to.be.at.most(MAX_ANNOTATION_LENGTH);
    const shown = text.match(/item-number-\d+/g) ?? [];
    expect(text).to.include(`(+${30 - shown.length} more)`);
    expect(shown).to.deep.equal(items.slice(0, shown.length));
  });
});

describe('toEvaluation', () => {
  it('builds the Evaluation Config expects', () => {
    const at = new Date('2026-11-20T08:15:00.123Z');
    expect(toEvaluation('AWS::IAM::User', 'AIDAEXAMPLE', { complianceType: 'COMPLIANT', annotation: 'ok' }, at)).to.deep.equal({
      ComplianceResourceType: 'AWS::IAM::User',
      ComplianceResourceId: 'AIDAEXAMPLE',
      ComplianceType: 'COMPLIANT',
      Annotation: 'ok',
      OrderingTimestamp: at,
    });
  });
});
