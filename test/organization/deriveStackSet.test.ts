import { expect } from 'chai';
import compiledTemplate from './fixtures/compiledTemplate.json';

// deploy/stackSet.js on a small compiled template (fixtures/compiledTemplate.json), cloned per test:
// what it derives and each refusal; the packaged templates are tested in stackSetTemplate.test.ts.

type Resource = { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[] };
type Template = {
  Description?: string;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Export?: unknown }>;
};
type Settings = { organizationId: string; ruleHere: boolean; administratorOnly: string[] };
type Derived = { errors: string[]; memberBytes?: number; administratorBytes?: number };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deriveStackSet, referencesOf, TEMPLATE_BODY_LIMIT } = require('../../deploy/stackSet.js') as {
  deriveStackSet: (template: Template, settings: Settings) => Derived;
  referencesOf: (value: unknown) => Set<string>;
  TEMPLATE_BODY_LIMIT: number;
};

const SETTINGS: Settings = { organizationId: 'o-a1b2c3d4e5', ruleHere: true, administratorOnly: ['RuleStackSet', 'ConfigAggregator'] };
const fixture = (): Template => structuredClone(compiledTemplate) as Template;
const memberOf = (template: Template): Template =>
  JSON.parse(template.Resources.RuleStackSet.Properties!.TemplateBody as string) as Template;

describe('deriveStackSet (deploy/stackSet.js)', () => {
  it("puts every resource but the administrator's into the member template, the bucket as a parameter", () => {
    // Prepare
    const template = fixture();

    // Act
    const { errors, memberBytes } = deriveStackSet(template, SETTINGS);

    // Assess
    expect(errors).to.deep.equal([]);
    const member = memberOf(template);
    expect(Object.keys(member.Resources)).to.deep.equal([
      'EvaluateLogGroup',
      'EvaluateLambdaFunction',
      'EvaluateFunctionRole',
      'EvaluateConfigPermission',
      'AccessKeyConfigRule',
    ]);
    expect(member.Resources.EvaluateLambdaFunction.Properties!.Code).to.deep.equal({
      S3Bucket: { Ref: 'DeploymentBucket' },
      S3Key: 'serverless/svc/test/1795946663885-2026-11-29T10:04:23.885Z/evaluate.zip',
    });
    expect(member.Outputs).to.deep.equal({
      ConfigRuleName: { Description: 'Name of the Config rule', Value: { Ref: 'AccessKeyConfigRule' } },
    });
    expect(memberBytes).to.equal(Buffer.byteLength(template.Resources.RuleStackSet.Properties!.TemplateBody as string));
    expect(template.Resources.RuleStackSet.Properties!.Capabilities).to.deep.equal(['CAPABILITY_IAM']);
    expect(template.Resources).to.include.keys('EvaluateLambdaFunction', 'AccessKeyConfigRule', 'EvaluateLambdaVersionAbc');
  });

  it('asks for CAPABILITY_NAMED_IAM when a member role has a name', () => {
    // Prepare
    const template = fixture();
    template.Resources.EvaluateFunctionRole.Properties!.RoleName = 'svc-test-evaluate';

    // Act
    deriveStackSet(template, SETTINGS);

    // Assess
    expect(template.Resources.RuleStackSet.Properties!.Capabilities).to.deep.equal(['CAPABILITY_NAMED_IAM']);
  });

  it('asks for CAPABILITY_IAM only when a policy resource names the role it attaches to (RolePolicy RoleName names no new resource)', () => {
    // Prepare
    const template = fixture();
    template.Resources.EvaluateReadOwnResultsPolicy = {
      Type: 'AWS::IAM::RolePolicy',
      Properties: {
        RoleName: { Ref: 'EvaluateFunctionRole' },
        PolicyName: 'read-own-results',
        PolicyDocument: { Version: '2012-10-17', Statement: [] },
      },
    };

    // Act
    deriveStackSet(template, SETTINGS);

    // Assess
    expect(template.Resources.RuleStackSet.Properties!.Capabilities).to.deep.equal(['CAPABILITY_IAM']);
  });

  it("lets the organization read every deploy's zip of the member functions, and nothing else", () => {
    // Prepare
    const template = fixture();

    // Act
    deriveStackSet(template, SETTINGS);

    // Assess
    const statements = (template.Resources.ServerlessDeploymentBucketPolicy.Properties!.PolicyDocument as { Statement: unknown[] })
      .Statement;
    expect(statements).to.have.length(2);
    expect(statements[1]).to.deep.equal({
      Sid: 'OrganizationReadsRuleCode',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ServerlessDeploymentBucket}/serverless/svc/test/*/evaluate.zip' }],
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    });
  });

  it('removes the rule, its function versions and their outputs from this stack when the StackSet deploys it here (DELEGATED_ADMIN)', () => {
    // Prepare
    const template = fixture();

    // Act
    const { errors } = deriveStackSet(template, { ...SETTINGS, ruleHere: false });

    // Assess
    expect(errors).to.deep.equal([]);
    expect(Object.keys(template.Resources)).to.deep.equal([
      'ServerlessDeploymentBucket',
      'ServerlessDeploymentBucketPolicy',
      'RuleStackSet',
      'ConfigAggregator',
    ]);
    expect(Object.keys(template.Outputs!)).to.deep.equal(['ServerlessDeploymentBucketName', 'StackSetId']);
    expect(Object.keys(memberOf(template).Resources)).to.include('AccessKeyConfigRule');
  });

  const refusals: [string, (template: Template) => void, string][] = [
    [
      'a bucket encrypted with KMS',
      (template) => {
        template.Resources.ServerlessDeploymentBucket.Properties = {
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
        };
      },
      'organization=stackset: the deployment bucket must encrypt with SSE-S3 (AES256), which member accounts can read through; not KMS',
    ],
    [
      'a bucket of its own (provider.deploymentBucket)',
      (template) => {
        delete template.Resources.ServerlessDeploymentBucket;
      },
      'organization=stackset needs the deployment bucket Serverless creates, with its policy: remove provider.deploymentBucket',
    ],
    [
      'a bucket policy that lets requests without TLS through',
      (template) => {
        (template.Resources.ServerlessDeploymentBucketPolicy.Properties!.PolicyDocument as { Statement: unknown[] }).Statement = [];
      },
      "organization=stackset: the deployment bucket's policy must deny requests without TLS (aws:SecureTransport false)",
    ],
    [
      'a member resource that refers to the administrator stack',
      (template) => {
        template.Resources.AccessKeyConfigRule.Properties!.Description = { 'Fn::Sub': 'see ${ConfigAggregator}' };
      },
      "organization=stackset: AccessKeyConfigRule refers to ConfigAggregator, which a member account's stack does not hold",
    ],
    [
      'a StackSet name CloudFormation does not take',
      (template) => {
        template.Resources.RuleStackSet.Properties!.StackSetName = 'svc-test_1';
      },
      'organization=stackset: the StackSet name "svc-test_1" (<service>-<stage>) must be a letter and then letters, digits or -, 128 at most: choose another --stage',
    ],
    [
      'a member template over the 51,200 bytes of a TemplateBody',
      (template) => {
        template.Resources.AccessKeyConfigRule.Properties!.Description = 'x'.repeat(TEMPLATE_BODY_LIMIT);
      },
      'organization=stackset: the member template takes ',
    ],
  ];
  for (const [what, change, message] of refusals) {
    it(`refuses ${what}, in one line, and changes nothing`, () => {
      // Prepare
      const template = fixture();
      change(template);
      const before = JSON.stringify(template);

      // Act
      const { errors } = deriveStackSet(template, SETTINGS);

      // Assess
      expect(errors).to.have.length(1);
      expect(errors[0]).to.include(message).and.not.include('\n');
      expect(JSON.stringify(template)).to.equal(before);
    });
  }

  it('finds the logical ids a value refers to through Ref, Fn::GetAtt and Fn::Sub, but not pseudo parameters or Sub variables', () => {
    // Act
    const found = referencesOf({
      A: { Ref: 'One' },
      B: { 'Fn::GetAtt': ['Two', 'Arn'] },
      C: { 'Fn::GetAtt': 'Three.Arn' },
      D: { 'Fn::Sub': 'arn:${AWS::Partition}:x:${Four.Arn}:${!Literal}' },
      E: { 'Fn::Sub': ['${Local}-${Five}', { Local: { Ref: 'Six' } }] },
      F: { Ref: 'AWS::AccountId' },
    });

    // Assess
    expect([...found].sort()).to.deep.equal(['Five', 'Four', 'One', 'Six', 'Three', 'Two']);
  });
});
