import {
  ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  type ComplianceType,
} from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import { FakeAws } from '../../tools/fakeAws';

// The fake's Config aggregator reads, through the real SDK client: what AWS documents for
// DescribeAggregateComplianceByConfigRules and GetAggregateComplianceDetailsByConfigRule.

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => error,
  );

describe('FakeAws aggregator', () => {
  let fake: FakeAws;
  let config: ConfigServiceClient;

  before(async () => {
    fake = await FakeAws.start();
    config = new ConfigServiceClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });

  after(async () => {
    config.destroy();
    await fake.close();
  });

  beforeEach(() => {
    const result = (accountId: string, resourceId: string, complianceType: string) => ({
      accountId,
      awsRegion: 'us-east-1',
      configRuleName: 'rule',
      resourceId,
      complianceType,
    });
    fake.setAggregatorResults(
      'agg',
      [
        result('111111111111', 'AIDA1', 'NON_COMPLIANT'),
        result('111111111111', 'AIDA2', 'COMPLIANT'),
        result('111111111111', 'AIDA3', 'NOT_APPLICABLE'),
        result('222222222222', 'AIDA4', 'COMPLIANT'),
      ],
      { maxPageSize: 1 },
    );
  });

  it('describes one row per rule, account and region with its compliance, a page at a time', async () => {
    // Act
    const first = await config.send(new DescribeAggregateComplianceByConfigRulesCommand({ ConfigurationAggregatorName: 'agg' }));
    const second = await config.send(
      new DescribeAggregateComplianceByConfigRulesCommand({ ConfigurationAggregatorName: 'agg', NextToken: first.NextToken }),
    );

    // Assess
    expect(first.AggregateComplianceByConfigRules).to.deep.equal([
      {
        ConfigRuleName: 'rule',
        AccountId: '111111111111',
        AwsRegion: 'us-east-1',
        Compliance: { ComplianceType: 'NON_COMPLIANT', ComplianceContributorCount: { CappedCount: 1, CapExceeded: false } },
      },
    ]);
    expect(second.AggregateComplianceByConfigRules).to.deep.equal([
      { ConfigRuleName: 'rule', AccountId: '222222222222', AwsRegion: 'us-east-1', Compliance: { ComplianceType: 'COMPLIANT' } },
    ]);
    expect(second.NextToken).to.equal(undefined);
  });

  it('keeps COMPLIANT and NON_COMPLIANT results only, as AWS documents for aggregators', async () => {
    // Act
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await config.send(
        new GetAggregateComplianceDetailsByConfigRuleCommand({
          ConfigurationAggregatorName: 'agg',
          ConfigRuleName: 'rule',
          AccountId: '111111111111',
          AwsRegion: 'us-east-1',
          NextToken: token,
        }),
      );
      ids.push(
        ...(page.AggregateEvaluationResults ?? []).map(
          (result) => `${result.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId} ${result.ComplianceType}`,
        ),
      );
      token = page.NextToken;
    } while (token);

    // Assess
    expect(ids).to.deep.equal(['AIDA1 NON_COMPLIANT', 'AIDA2 COMPLIANT']);
  });

  for (const [name, input, code] of [
    [
      'an unknown aggregator',
      { ConfigurationAggregatorName: 'nope', ConfigRuleName: 'rule', AccountId: '111111111111', AwsRegion: 'us-east-1' },
      'NoSuchConfigurationAggregatorException',
    ],
    [
      'a NOT_APPLICABLE filter',
      {
        ConfigurationAggregatorName: 'agg',
        ConfigRuleName: 'rule',
        AccountId: '111111111111',
        AwsRegion: 'us-east-1',
        ComplianceType: 'NOT_APPLICABLE' as ComplianceType,
      },
      'InvalidParameterValueException',
    ],
    ['a missing account id', { ConfigurationAggregatorName: 'agg', ConfigRuleName: 'rule', AwsRegion: 'us-east-1' }, 'ValidationException'],
  ] as const) {
    it(`rejects ${name} in GetAggregateComplianceDetailsByConfigRule`, async () => {
      // Act
      const error = await rejection(config.send(new GetAggregateComplianceDetailsByConfigRuleCommand(input as never)));

      // Assess
      expect(error?.name).to.equal(code);
    });
  }
});
