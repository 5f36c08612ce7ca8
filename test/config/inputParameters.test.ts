import { ConfigServiceClient, DescribeConfigRulesCommand } from '@aws-sdk/client-config-service';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { InvalidParameterError, MalformedEventError } from '../../src/config/errors';
import { MalformedInputParametersError, parseInputParameters } from '../../src/config/inputParameters';
import { parseRuleEvent } from '../../src/config/RuleEvent';
import { rulePolicy } from '../../src/iam-user-single-access-key/remediation/remediationPolicy';
import { changeEvent, serialize } from '../fixtures/events';

// InputParameters are read by one parser wherever they come from: the rule's event and the
// remediation's DescribeConfigRules. The rule and its remediation must judge a user alike, so
// what one accepts the other accepts.

describe('parseInputParameters', () => {
  const accepted: [string, string | undefined, Record<string, string>][] = [
    ['no parameters', undefined, {}],
    ['an empty text', ' ', {}],
    ['strings', '{"maxAccessKeys": "2", "exemptTag": "a=b"}', { maxAccessKeys: '2', exemptTag: 'a=b' }],
    // CloudFormation's and the CDK's InputParameters take any JSON: an unquoted value stays a number
    ['a number, as its text', '{"maxAccessKeys": 2}', { maxAccessKeys: '2' }],
    ['a boolean, as its text', '{"countInactiveKeys": true}', { countInactiveKeys: 'true' }],
  ];
  for (const [what, text, expected] of accepted) {
    it(`reads ${what}`, () => {
      expect({ ...parseInputParameters(text, 'InputParameters') }).to.deep.equal(expected);
    });
  }

  it('keeps a parameter named __proto__ as a name, for the parser to refuse', () => {
    expect(Object.keys(parseInputParameters('{"__proto__": "1"}', 'InputParameters'))).to.deep.equal(['__proto__']);
  });

  const refused: [string, string, new (...args: never[]) => Error, string][] = [
    ['text that is not JSON', '{', MalformedInputParametersError, 'InputParameters is not valid JSON'],
    ['a JSON list', '["maxAccessKeys"]', MalformedInputParametersError, 'InputParameters is not a JSON object: ["maxAccessKeys"]'],
    [
      'a null value',
      '{"exemptTag": null}',
      InvalidParameterError,
      'Invalid rule parameter "exemptTag": expected a string (or a number or boolean), got null',
    ],
    ['a list value', '{"exemptUserNames": ["a"]}', InvalidParameterError, 'Invalid rule parameter "exemptUserNames": expected a string'],
    ['an object value', '{"exemptTag": {"key": "a"}}', InvalidParameterError, 'Invalid rule parameter "exemptTag": expected a string'],
  ];
  for (const [what, text, type, message] of refused) {
    it(`refuses ${what}`, () => {
      expect(() => parseInputParameters(text, 'InputParameters')).to.throw(type, message);
    });
  }
});

describe('InputParameters read alike by the rule and by its remediation', () => {
  let config: AwsClientStub<ConfigServiceClient>;
  before(() => {
    config = mockClient(ConfigServiceClient);
  });
  after(() => config.restore());

  /** What the rule's event makes of `text`, and what the remediation makes of the same text read from the rule. */
  async function bothReadings(text: string): Promise<[unknown, unknown]> {
    const event = { ...serialize(changeEvent()), ruleParameters: text };
    config.reset();
    config.on(DescribeConfigRulesCommand).resolves({ ConfigRules: [{ ConfigRuleName: 'rule', InputParameters: text, Source: undefined }] });
    const outcome = async (read: () => unknown) => {
      try {
        return { value: await read() };
      } catch (error) {
        return { error: (error as Error).name };
      }
    };
    return Promise.all([
      outcome(() => ({ ...parseRuleEvent(event).ruleParameters })),
      outcome(async () => (await rulePolicy('rule', new ConfigServiceClient({}))).parameters.maxAccessKeys),
    ]);
  }

  it('both take a number as its text', async () => {
    const [rule, remediation] = await bothReadings('{"maxAccessKeys": 2}');
    expect(rule).to.deep.equal({ value: { maxAccessKeys: '2' } });
    expect(remediation).to.deep.equal({ value: 2 });
  });

  it('both refuse a null value, naming the parameter', async () => {
    expect(await bothReadings('{"maxAccessKeys": null}')).to.deep.equal([
      { error: 'InvalidParameterError' },
      { error: 'InvalidParameterError' },
    ]);
  });

  it('both refuse text that is not a JSON object (the event as a malformed event)', async () => {
    const [rule, remediation] = await bothReadings('[]');
    expect(rule).to.deep.equal({ error: MalformedEventError.name });
    expect(remediation).to.deep.equal({ error: 'MalformedInputParametersError' });
  });
});
