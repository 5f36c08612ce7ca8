import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_SET, STACK_SET_DELEGATED } from '../support/deploymentModes';
import { actionsOf, roleStatements } from '../support/effectiveTemplate';
import { memberTemplateOf } from '../support/memberTemplate';
import { ACCESS_KEY_DEPLOYMENT } from '../../src/iam-user-single-access-key/options';
import { checkDeployOptions } from '../../src/options/checkDeployOptions';
import { type Packaged, packageService, resourcesOfType, type Template } from '../support/packageTemplate';

// organization=stackset: the packaged administrator template, and the member template the
// StackSet deploys in every account of the targets (deploy/stackSet.js derives it).

/** A StackSet's TemplateBody takes at most 51,200 bytes (CreateStackSet). */
const TEMPLATE_BODY_LIMIT = 51_200;
/** Serverless uploads the administrator template and deploys it by URL: at most 1 MB. */
const TEMPLATE_URL_LIMIT = 1024 * 1024;
const ORGANIZATION_ID = 'o-a1b2c3d4e5';
/** The administrator's own resources, which no member stack holds. */
const ADMINISTRATOR_ONLY_TYPES = [
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::Lambda::Version',
  'AWS::CloudFormation::StackSet',
  'AWS::Config::ConfigurationAggregator',
];

/** `template`'s resources as a member stack holds them: the artifact directory of each deploy, and the bucket as the DeploymentBucket parameter, made comparable. */
function comparable(resources: Template['Resources']): Template['Resources'] {
  const text = JSON.stringify(resources)
    .replace(/(serverless\/iam-user-single-access-key\/test\/)[^/"]+\//g, '$1<artifacts>/')
    .replaceAll('{"Ref":"ServerlessDeploymentBucket"}', '{"Ref":"DeploymentBucket"}');
  return JSON.parse(text) as Template['Resources'];
}

/** The resources single-account mode deploys for the rule (the bucket, its policy and Lambda versions left out). */
function ruleResourcesOf(template: Template): Template['Resources'] {
  return Object.fromEntries(Object.entries(template.Resources).filter(([, resource]) => !ADMINISTRATOR_ONLY_TYPES.includes(resource.Type)));
}

const sha256 = (packaged: Packaged, file: string) =>
  createHash('sha256')
    .update(readFileSync(join(packaged.directory, file)))
    .digest('hex');
const stackSetOf = (template: Template) => template.Resources[resourcesOfType(template, 'AWS::CloudFormation::StackSet')[0]];
type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
const bucketPolicyOf = (template: Template) =>
  (template.Resources.ServerlessDeploymentBucketPolicy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement;

describe('packaged template (organization=stackset)', function () {
  this.timeout(300_000);
  let packaged: Packaged;
  let delegated: Packaged;
  let single: Packaged;
  let singleOff: Packaged;
  let member: Template;
  let delegatedMember: Template;

  before(async () => {
    // One after another: serverless-esbuild builds in the project's .esbuild/ directory.
    packaged = await packageService(STACK_SET);
    delegated = await packageService(STACK_SET_DELEGATED);
    single = await packageService();
    singleOff = await packageService({ remediation: 'off' });
    member = memberTemplateOf(packaged.template);
    delegatedMember = memberTemplateOf(delegated.template);
  });

  it('has one service-managed StackSet: the targets, this region, automatic deployment, parallel roll-out that stops on failures', () => {
    // Assess
    const stackSet = stackSetOf(packaged.template);
    const { TemplateBody, Description, ...properties } = stackSet.Properties!;
    expect(TemplateBody).to.be.a('string');
    expect(Description).to.be.a('string').and.to.include('iam-user-single-access-key');
    expect(properties).to.deep.equal({
      StackSetName: 'iam-user-single-access-key-test',
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'SELF',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      ManagedExecution: { Active: true },
      OperationPreferences: {
        RegionConcurrencyType: 'PARALLEL',
        ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE',
        MaxConcurrentPercentage: 25,
        FailureTolerancePercentage: 10,
      },
      StackInstancesGroup: [
        { DeploymentTargets: { OrganizationalUnitIds: ['r-a1b2', 'ou-a1b2-c3d4e5f6'] }, Regions: [{ Ref: 'AWS::Region' }] },
      ],
      Parameters: [{ ParameterKey: 'DeploymentBucket', ParameterValue: { Ref: 'ServerlessDeploymentBucket' } }],
      Capabilities: ['CAPABILITY_IAM'],
    });
    // Member stacks read their code through the bucket policy: it must exist first.
    expect([stackSet.DependsOn].flat()).to.deep.equal(['ServerlessDeploymentBucketPolicy']);
    expect(stackSetOf(delegated.template).Properties!.CallAs).to.equal('DELEGATED_ADMIN');
  });

  it('keeps the member template within the 51,200 bytes of a TemplateBody, and the administrator template within 1 MB', () => {
    for (const { template } of [packaged, delegated]) {
      expect(Buffer.byteLength(stackSetOf(template).Properties!.TemplateBody as string)).to.be.at.most(TEMPLATE_BODY_LIMIT);
      expect(Buffer.byteLength(JSON.stringify(template))).to.be.at.most(TEMPLATE_URL_LIMIT);
    }
  });

  it('has the sizes docs/organization.md gives, to the nearest KB or two', () => {
    // Prepare: "the administrator template is about 30 KB …, the member template about 13 KB"
    const page = readFileSync(join(__dirname, '../../docs/organization.md'), 'utf8');
    const [, administratorKb, memberKb] =
      /administrator\s+template is about (\d+) KB[^]*?member\s+template about (\d+) KB/.exec(page) ?? [];

    // Act
    const kb = (bytes: number) => bytes / 1024;
    const measured = {
      administrator: kb(Buffer.byteLength(JSON.stringify(packaged.template))),
      member: kb(Buffer.byteLength(stackSetOf(packaged.template).Properties!.TemplateBody as string)),
    };

    // Assess
    expect(Math.abs(measured.administrator - Number(administratorKb)), `administrator ${measured.administrator} KB`).to.be.at.most(2);
    expect(Math.abs(measured.member - Number(memberKb)), `member ${measured.member} KB`).to.be.at.most(2);
  });

  it('puts into the member template exactly the rule resources single-account mode deploys, the bucket as a parameter', () => {
    // Assess
    expect(comparable(member.Resources)).to.deep.equal(comparable(ruleResourcesOf(single.template)));
    expect(comparable(delegatedMember.Resources)).to.deep.equal(comparable(ruleResourcesOf(singleOff.template)));
    expect(member.Parameters).to.have.all.keys('DeploymentBucket');
  });

  it("runs the zips of single-account mode: this deploy's S3 keys, the same bytes", () => {
    // Assess
    for (const id of ['EvaluateLambdaFunction', 'RemediateLambdaFunction']) {
      const { S3Key } = packaged.template.Resources[id].Properties!.Code as { S3Key: string };
      expect(S3Key).to.match(/^serverless\/iam-user-single-access-key\/test\/[^/]+\/(evaluate|remediate)\.zip$/);
      expect(member.Resources[id].Properties!.Code).to.deep.equal({ S3Bucket: { Ref: 'DeploymentBucket' }, S3Key });
    }
    expect(sha256(packaged, 'evaluate.zip')).to.equal(sha256(single, 'evaluate.zip'));
    expect(sha256(packaged, 'remediate.zip')).to.equal(sha256(single, 'remediate.zip'));
  });

  it('lets Config invoke the member function only from the member account itself (SourceAccount)', () => {
    for (const template of [member, delegatedMember]) {
      const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').map((id) => template.Resources[id].Properties);
      expect(permissions).to.deep.equal([
        {
          FunctionName: { 'Fn::GetAtt': ['EvaluateLambdaFunction', 'Arn'] },
          Action: 'lambda:InvokeFunction',
          Principal: 'config.amazonaws.com',
          SourceAccount: { Ref: 'AWS::AccountId' },
        },
      ]);
    }
  });

  it("gives every member role single-account mode's least privilege, in its own account, and no cross-account role", () => {
    // Assess
    expect(resourcesOfType(member, 'AWS::IAM::Role').sort()).to.deep.equal([
      'EvaluateFunctionRole',
      'RemediateFunctionRole',
      'RemediationAutomationRole',
    ]);
    expect(resourcesOfType(delegatedMember, 'AWS::IAM::Role')).to.deep.equal(['EvaluateFunctionRole']);
    for (const template of [member, delegatedMember]) {
      for (const id of resourcesOfType(template, 'AWS::IAM::Role')) {
        const role = template.Resources[id].Properties!;
        expect(roleStatements(template, id), id).to.deep.equal(roleStatements(single.template, id));
        expect(role.AssumeRolePolicyDocument, id).to.deep.equal(single.template.Resources[id].Properties!.AssumeRolePolicyDocument);
        expect(roleStatements(template, id).flatMap(actionsOf), id).not.to.include.members(['sts:AssumeRole', '*']);
        expect(JSON.stringify(role.AssumeRolePolicyDocument), id).not.to.include('"AWS"');
      }
    }
    expect(roleStatements(member, 'EvaluateFunctionRole').flatMap(actionsOf).sort()).to.deep.equal([
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
  });

  it('deploys remediation to the members unless remediation=off', () => {
    // Assess
    const remediation = ['AWS::SSM::Document', 'AWS::Config::RemediationConfiguration'];
    for (const type of remediation) expect(resourcesOfType(member, type), type).to.have.length(1);
    expect(resourcesOfType(member, 'AWS::Lambda::Function').sort()).to.deep.equal(['EvaluateLambdaFunction', 'RemediateLambdaFunction']);
    for (const type of remediation) expect(resourcesOfType(delegatedMember, type), type).to.deep.equal([]);
    expect(resourcesOfType(delegatedMember, 'AWS::Lambda::Function')).to.deep.equal(['EvaluateLambdaFunction']);
  });

  it('gives each member account a remediation lock table of its own (named by CloudFormation there, deleted with its stack) that its remediate function names', () => {
    // Assess
    expect(resourcesOfType(member, 'AWS::DynamoDB::Table')).to.deep.equal(['RemediationLockTable']);
    expect(member.Resources.RemediationLockTable).to.deep.equal(single.template.Resources.RemediationLockTable);
    expect(member.Resources.RemediationLockTable!.Properties).not.to.have.property('TableName');
    expect(member.Resources.RemediationLockTable).to.deep.include({ DeletionPolicy: 'Delete' });
    const environment = (member.Resources.RemediateLambdaFunction!.Properties!.Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(environment.LOCK_TABLE_NAME).to.deep.equal({ Ref: 'RemediationLockTable' });
    expect(resourcesOfType(delegatedMember, 'AWS::DynamoDB::Table')).to.deep.equal([]);
  });

  it("lets principals of the organization only read only the functions' zips, over TLS only", () => {
    // Assess
    for (const [{ template }, files] of [
      [packaged, ['evaluate', 'remediate']],
      [delegated, ['evaluate']],
    ] as const) {
      const [tlsOnly, organizationRead, ...others] = bucketPolicyOf(template);
      expect(others).to.deep.equal([]);
      expect(tlsOnly).to.deep.include({
        Action: 's3:*',
        Effect: 'Deny',
        Principal: '*',
        Condition: { Bool: { 'aws:SecureTransport': false } },
      });
      expect(organizationRead).to.deep.equal({
        Sid: 'OrganizationReadsRuleCode',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: files.map((file) => ({
          'Fn::Sub': `arn:\${AWS::Partition}:s3:::\${ServerlessDeploymentBucket}/serverless/iam-user-single-access-key/test/*/${file}.zip`,
        })),
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION_ID } },
      });
      // SSE-S3: another account cannot read through the AWS-managed aws/s3 key.
      expect(template.Resources.ServerlessDeploymentBucket.Properties!.BucketEncryption).to.deep.equal({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
    }
    expect(bucketPolicyOf(single.template)).to.have.length(1);
  });

  it('holds the account rule here with callAs=SELF (no StackSet instance reaches the management account), not with DELEGATED_ADMIN', () => {
    // Assess
    expect(comparable(ruleResourcesOf(packaged.template))).to.deep.equal(comparable(ruleResourcesOf(single.template)));
    const types = Object.values(delegated.template.Resources).map((resource) => resource.Type);
    expect(types.sort()).to.deep.equal([
      'AWS::CloudFormation::StackSet',
      'AWS::Config::ConfigurationAggregator',
      'AWS::IAM::Role',
      'AWS::S3::Bucket',
      'AWS::S3::BucketPolicy',
    ]);
    expect(delegated.template.Resources.ConfigAggregatorRole.Type).to.equal('AWS::IAM::Role');
    expect(Object.keys(delegated.template.Outputs ?? {}).sort()).to.deep.equal([
      'ConfigAggregatorName',
      'RuleStackSetId',
      'ServerlessDeploymentBucketName',
    ]);
  });

  it("keeps the aggregator and Serverless's own resources out of the member template, and gives its outputs no export", () => {
    for (const template of [member, delegatedMember]) {
      expect(Object.values(template.Resources).filter((resource) => ADMINISTRATOR_ONLY_TYPES.includes(resource.Type))).to.deep.equal([]);
      expect(template.Resources).not.to.have.property('ConfigAggregatorRole');
      for (const output of Object.values(template.Outputs ?? {})) expect(output).not.to.have.property('Export');
    }
    expect(Object.keys(member.Outputs ?? {}).sort()).to.deep.equal([
      'ConfigRuleName',
      'EvaluateFunctionArn',
      'RemediateFunctionArn',
      'RemediationDocumentName',
    ]);
  });

  it('holds nothing per account: no account id, and more targets add only their ids', async () => {
    // Act
    const { template: oneTarget } = await packageService({ ...STACK_SET, deploymentTargets: 'r-a1b2' });

    // Assess
    for (const { template } of [packaged, delegated]) expect(JSON.stringify(template)).not.to.match(/(?<!\d)\d{12}(?!\d)/);
    expect(Object.keys(oneTarget.Resources).sort()).to.deep.equal(Object.keys(packaged.template.Resources).sort());
    const bytes = (template: Template) => Buffer.byteLength(JSON.stringify(template));
    expect(bytes(packaged.template) - bytes(oneTarget)).to.equal(Buffer.byteLength(',"ou-a1b2-c3d4e5f6"'));
  });
});

// The packaging step's check of these options (deploy/configRuleOptionsPlugin.js refuses to
// package with exactly these lines; test/deployment/packageRefusals.test.ts shows it doing so).
describe('bad organization=stackset options', () => {
  const refusals: [string, Record<string, string>, string[]][] = [
    [
      'a StackSet without the organization or the targets',
      { organization: 'stackset' },
      [
        "--param organizationId: organization=stackset needs the organization's id (o- and 10 to 32 lower-case letters or digits)",
        '--param deploymentTargets: organization=stackset needs the roots or OUs to deploy to (comma-separated r-… or ou-…-… ids)',
      ],
    ],
    [
      'a malformed organization id, an account id as a target and a lower-case callAs',
      { organization: 'stackset', organizationId: 'o-ABC', deploymentTargets: 'r-a1b2,111111111111', callAs: 'self' },
      [
        '--param organizationId: "o-ABC" is not an organization id (o- and 10 to 32 lower-case letters or digits)',
        '--param deploymentTargets: "111111111111" is not a root id (r-…) or an organizational unit id (ou-…-…)',
        '--param callAs: expected one of SELF, DELEGATED_ADMIN, got "self"',
      ],
    ],
    [
      'the member accounts of organization=true with a StackSet',
      { ...STACK_SET, memberAccounts: '111111111111', excludedAccounts: '222222222222' },
      [
        '--param memberAccounts: applies only with --param organization=true',
        '--param excludedAccounts: applies only with --param organization=true',
      ],
    ],
    [
      'StackSet options without organization=stackset',
      { organization: 'true', memberAccounts: '111111111111', organizationId: ORGANIZATION_ID, callAs: 'SELF' },
      [
        '--param organizationId: applies only with --param organization=stackset',
        '--param callAs: applies only with --param organization=stackset',
      ],
    ],
    [
      'an organization mode that does not exist',
      { organization: 'stacksets' },
      ['--param organization: expected "false", "true" or "stackset", got "stacksets"'],
    ],
  ];
  for (const [what, params, expected] of refusals) {
    it(`refuses ${what}, one line per error`, () => {
      // Act
      const lines = checkDeployOptions(ACCESS_KEY_DEPLOYMENT, params).errors;

      // Assess
      expect(lines, lines.join('\n')).to.deep.equal(expected);
    });
  }
});
