import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROLE_NAME } from '../../src/options/awsKinds';
import { packageService, type Template } from '../support/packageTemplate';
import { actionsOf, roleStatements, type Statement } from '../support/effectiveTemplate';
import { MEMBER_ROLE_TEMPLATE, SHARED_POLICIES, withSharedPolicies } from '../../scripts/memberExecutionRole';

// member-execution-role.yml is plain CloudFormation for a StackSet: parsed here with the same
// CloudFormation YAML schema (short-form tags) that Serverless uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parseYaml = require('serverless/lib/utils/fs/parse') as (path: string, contents: string) => unknown;

const PATH = resolve(__dirname, '../../rules/iam-user-single-access-key/member-execution-role.yml');
const TEXT = readFileSync(PATH, 'utf8');
const template = parseYaml(PATH, TEXT) as Template & { AWSTemplateFormatVersion: string };

type RoleProperties = {
  RoleName: unknown;
  AssumeRolePolicyDocument: { Statement: Statement[] };
  Policies: { PolicyDocument: { Statement: Statement[] } }[];
  ManagedPolicyArns?: unknown;
  PermissionsBoundary?: unknown;
};
const role = template.Resources.ExecutionRole.Properties as RoleProperties;
const statements = role.Policies.flatMap((policy) => policy.PolicyDocument.Statement);

describe('member execution role template (member-execution-role.yml)', () => {
  it('takes role names by the pattern the executionRoleName option is checked with (cfn-lint checks the rest)', () => {
    // A template parameter's AllowedPattern must match the whole value, so it has no anchors.
    const parameters = template.Parameters as Record<string, { AllowedPattern?: string }>;
    for (const name of ['RuleFunctionRoleName', 'ExecutionRoleName'])
      expect(`^${parameters[name].AllowedPattern}$`, name).to.equal(ROLE_NAME.source);
  });

  it('is plain CloudFormation: one role, no Serverless variables', () => {
    expect(Object.keys(template.Resources)).to.deep.equal(['ExecutionRole']);
    expect(template.Resources.ExecutionRole.Type).to.equal('AWS::IAM::Role');
    expect(TEXT).not.to.match(/\$\{(param|self|sls|file|opt|env):?/);
    expect(template.AWSTemplateFormatVersion).to.equal('2010-09-09');
  });

  it('takes the administrator account and the function role name, and is named after the rule parameter', () => {
    expect(template.Parameters).to.deep.equal({
      AdministratorAccountId: {
        Type: 'String',
        Description: "The delegated administrator (or management) account that runs the rule's function.",
        AllowedPattern: '\\d{12}',
        ConstraintDescription: 'a 12-digit AWS account id',
      },
      RuleFunctionRoleName: {
        Type: 'String',
        Description:
          "The role of the rule's function in the administrator account (output EvaluateFunctionRoleName of the organization deployment: <service>-<stage>-evaluate).",
        Default: 'iam-user-single-access-key-prod-evaluate',
        AllowedPattern: '[\\w+=,.@-]{1,64}',
      },
      ExecutionRoleName: {
        Type: 'String',
        Description: "Name of this role; the rule's executionRoleName parameter.",
        Default: 'IamUserSingleAccessKeyExecution',
        AllowedPattern: '[\\w+=,.@-]{1,64}',
      },
    });
    expect(role.RoleName).to.deep.equal({ Ref: 'ExecutionRoleName' });
  });

  it('trusts only the rule function role in the administrator account', () => {
    expect(role.AssumeRolePolicyDocument.Statement).to.deep.equal([
      {
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AdministratorAccountId}:root' } },
        Action: 'sts:AssumeRole',
        Condition: {
          ArnEquals: {
            'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AdministratorAccountId}:role/${RuleFunctionRoleName}' },
          },
        },
      },
    ]);
  });

  it('allows exactly what the rule calls in an account: reading IAM users and reporting to Config', () => {
    expect(statements.flatMap(actionsOf).sort()).to.deep.equal([
      'account:ListRegions',
      'config:DescribeConfigurationRecorders',
      'config:GetComplianceDetailsByConfigRule',
      'config:GetResourceConfigHistory',
      'config:PutEvaluations',
      'iam:GetAccessKeyLastUsed',
      'iam:GetUser',
      'iam:ListAccessKeys',
      'iam:ListUserTags',
      'iam:ListUsers',
    ]);
    expect(role.ManagedPolicyArns).to.equal(undefined);
    for (const statement of statements) {
      expect(statement.Effect).to.equal('Allow');
      for (const action of actionsOf(statement)) expect(action).not.to.include('*');
    }
    const readsUsers = statements.find((statement) => actionsOf(statement).includes('iam:ListAccessKeys'))!;
    expect(readsUsers.Resource).to.deep.equal({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*' });
    const readsResults = statements.find((statement) => actionsOf(statement).includes('config:GetComplianceDetailsByConfigRule'))!;
    expect(readsResults.Resource).to.deep.equal({ 'Fn::Sub': 'arn:${AWS::Partition}:config:*:${AWS::AccountId}:config-rule/*' });
  });

  it('holds the policies of the packaged function role as their fragments state them now (npm run generate:member-role)', () => {
    // Act
    const generated = withSharedPolicies(TEXT, (file) => readFileSync(resolve(__dirname, '../..', file), 'utf8'));

    // Assess
    expect(TEXT).to.equal(generated, `${MEMBER_ROLE_TEMPLATE} is out of date: run npm run generate:member-role`);
    for (const { file, path } of SHARED_POLICIES) {
      const fragment = path.reduce<unknown>(
        (node, key) => (node as Record<string, unknown>)[key],
        parseYaml(file, readFileSync(resolve(__dirname, '../..', file), 'utf8')),
      ) as { PolicyName: string };
      expect(
        role.Policies.find((policy) => (policy as unknown as { PolicyName: string }).PolicyName === fragment.PolicyName),
      ).to.deep.equal(fragment);
    }
  });

  it('allows the same rule actions as the function role of a single-account deployment', async function () {
    this.timeout(180_000);
    // Prepare
    const { template: single } = await packageService();
    const functionActions = roleStatements(single, 'EvaluateFunctionRole').flatMap(actionsOf);

    // Assess: the function's own log and AssumeRole permissions stay in the administrator account
    const ruleActions = functionActions.filter((action) => !action.startsWith('logs:') && !action.startsWith('sts:'));
    expect(statements.flatMap(actionsOf).sort()).to.deep.equal(ruleActions.sort());
  });
});
