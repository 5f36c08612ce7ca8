import { expect } from 'chai';
import { actionsOf, roleStatements } from '../support/effectiveTemplate';
import { packageService, resourcesOfType, type Template } from '../support/packageTemplate';

describe('packaged template (single account)', function () {
  this.timeout(180_000);
  let template: Template;

  before(async () => {
    ({ template } = await packageService());
  });

  it('has one custom Lambda Config rule for IAM users with change, oversized and periodic triggers', () => {
    const [id] = resourcesOfType(template, 'AWS::Config::ConfigRule');
    expect(resourcesOfType(template, 'AWS::Config::ConfigRule')).to.have.length(1);
    const rule = template.Resources[id];
    expect(rule.DependsOn).to.include('EvaluateConfigPermission');
    expect(rule.Properties).to.deep.include({
      ConfigRuleName: 'iam-user-single-access-key',
      Scope: { ComplianceResourceTypes: ['AWS::IAM::User'] },
      InputParameters: { maxAccessKeys: '1', countInactiveKeys: 'false', rotationGraceHours: '0', recordUnchanged: 'false' },
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { 'Fn::GetAtt': ['EvaluateLambdaFunction', 'Arn'] },
        SourceDetails: [
          { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
          { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
          { EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'One_Hour' },
        ],
      },
    });
  });

  it('lets only Config in this account invoke the function', () => {
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').map((id) => template.Resources[id].Properties);
    expect(permissions).to.deep.equal([
      {
        FunctionName: { 'Fn::GetAtt': ['EvaluateLambdaFunction', 'Arn'] },
        Action: 'lambda:InvokeFunction',
        Principal: 'config.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
      },
    ]);
  });

  it('runs on nodejs22.x with a role of its own', () => {
    const fn = template.Resources.EvaluateLambdaFunction.Properties!;
    expect(fn).to.deep.include({
      Runtime: 'nodejs22.x',
      Handler: 'src/iam-user-single-access-key/handler.handler',
      Role: { 'Fn::GetAtt': ['EvaluateFunctionRole', 'Arn'] },
    });
  });

  it('gives the function only the actions it calls: no wildcard action, no IAM write, no managed policy', () => {
    const statements = roleStatements(template, 'EvaluateFunctionRole');
    const actions = statements.flatMap(actionsOf).sort();
    expect(actions).to.deep.equal([
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
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    expect(template.Resources.EvaluateFunctionRole.Properties!.ManagedPolicyArns ?? []).to.deep.equal([]);
    for (const statement of statements) {
      expect(statement.Effect).to.equal('Allow');
      for (const action of actionsOf(statement)) expect(action).not.to.include('*');
    }
    const readsUsers = statements.find((statement) => actionsOf(statement).includes('iam:ListAccessKeys'))!;
    expect(readsUsers.Resource).to.deep.equal({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*' });
  });

  it('allows no sts:AssumeRole without an execution role', () => {
    expect(roleStatements(template, 'EvaluateFunctionRole').flatMap(actionsOf)).not.to.include('sts:AssumeRole');
  });
});

describe('packaged template with deploy options', function () {
  this.timeout(180_000);

  it('passes rule parameters and the frequency through, and scopes AssumeRole to the execution role', async () => {
    // Act
    const { template } = await packageService({
      maxAccessKeys: '2',
      countInactiveKeys: 'true',
      exemptUserNames: 'ci-bot,legacy-etl',
      exemptTag: 'cis-exempt=approved',
      rotationGraceHours: '24',
      executionRoleName: 'AccessKeyRuleReader',
      maximumExecutionFrequency: 'One_Hour',
      configRuleName: 'cis-1-13-access-keys',
    });

    // Assess
    const rule = template.Resources[resourcesOfType(template, 'AWS::Config::ConfigRule')[0]].Properties!;
    expect(rule.ConfigRuleName).to.equal('cis-1-13-access-keys');
    expect(rule.InputParameters).to.deep.equal({
      maxAccessKeys: '2',
      countInactiveKeys: 'true',
      exemptUserNames: 'ci-bot,legacy-etl',
      exemptTag: 'cis-exempt=approved',
      rotationGraceHours: '24',
      executionRoleName: 'AccessKeyRuleReader',
      recordUnchanged: 'false',
    });
    expect(
      (rule.Source as { SourceDetails: { MaximumExecutionFrequency?: string }[] }).SourceDetails[2].MaximumExecutionFrequency,
    ).to.equal('One_Hour');
    const assume = roleStatements(template, 'EvaluateFunctionRole').filter((statement) => actionsOf(statement).includes('sts:AssumeRole'));
    expect(assume).to.deep.equal([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/AccessKeyRuleReader' },
      },
    ]);
  });
});
