import { expect } from 'chai';
import type { RecordedPutEvaluations } from '../../tools/fakeAws';
import { ConfigResults } from '../../scripts/demo/configResults';

const USER = 'AIDA5DEMOALICE0000001';
const at = (iso: string) => new Date(iso);

function put(token: string, complianceType: string, orderingTimestamp: string, testMode?: boolean): RecordedPutEvaluations {
  return {
    ResultToken: token,
    ...(testMode === undefined ? {} : { TestMode: testMode }),
    accountId: '123456789012',
    Evaluations: [
      {
        ComplianceResourceType: 'AWS::IAM::User',
        ComplianceResourceId: USER,
        ComplianceType: complianceType,
        OrderingTimestamp: at(orderingTimestamp),
      },
    ],
  };
}

describe('demo: ConfigResults', () => {
  it('keeps the evaluation with the latest ordering timestamp per resource, as Config does', () => {
    // Prepare
    const results = new ConfigResults([
      { resourceId: USER, complianceType: 'NON_COMPLIANT', orderingTimestamp: at('2026-11-28T00:00:00Z') },
    ]);

    // Act
    const taken = results.record([put('t', 'COMPLIANT', '2026-11-29T00:00:00Z'), put('t', 'NOT_APPLICABLE', '2026-11-27T00:00:00Z')], 't');

    // Assess
    expect(taken).to.equal(2);
    expect(results.get(USER)?.complianceType).to.equal('COMPLIANT');
  });

  const ignored: [string, RecordedPutEvaluations][] = [
    ['a TestMode call', put('t', 'COMPLIANT', '2026-11-29T00:00:00Z', true)],
    ['a call with another result token', put('other', 'COMPLIANT', '2026-11-29T00:00:00Z')],
  ];
  for (const [what, call] of ignored) {
    it(`records nothing from ${what}`, () => {
      // Prepare
      const results = new ConfigResults([
        { resourceId: USER, complianceType: 'NON_COMPLIANT', orderingTimestamp: at('2026-11-28T00:00:00Z') },
      ]);

      // Act
      const taken = results.record([call], 't');

      // Assess
      expect(taken).to.equal(0);
      expect(results.asFakeResults()).to.deep.equal([
        {
          resourceId: USER,
          resourceType: 'AWS::IAM::User',
          complianceType: 'NON_COMPLIANT',
          orderingTimestamp: at('2026-11-28T00:00:00Z'),
        },
      ]);
    });
  }
});
