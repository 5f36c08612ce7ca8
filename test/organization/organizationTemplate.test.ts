import { expect } from 'chai';
import { packageRefusal, packageService, resourcesOfType, type Template } from '../support/packageTemplate';
import { actionsOf, roleStatements } from '../support/effectiveTemplate';
import { ORGANIZATION, ORGANIZATION_WITH_AGGREGATOR as WITH_AGGREGATOR } from '../support/deploymentModes';

const MEMBERS = ['111111111111', '222222222222'];
// https://docs.aws.amazon.com/config/latest/APIReference/API_OrganizationCustomRuleMetadata.html
// (the resource schema has no enum for it)
const FREQUENCIES = ['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours'];
/** Lambda quotas: a function's resource-based policy holds at most 20 KB. */
const POLICY_LIMIT_BYTES = 20 * 1024;
/** The deploying (delegated administrator) account, for resolving the template. */
const ADMINISTRATOR = '999999999999';

/** Properties of the rule function's Lambda permissions CloudFormation would create, by logical id. */
function permissionsOf(template: Template): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    resourcesOfType(template, 'AWS::Lambda::Permission')
      .map((id) => [id, template.Resources[id].Properties!] as const)
      .filter(([, properties]) => JSON.stringify(properties.FunctionName).includes('EvaluateLambdaFunction')),
  );
}

/**
 * The function's resource-based policy as Lambda stores it (`aws lambda get-policy`), built from the
 * packaged permissions: each statement with the longest statement id Lambda allows (100 characters;
 * CloudFormation picks the real ones).
 */
function functionPolicy(template: Template, permissions: Record<string, unknown>[]): string {
  const functionName = template.Resources.EvaluateLambdaFunction.Properties!.FunctionName as string;
  const functionArn = `arn:aws:lambda:us-east-1:${ADMINISTRATOR}:function:${functionName}`;
  const statement = (permission: Record<string, unknown>) => {
    expect(permission.FunctionName).to.deep.equal({ 'Fn::GetAtt': ['EvaluateLambdaFunction', 'Arn'] });
    const sourceAccount = permission.SourceAccount as string | { Ref: string };
    return {
      Sid: 'x'.repeat(100),
      Effect: 'Allow',
      Principal: { Service: permission.Principal },
      Action: permission.Action,
      Resource: functionArn,
      Condition: { StringEquals: { 'AWS:SourceAccount': typeof sourceAccount === 'string' ? sourceAccount : ADMINISTRATOR } },
    };
  };
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: permissions.map(statement) });
}

const accounts = (count: number) => Array.from({ length: count }, (_, index) => String(100_000_000_000 + index));

describe('packaged template (organization)', function () {
  this.timeout(300_000);
  let template: Template;
  let aggregated: Template;
  let single: Template;

  before(async () => {
    // One after another: serverless-esbuild builds in the project's .esbuild/ directory.
    ({ template } = await packageService(ORGANIZATION));
    ({ template: aggregated } = await packageService(WITH_AGGREGATOR));
    ({ template: single } = await packageService());
  });

  it('has one organization Config rule for IAM users run by the rule function, with the three triggers', () => {
    // Assess
    const [id, ...others] = resourcesOfType(template, 'AWS::Config::OrganizationConfigRule');
    expect(others).to.deep.equal([]);
    const { OrganizationCustomRuleMetadata: metadata, ...rule } = template.Resources[id].Properties! as Record<
      string,
      Record<string, unknown>
    >;
    expect(rule).to.deep.equal({ OrganizationConfigRuleName: 'iam-user-single-access-key', ExcludedAccounts: [] });
    const { InputParameters, MaximumExecutionFrequency, ...rest } = metadata;
    expect(rest).to.deep.equal({
      Description: 'Checks that no IAM user has more than 1 active access key(s) (CIS AWS Foundations 1.13 / 1.12 / 2.12).',
      LambdaFunctionArn: { 'Fn::GetAtt': ['EvaluateLambdaFunction', 'Arn'] },
      OrganizationConfigRuleTriggerTypes: [
        'ConfigurationItemChangeNotification',
        'OversizedConfigurationItemChangeNotification',
        'ScheduledNotification',
      ],
      ResourceTypesScope: ['AWS::IAM::User'],
    });
    expect(MaximumExecutionFrequency).to.equal('One_Hour').and.to.be.oneOf(FREQUENCIES);
    expect(JSON.parse(InputParameters as unknown as string)).to.deep.equal({
      maxAccessKeys: '1',
      countInactiveKeys: 'false',
      rotationGraceHours: '0',
      recordUnchanged: 'false',
      executionRoleName: 'IamUserSingleAccessKeyExecution',
    });
  });

  it('passes the rule parameters, the frequency and excludedAccounts through', () => {
    const id = resourcesOfType(aggregated, 'AWS::Config::OrganizationConfigRule')[0];
    const rule = aggregated.Resources[id].Properties! as {
      ExcludedAccounts: string[];
      OrganizationCustomRuleMetadata: { MaximumExecutionFrequency: string };
    };
    expect(rule.ExcludedAccounts).to.deep.equal(['333333333333', '444444444444']);
    expect(rule.OrganizationCustomRuleMetadata.MaximumExecutionFrequency).to.equal('One_Hour').and.to.be.oneOf(FREQUENCIES);
  });

  it('creates no account-level Config rule, and no remediation', () => {
    expect(resourcesOfType(template, 'AWS::Config::ConfigRule')).to.deep.equal([]);
    expect(resourcesOfType(template, 'AWS::Config::RemediationConfiguration')).to.deep.equal([]);
    expect(resourcesOfType(template, 'AWS::SSM::Document')).to.deep.equal([]);
    expect(resourcesOfType(template, 'AWS::Lambda::Function')).to.deep.equal(['EvaluateLambdaFunction']);
    // An output of a resource that is not created would fail the stack.
    expect(template.Outputs).not.to.have.property('ConfigRuleName');
  });

  it('lets Config invoke the function from this account and from each member account only', () => {
    // Assess
    const permissions = permissionsOf(template);
    expect(Object.values(permissions)).to.have.length(1 + MEMBERS.length);
    for (const permission of Object.values(permissions)) {
      expect(permission).to.have.all.keys('FunctionName', 'Action', 'Principal', 'SourceAccount');
      expect(permission).to.deep.include({
        FunctionName: { 'Fn::GetAtt': ['EvaluateLambdaFunction', 'Arn'] },
        Action: 'lambda:InvokeFunction',
        Principal: 'config.amazonaws.com',
      });
    }
    expect(Object.values(permissions).map((permission) => permission.SourceAccount)).to.have.deep.members([
      { Ref: 'AWS::AccountId' },
      ...MEMBERS,
    ]);
  });

  it('gives excluded accounts no permission', () => {
    const sourceAccounts = Object.values(permissionsOf(aggregated)).map((permission) => permission.SourceAccount);
    expect(sourceAccounts).to.have.deep.members([{ Ref: 'AWS::AccountId' }, ...MEMBERS]);
  });

  it('changes the function policy one permission at a time, and creates the rule after all of them', () => {
    // Assess: a chain from this account's permission through every member's
    const ids = Object.keys(permissionsOf(template));
    const chain = ['EvaluateConfigPermission', ...MEMBERS.map((account) => `EvaluateConfigPermission${account}`)];
    expect(ids).to.have.members(chain);
    chain.slice(1).forEach((id, index) => expect([template.Resources[id].DependsOn].flat()).to.deep.equal([chain[index]]));
    const rule = template.Resources[resourcesOfType(template, 'AWS::Config::OrganizationConfigRule')[0]];
    expect(rule.DependsOn).to.have.members(chain);
  });

  it('allows sts:AssumeRole only on the execution role of this account and of each member account Config may invoke the function from', () => {
    const roleIn = (account: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::${account}:role/IamUserSingleAccessKeyExecution` });
    for (const packaged of [template, aggregated]) {
      const assume = roleStatements(packaged, 'EvaluateFunctionRole').filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('sts:')),
      );
      expect(assume).to.deep.equal([
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: [roleIn('${AWS::AccountId}'), ...MEMBERS.map(roleIn)] },
      ]);
    }
  });

  it('leaves the function role its logs and sts:AssumeRole only: it reads and reports through member roles', () => {
    expect(roleStatements(template, 'EvaluateFunctionRole').flatMap(actionsOf).sort()).to.deep.equal([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sts:AssumeRole',
    ]);
  });

  it('names the function role, which member execution roles trust, and outputs that name', () => {
    expect(template.Resources.EvaluateFunctionRole.Properties!.RoleName).to.equal('iam-user-single-access-key-test-evaluate');
    expect(template.Outputs?.EvaluateFunctionRoleName).to.deep.include({ Value: { Ref: 'EvaluateFunctionRole' } });
  });

  it('adds an organization aggregator and its role only with aggregator=true', () => {
    // Assess
    expect(resourcesOfType(template, 'AWS::Config::ConfigurationAggregator')).to.deep.equal([]);
    const [id, ...others] = resourcesOfType(aggregated, 'AWS::Config::ConfigurationAggregator');
    expect(others).to.deep.equal([]);
    expect(aggregated.Resources[id].Properties).to.deep.equal({
      ConfigurationAggregatorName: 'iam-user-single-access-key-test',
      OrganizationAggregationSource: { RoleArn: { 'Fn::GetAtt': ['ConfigAggregatorRole', 'Arn'] }, AwsRegions: [{ Ref: 'AWS::Region' }] },
    });
    const role = aggregated.Resources.ConfigAggregatorRole.Properties!;
    expect(role.AssumeRolePolicyDocument).to.deep.equal({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'config.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(role.ManagedPolicyArns).to.deep.equal([
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSConfigRoleForOrganizations' },
    ]);
    expect(role.Policies).to.equal(undefined);
  });

  it('adds the aggregator to a single-account deployment too (organizations beyond the policy limit)', async () => {
    // Act
    const { template: singleAggregated } = await packageService({ aggregator: 'true' });

    // Assess
    expect(resourcesOfType(singleAggregated, 'AWS::Config::ConfigurationAggregator')).to.deep.equal(['ConfigAggregator']);
    expect(resourcesOfType(singleAggregated, 'AWS::Config::ConfigRule')).to.deep.equal(['AccessKeyConfigRule']);
    expect(resourcesOfType(singleAggregated, 'AWS::Config::OrganizationConfigRule')).to.deep.equal([]);
  });

  it('keeps the default package a single-account rule, with nothing of the organization', () => {
    expect(resourcesOfType(single, 'AWS::Config::ConfigRule')).to.have.length(1);
    for (const type of ['AWS::Config::OrganizationConfigRule', 'AWS::Config::ConfigurationAggregator']) {
      expect(Object.values(single.Resources).filter((resource) => resource.Type === type)).to.deep.equal([]);
    }
    expect(Object.keys(permissionsOf(single))).to.deep.equal(['EvaluateConfigPermission']);
    expect(single.Resources.EvaluateFunctionRole.Properties!.RoleName).to.equal(undefined);
    expect(single.Resources.EvaluateFunctionRole.Properties!.Policies).to.have.length(3);
    expect(roleStatements(single, 'EvaluateFunctionRole').some((statement) => actionsOf(statement).includes('sts:AssumeRole'))).to.equal(
      false,
    );
  });

  describe('the 20 KB limit of the function policy', () => {
    let ceiling: number;

    before(() => {
      // Measure: how many member statements like the packaged ones fit beside this account's.
      const permissions = permissionsOf(template);
      const own = permissions.EvaluateConfigPermission;
      const member = permissions[`EvaluateConfigPermission${MEMBERS[0]}`];
      const policyWith = (count: number) =>
        functionPolicy(template, [own, ...accounts(count).map((account) => ({ ...member, SourceAccount: account }))]);
      ceiling = 0;
      while (Buffer.byteLength(policyWith(ceiling + 1)) <= POLICY_LIMIT_BYTES) ceiling += 1;
    });

    it('carries as many member accounts as fit, measured on the packaged template', async () => {
      // Act: the longest execution role name too, each member's ARN is in the function role's policy
      const { template: largest } = await packageService({
        organization: 'true',
        memberAccounts: accounts(ceiling).join(','),
        executionRoleName: 'R'.repeat(64),
      });

      // Assess
      const permissions = Object.values(permissionsOf(largest));
      expect(permissions).to.have.length(ceiling + 1);
      expect(Buffer.byteLength(functionPolicy(largest, permissions))).to.be.at.most(POLICY_LIMIT_BYTES);
      expect(ceiling).to.be.within(50, 60);
      // IAM quotas: a role's inline policies take at most 10,240 characters together, whitespace not counted.
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
      const inline = JSON.stringify(largest.Resources.EvaluateFunctionRole.Properties!.Policies)
        .replace(/\$\{AWS::Partition\}/g, 'aws-us-gov')
        .replace(/\$\{AWS::AccountId\}/g, ADMINISTRATOR);
      expect(inline.replace(/\s/g, '').length).to.be.at.most(10_240);
    });

    it('refuses to package one member account more, naming the limit', async () => {
      // Act
      const lines = await packageRefusal({ organization: 'true', memberAccounts: accounts(ceiling + 1).join(',') });

      // Assess
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include(
        `--param memberAccounts: ${ceiling + 1} member accounts need more than the 20 KB a Lambda function's resource-based policy holds (at most ${ceiling} here)`,
      );
    });
  });
});
