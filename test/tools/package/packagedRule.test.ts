import { expect } from 'chai';
import { packagedRule } from '../../../tools/package/packagedRule';
import type { Template } from '../../../tools/package/Template';
import templateFixture from '../fixtures/remediation-template.json';

// The rule the demo invokes, read from a template shaped like the packaged one.

const template = () => structuredClone(templateFixture) as unknown as Template;

function withRule(properties: Record<string, unknown>): Template {
  const result = template();
  result.Resources.AccessKeyConfigRule = { Type: 'AWS::Config::ConfigRule', Properties: properties };
  return result;
}

const SOURCE = {
  Owner: 'CUSTOM_LAMBDA',
  SourceIdentifier: { 'Fn::GetAtt': ['EvaluateLambdaFunction', 'Arn'] },
  SourceDetails: [
    { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
    { EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'TwentyFour_Hours' },
  ],
};

describe('tools: packagedRule', () => {
  it('reads the rule name, its parameters, its schedule and the function it invokes', () => {
    // Act
    const rule = packagedRule(
      withRule({ ConfigRuleName: 'iam-user-single-access-key', InputParameters: { exemptTag: 'cis-exempt' }, Source: SOURCE }),
    );

    // Assess
    expect(rule).to.deep.equal({
      configRuleName: 'iam-user-single-access-key',
      inputParameters: { exemptTag: 'cis-exempt' },
      maximumExecutionFrequency: 'TwentyFour_Hours',
      functionLogicalId: 'EvaluateLambdaFunction',
    });
  });

  const refused: [string, Template, RegExp][] = [
    [
      'a template without an account-level rule (an organization package)',
      template(),
      /^The packaged template has 0 AWS::Config::ConfigRule resources/,
    ],
    [
      'a parameter that is not a string',
      withRule({ ConfigRuleName: 'r', InputParameters: { maxAccessKeys: 1 }, Source: SOURCE }),
      /^InputParameters\.maxAccessKeys of the Config rule is not a string$/,
    ],
    [
      'a source that is not a function of the template',
      withRule({ ConfigRuleName: 'r', Source: { ...SOURCE, SourceIdentifier: 'arn:aws:lambda:us-east-1:123456789012:function:x' } }),
      /^Source\.SourceIdentifier/,
    ],
  ];
  for (const [what, input, message] of refused) {
    it(`fails naming what is wrong for ${what}`, () => {
      expect(() => packagedRule(input)).to.throw(message);
    });
  }
});
