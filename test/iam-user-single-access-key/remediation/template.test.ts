import { expect } from 'chai';
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { IAM_USER_ID_PATTERN, parseRemediationRequest } from '../../../src/iam-user-single-access-key/remediation/RemediationRequest';
import { LOCK_TABLE_VARIABLE, RULE_NAME_VARIABLE } from '../../../src/iam-user-single-access-key/remediation/remediationEnvironment';
import { LOCK_EXPIRY_ATTRIBUTE, LOCK_KEY_ATTRIBUTE } from '../../../src/iam-user-single-access-key/remediation/RemediationLockTable';
import {
  DOCUMENT_STEP_TIMEOUT_SECONDS,
  REMEDIATE_TIMEOUT_SECONDS,
} from '../../../src/iam-user-single-access-key/remediation/remediationPackaging';
import { renderText } from '../../../tools/automation/renderText';
import { automationDocumentErrors } from '../../support/automationDocument';
import { packageRefusal, packageService, type Template } from '../../support/packageTemplate';
import { actionsOf, roleStatements, statementsOf } from '../../support/effectiveTemplate';

// The packaged template per remediation deploy option: which resources exist, what they may do,
// and the SSM document, checked against the Automation schema and rendered as Automation would
// (cfn-lint checks the rest of the template: test/deployment/cfnLint.test.ts).

const PROJECT = resolve(__dirname, '../../..');
const REMEDIATION_RESOURCES = [
  'AccessKeyRemediationDocument',
  'AccessKeyRemediation',
  'RemediationAutomationRole',
  'RemediateFunctionRole',
  'RemediateLambdaFunction',
  'RemediateLogGroup',
  'RemediationLockTable',
];
const USERS_ARN = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*' };
const IAM_WRITE =
  /^iam:(Create|Delete|Update|Put|Attach|Detach|Add|Remove|Tag|Untag|Set|Change|Enable|Deactivate|Upload|Reset|Resync|Pass)/;

type Document = {
  parameters: Record<string, { type: string; default?: unknown; allowedPattern?: string; allowedValues?: unknown[] }>;
  mainSteps: { name: string; action: string; inputs: { FunctionName: unknown; Payload: string } }[];
  assumeRole: string;
  schemaVersion: string;
};

const documentOf = (template: Template) => template.Resources.AccessKeyRemediationDocument.Properties!.Content as Document;

describe('remediation in the packaged template', function () {
  this.timeout(180_000);

  const modes: {
    name: string;
    params: Record<string, string>;
    automatic: boolean;
    action: string;
    canDelete: boolean;
    retries?: { MaximumAutomaticAttempts: number; RetryAttemptSeconds: number };
  }[] = [
    { name: 'manual (the default)', params: {}, automatic: false, action: 'Deactivate', canDelete: false },
    {
      name: 'automatic',
      params: { remediation: 'automatic' },
      automatic: true,
      action: 'Deactivate',
      canDelete: false,
      retries: { MaximumAutomaticAttempts: 5, RetryAttemptSeconds: 60 },
    },
    {
      name: 'automatic with Delete',
      params: {
        remediation: 'automatic',
        remediationAction: 'Delete',
        remediationMaximumAutomaticAttempts: '3',
        remediationRetryAttemptSeconds: '300',
      },
      automatic: true,
      action: 'Delete',
      canDelete: true,
      retries: { MaximumAutomaticAttempts: 3, RetryAttemptSeconds: 300 },
    },
    {
      name: 'manual, Delete allowed for people',
      params: { remediationAllowDelete: 'true' },
      automatic: false,
      action: 'Deactivate',
      canDelete: true,
    },
  ];

  for (const mode of modes) {
    describe(`remediation ${mode.name}`, () => {
      let template: Template;
      let resources: Template['Resources'];
      before(async () => {
        ({ template } = await packageService(mode.params));
        resources = template.Resources;
      });

      it('has a document valid against the SSM Automation schema', () => {
        expect(automationDocumentErrors(documentOf(template))).to.deep.equal([]);
      });

      it('has the document, the configuration, both roles and the function', () => {
        for (const id of REMEDIATION_RESOURCES) expect(resources[id], id).to.not.equal(undefined);
      });

      it(`configures Config to run the document on the rule's resources (Automatic ${mode.automatic})`, () => {
        const properties = resources.AccessKeyRemediation.Properties!;
        expect(properties).to.deep.equal({
          ConfigRuleName: { Ref: 'AccessKeyConfigRule' },
          ResourceType: 'AWS::IAM::User',
          TargetType: 'SSM_DOCUMENT',
          TargetId: { Ref: 'AccessKeyRemediationDocument' },
          Parameters: {
            AutomationAssumeRole: { StaticValue: { Values: [{ 'Fn::GetAtt': ['RemediationAutomationRole', 'Arn'] }] } },
            IAMResourceId: { ResourceValue: { Value: 'RESOURCE_ID' } },
            Action: { StaticValue: { Values: [mode.action] } },
            DryRun: { StaticValue: { Values: ['false'] } },
          },
          Automatic: mode.automatic,
          ...mode.retries,
        });
      });

      it(`grants iam:DeleteAccessKey ${mode.canDelete ? 'to the remediate function' : 'to no role'}, and offers Delete in the document only then`, () => {
        const deleters = Object.entries(resources)
          .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
          .filter(([id]) => roleStatements(template, id).some((statement) => actionsOf(statement).includes('iam:DeleteAccessKey')))
          .map(([id]) => id);
        expect(deleters).to.deep.equal(mode.canDelete ? ['RemediateFunctionRole'] : []);
        const content = documentOf(template);
        expect(content.parameters.Action.allowedValues).to.deep.equal(mode.canDelete ? ['Deactivate', 'Delete'] : ['Deactivate']);
        const environment = (resources.RemediateLambdaFunction.Properties!.Environment as { Variables: Record<string, string> }).Variables;
        expect(environment.ALLOW_DELETE).to.equal(String(mode.canDelete));
      });

      it('lets only the remediate function change access keys, on IAM users of this account only', () => {
        const writers = Object.entries(resources)
          .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
          .flatMap(([id]) =>
            roleStatements(template, id)
              .filter((statement) => actionsOf(statement).some((action) => IAM_WRITE.test(action)))
              .map((statement) => ({ id, statement })),
          );
        expect(writers.map(({ id }) => id)).to.satisfy((ids: string[]) => ids.every((id) => id === 'RemediateFunctionRole'));
        expect(writers.flatMap(({ statement }) => actionsOf(statement)).sort()).to.deep.equal(
          mode.canDelete ? ['iam:DeleteAccessKey', 'iam:UpdateAccessKey'] : ['iam:UpdateAccessKey'],
        );
        for (const { statement } of writers) expect(statement.Resource).to.deep.equal(USERS_ARN);
      });

      it('has a lock table of its own: on demand, TTL on the expiry, encrypted with an AWS owned key, no point-in-time recovery, deleted with the stack', () => {
        const table = resources.RemediationLockTable!;
        expect(table).to.deep.equal({
          Type: 'AWS::DynamoDB::Table',
          DeletionPolicy: 'Delete',
          UpdateReplacePolicy: 'Delete',
          Properties: {
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: LOCK_KEY_ATTRIBUTE, AttributeType: 'S' }],
            KeySchema: [{ AttributeName: LOCK_KEY_ATTRIBUTE, KeyType: 'HASH' }],
            TimeToLiveSpecification: { AttributeName: LOCK_EXPIRY_ATTRIBUTE, Enabled: true },
            SSESpecification: { SSEEnabled: false },
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
          },
        });
        const environment = (resources.RemediateLambdaFunction.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
        expect(environment[LOCK_TABLE_VARIABLE]).to.deep.equal({ Ref: 'RemediationLockTable' });
      });

      it('lets the remediate function take and release locks of IAM user ids in that table, and touch no other table or tag', () => {
        const dynamodb = Object.entries(resources)
          .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
          .flatMap(([id]) =>
            roleStatements(template, id)
              .filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')))
              .map((statement) => ({ id, statement })),
          );
        expect(dynamodb).to.deep.equal([
          {
            id: 'RemediateFunctionRole',
            statement: {
              Effect: 'Allow',
              Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
              Resource: { 'Fn::GetAtt': ['RemediationLockTable', 'Arn'] },
              Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AIDA*'] }, Null: { 'dynamodb:LeadingKeys': 'false' } },
            },
          },
        ]);
        const tagging = Object.keys(resources)
          .filter((id) => resources[id]!.Type === 'AWS::IAM::Role')
          .flatMap((id) => roleStatements(template, id).flatMap(actionsOf))
          .filter((action) => /^iam:(Tag|Untag)User$/.test(action));
        expect(tagging).to.deep.equal([]);
      });

      it('lets the remediate function read rule parameters (DescribeConfigRules: on "*", the only resource the Service Authorization Reference gives it), and tells it the rule\'s name', () => {
        const reading = statementsOf(resources.RemediateFunctionRole).filter((statement) =>
          actionsOf(statement).includes('config:DescribeConfigRules'),
        );
        expect(reading).to.deep.equal([{ Effect: 'Allow', Action: 'config:DescribeConfigRules', Resource: '*' }]);
        const environment = (resources.RemediateLambdaFunction.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
        expect(environment[RULE_NAME_VARIABLE]).to.deep.equal({ Ref: 'AccessKeyConfigRule' });
      });

      it('lets the automation role only invoke the remediate function, and only SSM Automation of this account assume it', () => {
        const role = resources.RemediationAutomationRole;
        expect(statementsOf(role)).to.deep.equal([
          { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': ['RemediateLambdaFunction', 'Arn'] } },
        ]);
        expect(role.Properties!.ManagedPolicyArns).to.equal(undefined);
        const trust = (role.Properties!.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
        expect(trust).to.deep.equal([
          {
            Effect: 'Allow',
            Principal: { Service: 'ssm.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:automation-execution/*' } },
            },
          },
        ]);
      });

      it('gives the remediate function a role of its own with only the calls it makes', () => {
        expect(resources.RemediateLambdaFunction.Properties!.Role).to.deep.equal({ 'Fn::GetAtt': ['RemediateFunctionRole', 'Arn'] });
        const actions = roleStatements(template, 'RemediateFunctionRole').flatMap(actionsOf).sort();
        expect(actions).to.deep.equal(
          [
            'config:DescribeConfigRules',
            'config:ListDiscoveredResources',
            ...(mode.canDelete ? ['iam:DeleteAccessKey'] : []),
            'iam:GetAccessKeyLastUsed',
            'iam:GetUser',
            'iam:ListAccessKeys',
            'iam:ListUsers',
            'iam:UpdateAccessKey',
            'dynamodb:DeleteItem',
            'dynamodb:PutItem',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
          ].sort(),
        );
      });

      it('keeps IAM writes out of the rule function role and wildcard actions out of every role', () => {
        expect(
          roleStatements(template, 'EvaluateFunctionRole')
            .flatMap(actionsOf)
            .filter((action) => IAM_WRITE.test(action)),
        ).to.deep.equal([]);
        for (const [id, resource] of Object.entries(resources)) {
          if (resource.Type !== 'AWS::IAM::Role') continue;
          for (const action of roleStatements(template, id).flatMap(actionsOf)) expect(action, id).not.to.include('*');
        }
      });
    });
  }

  describe('remediation off', () => {
    let template: Template;
    let zips: Record<string, number>;
    before(async () => {
      ({ template, zipBytes: zips } = await packageService({ remediation: 'off' }));
    });

    it('packages no document, no remediation configuration, no remediation function or role', () => {
      for (const id of REMEDIATION_RESOURCES) expect(template.Resources, id).not.to.have.property(id);
      const types = Object.values(template.Resources).map((resource) => resource.Type);
      expect(types).not.to.include.members(['AWS::SSM::Document']);
      expect(types).not.to.include('AWS::Config::RemediationConfiguration');
      expect(Object.keys(template.Resources).filter((id) => /remediat/i.test(id))).to.deep.equal([]);
      expect(Object.keys(template.Conditions ?? {}).filter((name) => /remediation/i.test(name))).to.deep.equal([]);
      expect(zips).to.have.property('evaluate');
      expect(zips).not.to.have.property('remediate');
    });
  });

  it('keeps the lock table when the stack is deleted or the table replaced with remediationRetainLockTable=true', async () => {
    // Act
    const { template } = await packageService({ remediationRetainLockTable: 'true' });

    // Assess
    expect(template.Resources.RemediationLockTable).to.deep.include({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('refuses remediationRetainLockTable with remediation=off, naming it', async () => {
    // Act
    const lines = await packageRefusal({ remediation: 'off', remediationRetainLockTable: 'true' });

    // Assess
    expect(lines).to.deep.equal(['--param remediationRetainLockTable: applies only with remediation manual or automatic, not off']);
  });

  it('refuses to package a misspelt remediation option, naming it', async () => {
    // Act
    const lines = await packageRefusal({ remediation: 'automatc' });

    // Assess
    expect(lines).to.deep.equal(['--param remediation: expected one of manual, automatic, off, got "automatc"']);
  });

  it('bundles no IAM write into the rule function (the write calls live in the remediation adapter)', async () => {
    // Act: bundle the rule's handler the way serverless-esbuild does
    const bundle = await build({
      entryPoints: [resolve(PROJECT, 'src/iam-user-single-access-key/handler.ts')],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });

    // Assess
    const code = bundle.outputFiles[0].text;
    expect(code).to.include('ListAccessKeys');
    expect(code).not.to.include('UpdateAccessKey');
    expect(code).not.to.include('DeleteAccessKey');
    // Nor the lock: the DynamoDB client goes into the remediate zip only.
    expect(code).not.to.include('DynamoDB_20120810');
    expect(code).not.to.include('PutItem');
  });
});

describe('remediation document', function () {
  this.timeout(180_000);
  let template: Template;
  let document: Document;
  before(async () => {
    ({ template } = await packageService());
    document = documentOf(template);
  });

  it('is an Automation document (schema 0.3) valid against the SSM Automation schema', () => {
    expect(template.Resources.AccessKeyRemediationDocument.Properties!.DocumentType).to.equal('Automation');
    expect(document.schemaVersion).to.equal('0.3');
    expect(automationDocumentErrors(document)).to.deep.equal([]);
  });

  it('takes the parameters Config and people pass, runs as AutomationAssumeRole, and invokes the remediate function', () => {
    expect(
      Object.fromEntries(Object.entries(document.parameters).map(([name, parameter]) => [name, [parameter.type, parameter.default]])),
    ).to.deep.equal({
      AutomationAssumeRole: ['String', { 'Fn::GetAtt': ['RemediationAutomationRole', 'Arn'] }],
      IAMResourceId: ['String', undefined],
      MaxAccessKeys: ['String', ''],
      Action: ['String', 'Deactivate'],
      DryRun: ['Boolean', false],
    });
    expect(document.assumeRole).to.equal('{{ AutomationAssumeRole }}');
    expect(document.mainSteps[0]).to.deep.include({ name: 'RemediateAccessKeys', action: 'aws:invokeLambdaFunction' });
    expect(document.mainSteps[0].inputs.FunctionName).to.deep.equal({ Ref: 'RemediateLambdaFunction' });
  });

  it("waits for the function longer than the function's timeout, within the 300 s an aws:invokeLambdaFunction step may run", () => {
    // Prepare
    const functionTimeout = template.Resources.RemediateLambdaFunction.Properties!.Timeout as number;
    const stepTimeout = (document.mainSteps[0] as unknown as { timeoutSeconds: number }).timeoutSeconds;

    // Assess: the packaged values are the ones the handler's own deadline and the benchmark take
    expect(functionTimeout).to.equal(REMEDIATE_TIMEOUT_SECONDS);
    expect(stepTimeout).to.equal(DOCUMENT_STEP_TIMEOUT_SECONDS);
    expect(stepTimeout).to.be.above(functionTimeout).and.at.most(300);
  });

  it("is given every parameter but MaxAccessKeys by the remediation configuration, which leaves it to the rule's parameters", () => {
    const configured = Object.keys(template.Resources.AccessKeyRemediation.Properties!.Parameters as object).sort();
    expect(configured).to.deep.equal(
      Object.keys(document.parameters)
        .filter((name) => name !== 'MaxAccessKeys')
        .sort(),
    );
    expect(document.parameters.MaxAccessKeys).to.deep.include({ type: 'String', default: '' });
  });

  const limits: { value: string; accepted: boolean }[] = [
    { value: '', accepted: true },
    { value: '1', accepted: true },
    { value: '25', accepted: true },
    { value: '0', accepted: false },
    { value: '-1', accepted: false },
    { value: '1.5', accepted: false },
    { value: '1", "DryRun": "false', accepted: false },
  ];
  for (const { value, accepted } of limits) {
    it(`${accepted ? 'accepts' : 'rejects'} MaxAccessKeys ${JSON.stringify(value)}`, () => {
      expect(new RegExp(document.parameters.MaxAccessKeys.allowedPattern!).test(value)).to.equal(accepted);
    });
  }

  const ids: { id: string; accepted: boolean }[] = [
    { id: 'AIDAJQABLZS4A3QDU576Q', accepted: true },
    { id: 'AIDA2A3B4C5D6E7F8G9H0', accepted: true },
    { id: 'alice', accepted: false },
    { id: 'AROAJQABLZS4A3QDU576Q', accepted: false },
    { id: 'AKIAIOSFODNN7EXAMPLE', accepted: false },
    { id: 'aidajqablzs4a3qdu576q', accepted: false },
    { id: 'AIDA123', accepted: false },
    { id: 'AIDAJQABLZS4A3QDU576Q", "DryRun": "false', accepted: false },
    { id: 'AIDAJQABLZS4A3QDU576Q\\', accepted: false },
    { id: 'AIDAJQABLZS4A3QDU576Q\n', accepted: false },
    { id: '', accepted: false },
  ];
  for (const { id, accepted } of ids) {
    it(`${accepted ? 'accepts' : 'rejects'} IAMResourceId ${JSON.stringify(id)}`, () => {
      expect(new RegExp(document.parameters.IAMResourceId.allowedPattern!).test(id)).to.equal(accepted);
    });
  }

  it('checks IAMResourceId with the same pattern as the function', () => {
    expect(document.parameters.IAMResourceId.allowedPattern).to.equal(IAM_USER_ID_PATTERN.source);
  });

  it('accepts only role ARNs as AutomationAssumeRole', () => {
    const pattern = new RegExp(document.parameters.AutomationAssumeRole.allowedPattern!);
    expect(pattern.test('arn:aws:iam::123456789012:role/service-role/remediation-role')).to.equal(true);
    expect(pattern.test('arn:aws-us-gov:iam::123456789012:role/r')).to.equal(true);
    expect(pattern.test('arn:aws:iam::123456789012:user/alice')).to.equal(false);
    expect(pattern.test('arn:aws:iam::123456789012:role/r"}')).to.equal(false);
  });

  const renders: { name: string; values: Record<string, string>; expected: object }[] = [
    {
      name: "what Config passes (the defaults: the rule's parameters apply)",
      values: { IAMResourceId: 'AIDAJQABLZS4A3QDU576Q', MaxAccessKeys: '', Action: 'Deactivate', DryRun: 'false' },
      expected: { iamResourceId: 'AIDAJQABLZS4A3QDU576Q', action: 'Deactivate', dryRun: false },
    },
    {
      name: 'a person asking for a Delete dry run keeping two keys',
      values: { IAMResourceId: 'AIDA2A3B4C5D6E7F8G9H0', MaxAccessKeys: '2', Action: 'Delete', DryRun: 'true' },
      expected: { iamResourceId: 'AIDA2A3B4C5D6E7F8G9H0', maxAccessKeys: 2, action: 'Delete', dryRun: true },
    },
    {
      name: 'a Boolean printed capitalised',
      values: { IAMResourceId: 'AIDAJQABLZS4A3QDU576Q', MaxAccessKeys: '1', Action: 'Deactivate', DryRun: 'True' },
      expected: { dryRun: true },
    },
  ];
  for (const { name, values, expected } of renders) {
    it(`renders its Payload into the function's input for ${name}`, () => {
      // Prepare
      const executionId = '4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab';

      // Act
      const payload = JSON.parse(renderText(document.mainSteps[0].inputs.Payload, values, executionId));

      // Assess
      const request = parseRemediationRequest(payload);
      expect(request).to.deep.include({ ...expected, automationExecutionId: executionId });
      if (values.MaxAccessKeys === '') expect(request).not.to.have.property('maxAccessKeys');
    });
  }

  it('passes every parameter but the role to the function, and nothing it does not declare', () => {
    const used = [...document.mainSteps[0].inputs.Payload.matchAll(/\{\{\s*([\w:]+)\s*\}\}/g)].map((match) => match[1]);
    expect(used.filter((name) => !name.startsWith('automation:')).sort()).to.deep.equal([
      'Action',
      'DryRun',
      'IAMResourceId',
      'MaxAccessKeys',
    ]);
    expect(used.filter((name) => name.startsWith('automation:'))).to.deep.equal(['automation:EXECUTION_ID']);
  });
});
