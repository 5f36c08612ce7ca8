import { expect } from 'chai';
import { deployTimeValue } from '../../../tools/package/deployTimeValue';
import type { Template } from '../../../tools/package/Template';

// Template values the demo and the benchmark resolve themselves, as CloudFormation would on deployment.

const TEMPLATE: Template = {
  Resources: {
    AccessKeyConfigRule: { Type: 'AWS::Config::ConfigRule', Properties: { ConfigRuleName: 'iam-user-single-access-key' } },
    RemediateLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'svc-demo-remediate' } },
    RemediationAutomationRole: { Type: 'AWS::IAM::Role', Properties: {} },
  },
};
const TARGET = { region: 'us-east-1', accountId: '123456789012' };

describe('tools: deployTimeValue', () => {
  const resolved: [string, unknown, string][] = [
    ['a literal', 'INFO', 'INFO'],
    ['AWS::Region', { Ref: 'AWS::Region' }, 'us-east-1'],
    ['AWS::AccountId', { Ref: 'AWS::AccountId' }, '123456789012'],
    ['AWS::Partition', { Ref: 'AWS::Partition' }, 'aws'],
    ['the Ref of a Config rule (its name)', { Ref: 'AccessKeyConfigRule' }, 'iam-user-single-access-key'],
    ['the Ref of a Lambda function (its name)', { Ref: 'RemediateLambdaFunction' }, 'svc-demo-remediate'],
  ];
  for (const [what, value, expected] of resolved) {
    it(`resolves ${what}`, () => {
      expect(deployTimeValue(TEMPLATE, value, TARGET, 'X')).to.equal(expected);
    });
  }

  it('resolves the Ref of a resource created in the stand-in to the name it created it under', () => {
    // Prepare
    const target = { ...TARGET, created: { RemediationLockTable: 'svc-demo-RemediationLockTable-ABCDEF123456' } };

    // Act
    const value = deployTimeValue(TEMPLATE, { Ref: 'RemediationLockTable' }, target, 'X');

    // Assess
    expect(value).to.equal('svc-demo-RemediationLockTable-ABCDEF123456');
  });

  const unresolved: [string, unknown][] = [
    ['the Ref of a resource whose value only AWS knows', { Ref: 'RemediationAutomationRole' }],
    ['a Ref to nothing', { Ref: 'Missing' }],
    ['Fn::GetAtt', { 'Fn::GetAtt': ['RemediationAutomationRole', 'Arn'] }],
  ];
  for (const [what, value] of unresolved) {
    it(`fails naming the value for ${what}`, () => {
      expect(() => deployTimeValue(TEMPLATE, value, TARGET, 'environment variable X')).to.throw(
        /^environment variable X is \{.*\}, which cannot be resolved before deployment$/,
      );
    });
  }
});
