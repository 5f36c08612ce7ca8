import { expect } from 'chai';
import { resolve } from 'node:path';

// organization.js, the Serverless variable resolvers behind the organization deploy options,
// called as Serverless calls them (packaging itself is tested in organizationTemplate.test.ts).

type Resolver = (context: { resolveVariable: (name: string) => Promise<unknown> }) => Promise<unknown>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const organization = require(resolve(__dirname, '../../rules/iam-user-single-access-key/organization.js')) as Record<string, Resolver>;

/** serverless.yml's defaults, as the resolvers see them in a single-account package. */
const DEFAULTS: Record<string, string> = {
  configRuleName: 'iam-user-single-access-key',
  organization: 'false',
  aggregator: 'false',
  memberAccounts: '',
  excludedAccounts: '',
  executionRoleName: '',
  maximumExecutionFrequency: 'TwentyFour_Hours',
  remediation: 'manual',
  maxAccessKeys: '1',
  countInactiveKeys: 'false',
  exemptUserNames: '',
  exemptTag: '',
  rotationGraceHours: '0',
};
const ORGANIZATION = {
  organization: 'true',
  memberAccounts: '111111111111,222222222222',
  executionRoleName: 'IamUserSingleAccessKeyExecution',
  remediation: 'off',
};

function context(params: Record<string, string> = {}) {
  const values = { ...DEFAULTS, ...params };
  return {
    resolveVariable: async (name: string): Promise<unknown> => {
      if (name.startsWith('param:')) return values[name.slice('param:'.length)];
      const known: Record<string, string> = { 'self:service': 'iam-user-single-access-key', 'sls:stage': 'prod', 'self:provider.region': 'us-east-1' };
      if (name in known) return known[name];
      throw new Error(`unexpected variable ${name}`);
    },
  };
}
const call = (resolver: string, params: Record<string, string> = {}) => organization[resolver](context(params));
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: Error) => error);
const accounts = (count: number) => Array.from({ length: count }, (_, index) => String(100_000_000_000 + index)).join(',');

describe('organization deploy options (organization.js)', () => {
  it('defaults executionRoleName to the member role in organization mode only', async () => {
    expect(await call('defaultExecutionRoleName', { organization: 'true' })).to.equal('IamUserSingleAccessKeyExecution');
    expect(await call('defaultExecutionRoleName')).to.equal('');
  });

  it('defaults remediation to off in organization mode only', async () => {
    expect(await call('defaultRemediation', { organization: 'true' })).to.equal('off');
    expect(await call('defaultRemediation')).to.equal('manual');
  });

  it('adds nothing to a single-account package', async () => {
    expect(await call('resources')).to.deep.equal({ Resources: {}, Outputs: {} });
  });

  it('waits for this account and each member account not excluded, each once', async () => {
    // Act
    const ids = await call('invokePermissionIds', { ...ORGANIZATION, memberAccounts: '111111111111, 222222222222,111111111111,333333333333', excludedAccounts: '333333333333' });

    // Assess
    expect(ids).to.deep.equal(['EvaluateConfigPermission', 'EvaluateConfigPermission111111111111', 'EvaluateConfigPermission222222222222']);
    expect(await call('excludedAccounts', { ...ORGANIZATION, excludedAccounts: '333333333333' })).to.deep.equal(['333333333333']);
  });

  it('gives the organization rule its parameters as one JSON string, executionRoleName included', async () => {
    expect(JSON.parse((await call('inputParametersJson', { ...ORGANIZATION, exemptTag: 'cis-exempt' })) as string)).to.deep.equal({
      maxAccessKeys: '1',
      countInactiveKeys: 'false',
      exemptTag: 'cis-exempt',
      rotationGraceHours: '0',
      executionRoleName: 'IamUserSingleAccessKeyExecution',
    });
  });

  it('lets the function assume the execution role in any account in organization mode, in its own otherwise', async () => {
    expect(await call('executionRoleAccount', ORGANIZATION)).to.equal('*');
    expect(await call('executionRoleAccount')).to.equal('${AWS::AccountId}');
  });

  it('accepts as many member accounts as the function policy holds (53 for stage prod in us-east-1)', async () => {
    expect(await call('invokePermissionIds', { ...ORGANIZATION, memberAccounts: accounts(53) })).to.have.length(54);
  });

  const rejected: [string, Record<string, string>, string][] = [
    ['organization other than true or false', { organization: 'yes' }, '--param organization must be true or false, got "yes"'],
    ['aggregator other than true or false', { aggregator: '1' }, '--param aggregator must be true or false, got "1"'],
    ['no member accounts', { ...ORGANIZATION, memberAccounts: '' }, '--param memberAccounts must list the accounts the rule runs in'],
    ['only excluded member accounts', { ...ORGANIZATION, excludedAccounts: '111111111111,222222222222' }, '--param memberAccounts must list the accounts the rule runs in'],
    ['a malformed account id', { ...ORGANIZATION, memberAccounts: '111111111111,12345' }, 'not one: "12345"'],
    ['a malformed excluded account id', { ...ORGANIZATION, excludedAccounts: 'abc' }, '--param excludedAccounts must be comma-separated 12-digit account ids; not one: "abc"'],
    ['member accounts without organization=true', { memberAccounts: '111111111111' }, 'memberAccounts and excludedAccounts apply only with --param organization=true'],
    ['an empty executionRoleName', { ...ORGANIZATION, executionRoleName: '' }, '--param executionRoleName must be an IAM role name, got ""'],
    ['an executionRoleName with a path', { ...ORGANIZATION, executionRoleName: 'team/Reader' }, '--param executionRoleName must be an IAM role name'],
    ['a rule name an organization rule cannot have', { ...ORGANIZATION, configRuleName: 'CIS 1.13' }, '--param configRuleName must be 1 to 64 letters, digits, - or _ for an organization rule, got "CIS 1.13"'],
    ['an unknown maximumExecutionFrequency', { ...ORGANIZATION, maximumExecutionFrequency: 'Daily' }, '--param maximumExecutionFrequency must be one of One_Hour, Three_Hours'],
    ['remediation in organization mode', { ...ORGANIZATION, remediation: 'manual' }, 'remediation runs in one account only: deploy with --param remediation=off'],
    ['more member accounts than the function policy holds', { ...ORGANIZATION, memberAccounts: accounts(54) }, "54 member accounts need more than the 20 KB a Lambda function's resource-based policy holds (at most 53 here)"],
  ];
  for (const [what, params, message] of rejected) {
    it(`stops packaging on ${what}, naming the option`, async () => {
      // Act
      const error = await rejection(call('resources', params));

      // Assess
      expect(error?.message).to.match(/^Organization deployment: /);
      expect(error?.message).to.include(message);
    });
  }

  it('stops packaging when the rule parameters exceed what an organization rule takes', async () => {
    // Prepare: exempted user names worth more than 2,048 characters of JSON
    const exemptUserNames = Array.from({ length: 200 }, (_, index) => `service-user-${index}`).join(',');

    // Act
    const error = await rejection(call('inputParametersJson', { ...ORGANIZATION, exemptUserNames }));

    // Assess
    expect(error?.message).to.match(/^Organization deployment: the rule parameters take \d+ characters as JSON; an organization rule takes at most 2048$/);
  });
});
