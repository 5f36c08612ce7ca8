import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEPLOYMENT_MODES } from '../support/deploymentModes';
import { packageInBackground, packageService } from '../support/packageTemplate';

// Every mode, packaged in the background from the moment the test files load (one at a time).
packageInBackground(Object.values(DEPLOYMENT_MODES));

type PolicyStatement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown };

const POLICY_FILE = resolve(__dirname, '../../docs/deployer-policy.json');

/**
 * What CloudFormation calls, with the deployer's credentials, to create, update and delete each
 * resource type the packaged template holds. A type missing here fails the test: add it, and its
 * actions to docs/deployer-policy.json.
 */
const ACTIONS_BY_RESOURCE_TYPE: Record<string, string[]> = {
  'AWS::S3::Bucket': ['s3:CreateBucket', 's3:DeleteBucket', 's3:PutEncryptionConfiguration', 's3:ListBucket'],
  'AWS::S3::BucketPolicy': ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'],
  'AWS::Logs::LogGroup': [
    'logs:CreateLogGroup',
    'logs:PutRetentionPolicy',
    'logs:DeleteRetentionPolicy',
    'logs:DeleteLogGroup',
    'logs:DescribeLogGroups',
  ],
  'AWS::Lambda::Function': [
    'lambda:CreateFunction',
    'lambda:GetFunction',
    'lambda:UpdateFunctionCode',
    'lambda:UpdateFunctionConfiguration',
    'lambda:DeleteFunction',
    'iam:PassRole',
    's3:GetObject',
  ],
  'AWS::Lambda::Version': ['lambda:PublishVersion', 'lambda:ListVersionsByFunction', 'lambda:GetFunctionConfiguration'],
  'AWS::Lambda::Permission': ['lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy'],
  'AWS::IAM::Role': [
    'iam:CreateRole',
    'iam:GetRole',
    'iam:PutRolePolicy',
    'iam:DeleteRolePolicy',
    'iam:UpdateAssumeRolePolicy',
    'iam:DeleteRole',
  ],
  'AWS::IAM::RolePolicy': ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'],
  'AWS::Config::ConfigRule': ['config:PutConfigRule', 'config:DescribeConfigRules', 'config:DeleteConfigRule'],
  'AWS::Config::RemediationConfiguration': [
    'config:PutRemediationConfigurations',
    'config:DescribeRemediationConfigurations',
    'config:DeleteRemediationConfiguration',
  ],
  'AWS::SSM::Document': ['ssm:CreateDocument', 'ssm:UpdateDocument', 'ssm:DescribeDocument', 'ssm:DeleteDocument'],
  // What AWS::DynamoDB::Table's handlers call for the properties the lock table sets: create, its
  // TTL and point-in-time recovery settings, tags, the read handler's describes, update, delete.
  // Their full lists are in the type's registry schema (`aws cloudformation describe-type --type
  // RESOURCE --type-name AWS::DynamoDB::Table`), which no offline source here carries.
  'AWS::DynamoDB::Table': [
    'dynamodb:CreateTable',
    'dynamodb:DescribeTable',
    'dynamodb:UpdateTimeToLive',
    'dynamodb:DescribeTimeToLive',
    'dynamodb:UpdateContinuousBackups',
    'dynamodb:DescribeContinuousBackups',
    'dynamodb:DescribeContributorInsights',
    'dynamodb:DescribeKinesisStreamingDestination',
    'dynamodb:GetResourcePolicy',
    'dynamodb:ListTagsOfResource',
    'dynamodb:TagResource',
    'dynamodb:UntagResource',
    'dynamodb:UpdateTable',
    'dynamodb:DeleteTable',
  ],
  'AWS::Config::OrganizationConfigRule': [
    'config:PutOrganizationConfigRule',
    'config:DescribeOrganizationConfigRules',
    'config:DeleteOrganizationConfigRule',
    'organizations:ListDelegatedAdministrators',
    'iam:CreateServiceLinkedRole',
  ],
  // The resource provider's handlers (aws-cloudformation-resource-providers-cloudformation,
  // aws-cloudformation-stackset.json); iam:PassRole is for self-managed StackSets only.
  'AWS::CloudFormation::StackSet': [
    'cloudformation:GetTemplateSummary',
    'cloudformation:CreateStackSet',
    'cloudformation:UpdateStackSet',
    'cloudformation:DeleteStackSet',
    'cloudformation:DescribeStackSet',
    'cloudformation:CreateStackInstances',
    'cloudformation:UpdateStackInstances',
    'cloudformation:DeleteStackInstances',
    'cloudformation:ListStackInstances',
    'cloudformation:DescribeStackSetOperation',
    'cloudformation:ListStackSetOperationResults',
    'cloudformation:TagResource',
  ],
  // The registry schemas' handlers (AWS::CloudWatch::Alarm, AWS::SNS::Topic, AWS::SNS::Subscription,
  // AWS::SNS::TopicPolicy, AWS::Events::Rule): create, read back, update, delete, tags.
  'AWS::CloudWatch::Alarm': [
    'cloudwatch:PutMetricAlarm',
    'cloudwatch:DescribeAlarms',
    'cloudwatch:DeleteAlarms',
    'cloudwatch:TagResource',
    'cloudwatch:UntagResource',
    'cloudwatch:ListTagsForResource',
  ],
  'AWS::SNS::Topic': [
    'sns:CreateTopic',
    'sns:DeleteTopic',
    'sns:GetTopicAttributes',
    'sns:SetTopicAttributes',
    'sns:ListSubscriptionsByTopic',
    'sns:TagResource',
    'sns:UntagResource',
    'sns:ListTagsForResource',
  ],
  'AWS::SNS::Subscription': ['sns:Subscribe', 'sns:Unsubscribe', 'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes'],
  'AWS::SNS::TopicPolicy': ['sns:SetTopicAttributes', 'sns:GetTopicAttributes'],
  'AWS::Events::Rule': [
    'events:PutRule',
    'events:DescribeRule',
    'events:DeleteRule',
    'events:PutTargets',
    'events:RemoveTargets',
    'events:ListTargetsByRule',
  ],
  'AWS::Config::ConfigurationAggregator': [
    'config:PutConfigurationAggregator',
    'config:DescribeConfigurationAggregators',
    'config:DeleteConfigurationAggregator',
    'iam:PassRole',
    // its role (ConfigAggregatorRole) is the one role with a managed policy attached
    'iam:AttachRolePolicy',
    'iam:DetachRolePolicy',
  ],
};

/** What `serverless deploy` and `serverless remove` call themselves (stack, change sets, artifacts). */
const SERVERLESS_ACTIONS = [
  'cloudformation:CreateStack',
  'cloudformation:CreateChangeSet',
  'cloudformation:ExecuteChangeSet',
  'cloudformation:DescribeStacks',
  'cloudformation:DescribeStackEvents',
  'cloudformation:DescribeStackResource',
  'cloudformation:ValidateTemplate',
  'cloudformation:DeleteStack',
  's3:PutObject',
  's3:ListBucket',
  's3:DeleteObject',
];

/** Deploy modes whose templates together hold every resource type the project can create. */
/** Every mode the README offers (packaged once per test run, shared with the other template tests). */
const MODES = DEPLOYMENT_MODES;

/** Actions whose resource-level permissions the policy cannot scope to the stack (named by their statement's Sid). */
const UNSCOPED_SIDS = /NoResourceLevel|GeneratedIds|ConfigReadAndTags|OrganizationRead|OrganizationConfigAccessOnly/;

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

function readPolicy(): { Version: string; Statement: PolicyStatement[] } {
  return JSON.parse(readFileSync(POLICY_FILE, 'utf8'));
}

/** Whether cfn-lint (which knows every IAM action of every service) is installed. */
function hasCfnLint(): boolean {
  return spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0;
}

function allowedActions(statements: PolicyStatement[]): Set<string> {
  return new Set(statements.filter((statement) => statement.Effect === 'Allow').flatMap((statement) => list(statement.Action)));
}

describe('docs/deployer-policy.json', function () {
  this.timeout(300_000);

  it('is an IAM policy document of version 2012-10-17 with named Allow statements only', () => {
    const policy = readPolicy();
    expect(policy.Version).to.equal('2012-10-17');
    expect(policy.Statement).to.be.an('array').that.is.not.empty;
    for (const statement of policy.Statement) {
      expect(statement.Sid, JSON.stringify(statement)).to.match(/^[A-Za-z0-9]+$/);
      expect(statement.Effect, statement.Sid).to.equal('Allow');
      expect(list(statement.Resource), statement.Sid).to.not.be.empty;
    }
    const sids = policy.Statement.map((statement) => statement.Sid);
    expect(new Set(sids).size, 'Sids are unique').to.equal(sids.length);
  });

  it('grants no wildcard action, and Resource "*" only in statements that say why', () => {
    for (const statement of readPolicy().Statement) {
      for (const action of list(statement.Action)) expect(action, statement.Sid).to.match(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
      if (list(statement.Resource).includes('*')) expect(statement.Sid).to.match(UNSCOPED_SIDS);
    }
  });

  it('names only IAM actions that exist, as cfn-lint checks them in a managed policy (skipped without cfn-lint: pip install cfn-lint)', function () {
    if (!hasCfnLint()) this.skip();
    const directory = mkdtempSync(join(tmpdir(), 'deployer-policy-'));
    const template = join(directory, 'template.json');
    const document = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { DeployerPolicy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: readPolicy() } } },
    };
    writeFileSync(template, JSON.stringify(document, null, 2));
    let findings = '';
    try {
      execFileSync('cfn-lint', ['--', template], { encoding: 'utf8' });
    } catch (error) {
      findings = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(findings).to.equal('');
  });

  it('allows what Serverless itself calls to deploy and remove the stack', () => {
    const allowed = allowedActions(readPolicy().Statement);
    expect(SERVERLESS_ACTIONS.filter((action) => !allowed.has(action))).to.deep.equal([]);
  });

  for (const [mode, params] of Object.entries(MODES)) {
    it(`covers every resource type the packaged template creates: ${mode}`, async () => {
      const { template } = await packageService(params);
      const types = [...new Set(Object.values(template.Resources).map((resource) => resource.Type))].sort();
      expect(
        types.filter((type) => !(type in ACTIONS_BY_RESOURCE_TYPE)),
        'resource types with no entry in ACTIONS_BY_RESOURCE_TYPE',
      ).to.deep.equal([]);
      const allowed = allowedActions(readPolicy().Statement);
      const missing = types.flatMap((type) =>
        ACTIONS_BY_RESOURCE_TYPE[type].filter((action) => !allowed.has(action)).map((action) => `${type}: ${action}`),
      );
      expect(missing).to.deep.equal([]);
    });
  }
});
