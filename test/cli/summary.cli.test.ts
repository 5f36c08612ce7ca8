import { expect } from 'chai';
import { FakeAws, type FakeAggregateResult } from '../../tools/fakeAws';
import { buildCli, runCli } from './cliHarness';

// `summary` against a fake Config aggregator in the administrator account holding the results of
// two member accounts, served a few rows per page, as a person reads it after deploying the
// organization rule.

const ADMINISTRATOR = '999999999999';
const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';
const AGGREGATOR = 'iam-user-single-access-key-prod';
const MEMBER_RULE = 'OrgConfigRule-iam-user-single-access-key-h1kq5qbr';

/** `count` results of one rule instance. */
function results(
  accountId: string,
  awsRegion: string,
  configRuleName: string,
  complianceType: string,
  count: number,
  from = 0,
): FakeAggregateResult[] {
  return Array.from({ length: count }, (_, index) => ({
    accountId,
    awsRegion,
    configRuleName,
    complianceType,
    resourceId: `AIDA${accountId}${complianceType.slice(0, 1)}${String(from + index).padStart(5, '0')}`,
  }));
}

describe('CLI summary (subprocess against a fake Config aggregator)', function () {
  this.timeout(60_000);
  let fake: FakeAws;

  before(async () => {
    await buildCli();
    fake = await FakeAws.start({ accountId: ADMINISTRATOR });
  });

  after(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
    fake.setAggregatorResults(
      AGGREGATOR,
      [
        ...results(ACCOUNT_A, 'us-east-1', MEMBER_RULE, 'COMPLIANT', 150),
        ...results(ACCOUNT_A, 'us-east-1', MEMBER_RULE, 'NON_COMPLIANT', 2),
        ...results(ACCOUNT_A, 'us-east-1', MEMBER_RULE, 'NOT_APPLICABLE', 3),
        ...results(ACCOUNT_B, 'us-east-1', MEMBER_RULE, 'NON_COMPLIANT', 120),
        ...results(ACCOUNT_B, 'us-east-1', MEMBER_RULE, 'COMPLIANT', 40),
        ...results(ACCOUNT_B, 'eu-west-1', MEMBER_RULE, 'COMPLIANT', 5),
        // Other rules: another organization rule whose name starts with ours, and an unrelated one.
        ...results(ACCOUNT_A, 'us-east-1', 'OrgConfigRule-iam-user-single-access-key-extra-k2j4x9zq', 'NON_COMPLIANT', 7),
        ...results(ACCOUNT_B, 'us-east-1', 's3-bucket-versioning-enabled', 'NON_COMPLIANT', 9),
      ],
      { maxPageSize: 2 },
    );
  });

  const expectedAccounts = [
    {
      accountId: ACCOUNT_B,
      awsRegion: 'us-east-1',
      configRuleName: MEMBER_RULE,
      COMPLIANT: 40,
      NON_COMPLIANT: 120,
      NOT_APPLICABLE: null,
      total: 160,
    },
    {
      accountId: ACCOUNT_A,
      awsRegion: 'us-east-1',
      configRuleName: MEMBER_RULE,
      COMPLIANT: 150,
      NON_COMPLIANT: 2,
      NOT_APPLICABLE: null,
      total: 152,
    },
    {
      accountId: ACCOUNT_B,
      awsRegion: 'eu-west-1',
      configRuleName: MEMBER_RULE,
      COMPLIANT: 5,
      NON_COMPLIANT: 0,
      NOT_APPLICABLE: null,
      total: 5,
    },
  ];

  it('counts each account and region of the organization rule over every page, worst first, and exits 1', async () => {
    // Act
    const run = await runCli(['summary', '--aggregator', AGGREGATOR, '--format', 'json'], fake.url);

    // Assess
    const report = JSON.parse(run.stdout) as { generatedAt: string };
    const expected = {
      aggregator: AGGREGATOR,
      rule: 'iam-user-single-access-key',
      generatedAt: report.generatedAt,
      counts: { COMPLIANT: 195, NON_COMPLIANT: 122, NOT_APPLICABLE: null, total: 317 },
      accounts: expectedAccounts,
    };
    expect(run.stdout).to.equal(`${JSON.stringify(expected, null, 2)}\n`);
    expect(run.stderr).to.equal('');
    expect(run.status).to.equal(1);
    // Five (rule, account, region) rows, two a page; B/us-east-1 has 160 results, two a page.
    expect(fake.callsOf('DescribeAggregateComplianceByConfigRules')).to.have.length(3);
    const detailCalls = fake.callsOf('GetAggregateComplianceDetailsByConfigRule');
    expect(detailCalls.filter((call) => call.params.AccountId === ACCOUNT_B && call.params.AwsRegion === 'us-east-1')).to.have.length(80);
    expect(
      detailCalls.every((call) => call.params.ConfigRuleName === MEMBER_RULE && call.params.ConfigurationAggregatorName === AGGREGATOR),
    ).to.equal(true);
  });

  it('prints CSV with a header row, one row per account and region, not-applicable left empty', async () => {
    // Act
    const run = await runCli(['summary', '--aggregator', AGGREGATOR, '--format', 'csv'], fake.url);

    // Assess
    expect(run.stdout).to.equal(
      [
        'accountId,awsRegion,configRuleName,COMPLIANT,NON_COMPLIANT,NOT_APPLICABLE,total',
        `${ACCOUNT_B},us-east-1,${MEMBER_RULE},40,120,,160`,
        `${ACCOUNT_A},us-east-1,${MEMBER_RULE},150,2,,152`,
        `${ACCOUNT_B},eu-west-1,${MEMBER_RULE},5,0,,5`,
        '',
      ].join('\n'),
    );
  });

  it('shows the region column in the table when the results span several regions', async () => {
    // Act
    const run = await runCli(['summary', '--aggregator', AGGREGATOR, '--format', 'table'], fake.url);

    // Assess
    const lines = run.stdout.split('\n');
    expect(lines[1]).to.match(/│ Account\s+│ Region\s+│ Non-compliant │ Compliant │ Not applicable │ Total │/);
    expect(lines[3]).to.match(new RegExp(`│ ${ACCOUNT_B}\\s+│ us-east-1\\s+│\\s+120 │\\s+40 │\\s+n/a │\\s+160 │`));
    expect(run.stdout).to.match(/│ All accounts\s+│\s+│\s+122 │\s+195 │\s+n\/a │\s+317 │/);
    expect(run.stdout).to.include('an aggregator keeps COMPLIANT and NON_COMPLIANT results only');
  });

  it('reads a rule by the name given with --rule, and exits 0 when no user is NON_COMPLIANT', async () => {
    // Prepare
    fake.setAggregatorResults('single', [...results(ACCOUNT_A, 'eu-central-1', 'my-rule', 'COMPLIANT', 3)]);

    // Act
    const run = await runCli(['summary', '--aggregator', 'single', '--rule', 'my-rule', '--format', 'csv'], fake.url);

    // Assess
    expect(run.stdout).to.equal(
      [
        'accountId,awsRegion,configRuleName,COMPLIANT,NON_COMPLIANT,NOT_APPLICABLE,total',
        `${ACCOUNT_A},eu-central-1,my-rule,3,0,,3`,
        '',
      ].join('\n'),
    );
    expect(run.status).to.equal(0);
  });

  it('fails naming the API, the aggregator and the account when the aggregator does not exist', async () => {
    // Act
    const run = await runCli(['summary', '--aggregator', 'nope'], fake.url);

    // Assess
    expect(run.stderr).to.equal(
      `error: config:DescribeAggregateComplianceByConfigRules failed for aggregator nope in account ${ADMINISTRATOR}: ` +
        'NoSuchConfigurationAggregatorException: The configuration aggregator does not exist. Check the configuration aggregator name and try again.\n',
    );
    expect(run.stdout).to.equal('');
    expect(run.status).to.equal(2);
  });

  it('fails rather than print an empty summary when no account has results for the rule', async () => {
    // Act
    const run = await runCli(['summary', '--aggregator', AGGREGATOR, '--rule', 'iam-user'], fake.url);

    // Assess
    expect(run.stderr).to.match(
      /^error: config:DescribeAggregateComplianceByConfigRules failed for aggregator .*: Error: no account has results for rule iam-user \(nor OrgConfigRule-iam-user-<suffix>\); check --rule\n$/,
    );
    expect(run.stdout).to.equal('');
    expect(run.status).to.equal(2);
  });
});
