import { expect } from 'chai';
import { emfDocumentsIn, emfValues } from '../../../tools/lambda/emfDocuments';

// Reading the EMF documents a function printed among its other output lines.

const DOCUMENT = {
  _aws: {
    Timestamp: 1796195170982,
    CloudWatchMetrics: [
      { Namespace: 'ConfigRuleSweeps', Dimensions: [['ConfigRuleName']], Metrics: [{ Name: 'SweepCompleted', Unit: 'Count' }] },
    ],
  },
  ConfigRuleName: 'my-rule',
  SweepCompleted: 1,
};

describe('tools: emfDocumentsIn', () => {
  const cases: [what: string, line: string][] = [
    ['a JSON log line of the logger', JSON.stringify({ level: 'INFO', message: 'Invocation complete', _aws: 'not a directive' })],
    ['a line of text that mentions "_aws"', 'the "_aws" key is EMF\'s'],
    ['a cut-off JSON line', JSON.stringify(DOCUMENT).slice(0, 60)],
    ['a JSON object without a CloudWatchMetrics list', JSON.stringify({ _aws: { Timestamp: 1 } })],
  ];
  for (const [what, line] of cases) {
    it(`passes over ${what}`, () => {
      expect(emfDocumentsIn([line, JSON.stringify(DOCUMENT)])).to.deep.equal([DOCUMENT]);
    });
  }

  it('reads each document in the order printed', () => {
    const second = { ...DOCUMENT, ConfigRuleName: 'other-rule' };

    expect(emfDocumentsIn([JSON.stringify(DOCUMENT), 'text', `  ${JSON.stringify(second)}  `])).to.deep.equal([DOCUMENT, second]);
  });

  it('gives the values of the metrics a document declares, and nothing else of it', () => {
    expect(emfValues(DOCUMENT)).to.deep.equal({ SweepCompleted: 1 });
  });
});
