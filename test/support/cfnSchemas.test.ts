import { expect } from 'chai';
import { type CfnTemplate, validateAutomationDocument, validateResource, validateTemplate } from './cfnSchemas';

/** Every error matches one of `expected`, and every pattern matches an error ([] = valid). */
function expectErrors(actual: string[], expected: readonly RegExp[]): void {
  if (expected.length === 0) {
    expect(actual, 'errors').to.deep.equal([]);
    return;
  }
  for (const pattern of expected) {
    expect(actual.some((e) => pattern.test(e)), `an error matching ${pattern} in ${JSON.stringify(actual, null, 2)}`).to.equal(true);
  }
  for (const error of actual) {
    expect(expected.some((p) => p.test(error)), `unexpected error ${JSON.stringify(error)}`).to.equal(true);
  }
}

const fnArn = { 'Fn::GetAtt': ['EvaluateLambdaFunction', 'Arn'] };

function configRuleProperties(overrides: Record<string, unknown> = {}, detail: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ConfigRuleName: 'iam-user-single-access-key',
    Description: 'An IAM user has at most one active access key',
    Scope: { ComplianceResourceTypes: ['AWS::IAM::User'] },
    MaximumExecutionFrequency: 'TwentyFour_Hours',
    Source: {
      Owner: 'CUSTOM_LAMBDA',
      SourceIdentifier: fnArn,
      SourceDetails: [
        { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification', ...detail },
        { EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'TwentyFour_Hours' },
      ],
    },
    ...overrides,
  };
}

const assumeLambda = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
};

function roleProperties(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    AssumeRolePolicyDocument: assumeLambda,
    Path: '/',
    ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWS_ConfigRole' }],
    Policies: [
      {
        PolicyName: { 'Fn::Join': ['-', ['evaluate', { Ref: 'AWS::Region' }]] },
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['iam:ListUsers', 'iam:ListAccessKeys'], Resource: '*' },
            { Effect: 'Allow', Action: ['config:PutEvaluations'], Resource: '*' },
          ],
        },
      },
    ],
    ...overrides,
  };
}

function permissionProperties(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    FunctionName: fnArn,
    Action: 'lambda:InvokeFunction',
    Principal: 'config.amazonaws.com',
    SourceAccount: { Ref: 'AWS::AccountId' },
    ...overrides,
  };
}

function automationDocument(steps: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: '0.3',
    description: 'Remediate',
    assumeRole: '{{ AutomationAssumeRole }}',
    parameters: {
      AutomationAssumeRole: { type: 'String', default: '' },
      UserName: { type: 'String' },
    },
    mainSteps: steps,
    ...extra,
  };
}

const invokeStep = {
  name: 'deactivateKeys',
  action: 'aws:invokeLambdaFunction',
  maxAttempts: 2,
  onFailure: 'Abort',
  inputs: { FunctionName: 'remediate', InvocationType: 'RequestResponse', Payload: '{"user": "{{ UserName }}"}' },
};

/** A template shaped like `serverless package` output for this rule. */
function template(extraResources: CfnTemplate['Resources'] = {}, extra: Partial<CfnTemplate> = {}): CfnTemplate {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: { Stage: { Type: 'String', Default: 'dev' } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } },
    Resources: {
      IamRoleLambdaExecution: { Type: 'AWS::IAM::Role', Properties: roleProperties() },
      EvaluateLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/lambda/evaluate', RetentionInDays: 30 } },
      EvaluateLambdaFunction: {
        Type: 'AWS::Lambda::Function',
        DependsOn: ['EvaluateLogGroup'],
        Properties: {
          Code: { S3Bucket: 'deployment-bucket', S3Key: 'evaluate.zip' },
          Handler: 'index.handler',
          Runtime: 'nodejs20.x',
          MemorySize: 256,
          Timeout: 30,
          Role: { 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] },
          Environment: { Variables: { STAGE: { Ref: 'Stage' }, REGION: { Ref: 'AWS::Region' } } },
        },
      },
      ConfigPermission: { Type: 'AWS::Lambda::Permission', Properties: permissionProperties() },
      IamUserSingleAccessKeyRule: { Type: 'AWS::Config::ConfigRule', DependsOn: 'ConfigPermission', Properties: configRuleProperties() },
      ...extraResources,
    },
    Outputs: {
      RuleArn: {
        Value: { 'Fn::GetAtt': ['IamUserSingleAccessKeyRule', 'Arn'] },
        Export: { Name: { 'Fn::Sub': '${AWS::StackName}-RuleArn' } },
      },
    },
    ...extra,
  };
}

interface ResourceCase {
  readonly name: string;
  readonly type: string;
  readonly properties: unknown;
  readonly errors: readonly RegExp[];
}

describe('validateResource', () => {
  const cases: readonly ResourceCase[] = [
    {
      name: 'accepts a CUSTOM_LAMBDA ConfigRule whose SourceIdentifier is an intrinsic function',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties(),
      errors: [],
    },
    {
      name: 'accepts intrinsics where the schema wants a string, an integer and a list',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({
        Description: { 'Fn::Sub': 'Rule for ${AWS::StackName}' },
        Scope: { ComplianceResourceTypes: { 'Fn::Split': [',', 'AWS::IAM::User,AWS::IAM::Group'] } },
        InputParameters: { 'Fn::ToJsonString': { maxKeys: 1 } },
      }),
      errors: [],
    },
    {
      name: 'rejects a MessageType typo and names its path',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({}, { MessageType: 'ConfigurationItemChangeNotificaton' }),
      errors: [/^Properties\/Source\/SourceDetails\/0\/MessageType: must be equal to one of the allowed values: .*"ConfigurationItemChangeNotification"/],
    },
    {
      name: 'rejects a top-level MaximumExecutionFrequency typo (enum from the overlay)',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({ MaximumExecutionFrequency: 'TwentyFourHours' }),
      errors: [/^Properties\/MaximumExecutionFrequency: must be equal to one of the allowed values/],
    },
    {
      name: 'rejects a SourceDetails MaximumExecutionFrequency typo (enum from the overlay)',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({}, { MaximumExecutionFrequency: 'One_hour' }),
      errors: [/^Properties\/Source\/SourceDetails\/0\/MaximumExecutionFrequency: must be equal to one of the allowed values/],
    },
    {
      name: 'rejects an Owner typo (enum from the overlay)',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({ Source: { Owner: 'CUSTOM', SourceIdentifier: fnArn } }),
      errors: [/^Properties\/Source\/Owner: must be equal to one of the allowed values/],
    },
    {
      name: 'rejects a missing required property',
      type: 'AWS::Config::ConfigRule',
      properties: { ConfigRuleName: 'no-source' },
      errors: [/^Properties: must have required property 'Source'$/],
    },
    {
      name: 'rejects a missing required property inside a list item',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({ Source: { Owner: 'CUSTOM_LAMBDA', SourceIdentifier: fnArn, SourceDetails: [{ MessageType: 'ScheduledNotification' }] } }),
      errors: [/^Properties\/Source\/SourceDetails\/0: must have required property 'EventSource'$/],
    },
    {
      name: 'rejects an unknown property',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({ Sources: {} }),
      errors: [/^Properties\/Sources: unknown property/],
    },
    {
      name: 'rejects an unknown property inside a literal object next to intrinsics',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({ Source: { Owner: 'CUSTOM_LAMBDA', SourceIdentifier: fnArn, SourceIdentifer: fnArn } }),
      errors: [/^Properties\/Source\/SourceIdentifer: unknown property/],
    },
    {
      name: 'rejects a read-only property given as input',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({ Arn: 'arn:aws:config:us-east-1:123456789012:config-rule/x' }),
      errors: [/^Properties\/Arn: read-only property/],
    },
    {
      name: 'rejects an unknown resource type instead of passing it',
      type: 'AWS::Config::ConfigRules',
      properties: configRuleProperties(),
      errors: [/^Type: no schema for resource type 'AWS::Config::ConfigRules'/],
    },
    {
      name: 'rejects an intrinsic that yields a list where a string is expected',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({ Description: { 'Fn::Split': [',', 'a,b'] } }),
      errors: [/^Properties\/Description: Fn::Split yields a list, but a scalar is expected here$/],
    },
    {
      name: 'rejects an intrinsic that yields a string where an object is expected',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({ Scope: { 'Fn::Sub': 'AWS::IAM::User' } }),
      errors: [/^Properties\/Scope: Fn::Sub yields a scalar, but an object is expected here$/],
    },
    {
      name: 'treats a Ref to AWS::NoValue as an absent property',
      type: 'AWS::Config::ConfigRule',
      properties: { Source: { Ref: 'AWS::NoValue' } },
      errors: [/^Properties: must have required property 'Source'$/],
    },
    {
      name: 'validates both branches of Fn::If and says which one failed',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({ MaximumExecutionFrequency: { 'Fn::If': ['IsProd', 'One_Hour', 'Every_Hour'] } }),
      errors: [/^Properties\/MaximumExecutionFrequency: must be equal to one of the allowed values: .* \(when IsProd=false\)$/],
    },
    {
      name: 'rejects a malformed Fn::If',
      type: 'AWS::Config::ConfigRule',
      properties: configRuleProperties({ Description: { 'Fn::If': ['IsProd', 'only one branch'] } }),
      errors: [/^Properties\/Description: Fn::If must be \[conditionName, valueIfTrue, valueIfFalse\]$/],
    },
    {
      name: 'accepts a valid AWS::Lambda::Permission',
      type: 'AWS::Lambda::Permission',
      properties: permissionProperties({ SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:config:${AWS::Region}:${AWS::AccountId}:config-rule/*' } }),
      errors: [],
    },
    {
      name: 'rejects an AWS::Lambda::Permission whose Action is a list, not a string',
      type: 'AWS::Lambda::Permission',
      properties: permissionProperties({ Action: ['lambda:InvokeFunction'] }),
      errors: [/^Properties\/Action: must be string$/],
    },
    {
      name: 'checks literal strings against the pattern',
      type: 'AWS::Lambda::Permission',
      properties: permissionProperties({ Action: 'lambda:Invoke Function', SourceAccount: '12345' }),
      errors: [/^Properties\/Action: must match pattern/, /^Properties\/SourceAccount: must NOT have fewer than 12 characters$/, /^Properties\/SourceAccount: must match pattern/],
    },
    {
      name: 'accepts an IAM role with an inline policy',
      type: 'AWS::IAM::Role',
      properties: roleProperties(),
      errors: [],
    },
    {
      name: 'rejects an inline policy without a PolicyName',
      type: 'AWS::IAM::Role',
      properties: roleProperties({ Policies: [{ PolicyDocument: { Statement: [] } }] }),
      errors: [/^Properties\/Policies\/0: must have required property 'PolicyName'$/],
    },
    {
      name: 'rejects an integer out of range',
      type: 'AWS::IAM::Role',
      properties: roleProperties({ MaxSessionDuration: 60 }),
      errors: [/^Properties\/MaxSessionDuration: must be >= 3600$/],
    },
    {
      name: 'implements requiredOr (an Events rule needs EventPattern or ScheduleExpression)',
      type: 'AWS::Events::Rule',
      properties: { Targets: [{ Arn: fnArn, Id: 'evaluate' }] },
      errors: [/^Properties: must have at least one of the properties EventPattern, ScheduleExpression$/],
    },
    {
      name: 'accepts any string for a resource-reference format',
      type: 'AWS::Events::Rule',
      properties: { ScheduleExpression: 'rate(1 day)', RoleArn: 'not-an-arn-but-allowed', Targets: [{ Arn: fnArn, Id: 'evaluate' }] },
      errors: [],
    },
    {
      name: 'implements dependentExcluded (an S3 lifecycle rule with a size filter and AbortIncompleteMultipartUpload)',
      type: 'AWS::S3::Bucket',
      properties: {
        LifecycleConfiguration: {
          Rules: [{ Status: 'Enabled', ObjectSizeGreaterThan: '1024', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
        },
      },
      errors: [/^Properties\/LifecycleConfiguration\/Rules\/0: must NOT have property 'AbortIncompleteMultipartUpload' together with 'ObjectSizeGreaterThan'$/],
    },
    {
      name: 'translates Python-only regexp syntax (LogGroupName pattern ends in \\Z)',
      type: 'AWS::Logs::LogGroup',
      properties: { LogGroupName: '/aws/lambda/evaluate' },
      errors: [],
    },
  ];

  for (const c of cases) {
    it(c.name, () => expectErrors(validateResource(c.type, c.properties), c.errors));
  }
});

interface TemplateCase {
  readonly name: string;
  readonly template: CfnTemplate;
  readonly errors: readonly RegExp[];
}

function withRule(properties: Record<string, unknown>, resource: Record<string, unknown> = {}): CfnTemplate {
  return template({ IamUserSingleAccessKeyRule: { Type: 'AWS::Config::ConfigRule', ...resource, Properties: properties } });
}

function ssmDocument(content: unknown, extra: Record<string, unknown> = {}): CfnTemplate {
  return template({ RemediationDocument: { Type: 'AWS::SSM::Document', Properties: { DocumentType: 'Automation', Content: content, ...extra } } });
}

describe('validateTemplate', () => {
  const cases: readonly TemplateCase[] = [
    { name: 'accepts a packaged template for the rule', template: template(), errors: [] },
    {
      name: 'prefixes schema errors with the logical id',
      template: withRule(configRuleProperties({}, { MessageType: 'Scheduled' })),
      errors: [/^IamUserSingleAccessKeyRule: Properties\/Source\/SourceDetails\/0\/MessageType: must be equal to one of/],
    },
    {
      name: 'rejects an Fn::If whose false branch is invalid',
      template: withRule(configRuleProperties({ MaximumExecutionFrequency: { 'Fn::If': ['IsProd', 'One_Hour', 'Two_Hours'] } })),
      errors: [/^IamUserSingleAccessKeyRule: Properties\/MaximumExecutionFrequency: must be equal to one of .* \(when IsProd=false\)$/],
    },
    {
      name: 'rejects an Fn::If whose false branch removes a required property',
      template: withRule(configRuleProperties({ Source: { 'Fn::If': ['IsProd', configRuleProperties().Source, { Ref: 'AWS::NoValue' }] } })),
      errors: [/^IamUserSingleAccessKeyRule: Properties: must have required property 'Source' \(when IsProd=false\)$/],
    },
    {
      name: 'accepts an Fn::If with two valid branches, one of them AWS::NoValue',
      template: withRule(configRuleProperties({ MaximumExecutionFrequency: { 'Fn::If': ['IsProd', 'One_Hour', { Ref: 'AWS::NoValue' }] } })),
      errors: [],
    },
    {
      name: "takes a resource's own Condition as true inside its Fn::Ifs",
      template: withRule(configRuleProperties({ MaximumExecutionFrequency: { 'Fn::If': ['IsProd', 'One_Hour', 'never'] } }), { Condition: 'IsProd' }),
      errors: [],
    },
    {
      name: 'rejects an Fn::If on an undefined condition',
      template: withRule(configRuleProperties({ MaximumExecutionFrequency: { 'Fn::If': ['IsProduction', 'One_Hour', 'Six_Hours'] } })),
      errors: [/^IamUserSingleAccessKeyRule: Properties\/MaximumExecutionFrequency\/Fn::If: condition 'IsProduction' is not defined in Conditions$/],
    },
    {
      name: 'rejects a Ref to a missing resource',
      template: template({ ConfigPermission: { Type: 'AWS::Lambda::Permission', Properties: permissionProperties({ FunctionName: { Ref: 'EvaluateLambda' } }) } }),
      errors: [/^ConfigPermission: Properties\/FunctionName\/Ref: Ref to 'EvaluateLambda', which is no resource, parameter or pseudo parameter$/],
    },
    {
      name: 'rejects an Fn::GetAtt of a missing resource (both spellings)',
      template: withRule(
        configRuleProperties({
          Source: { Owner: 'CUSTOM_LAMBDA', SourceIdentifier: { 'Fn::GetAtt': 'EvaluateFunction.Arn' } },
          Description: { 'Fn::GetAtt': ['Stage', 'Arn'] },
        }),
      ),
      errors: [/Source\/SourceIdentifier\/Fn::GetAtt: Fn::GetAtt of 'EvaluateFunction', which is no resource$/, /Description\/Fn::GetAtt: Fn::GetAtt of 'Stage', which is no resource$/],
    },
    {
      name: 'accepts Fn::Sub names that are parameters, pseudo parameters, resource attributes, variables or ${!literals}',
      template: withRule(
        configRuleProperties({
          Description: { 'Fn::Sub': ['${Stage} ${AWS::Region} ${EvaluateLambdaFunction.Arn} ${EvaluateLambdaFunction} ${Local} ${!NotAName}', { Local: { Ref: 'Stage' } }] },
        }),
      ),
      errors: [],
    },
    {
      name: 'rejects an Fn::Sub with an unknown name',
      template: withRule(configRuleProperties({ Description: { 'Fn::Sub': 'rule for ${Stag} in ${AWS::Regin} by ${Evaluate.Arn}' } })),
      errors: [
        /Description\/Fn::Sub: \$\{Stag\} is no variable of this Fn::Sub and no resource, parameter or pseudo parameter$/,
        /Description\/Fn::Sub: \$\{AWS::Regin\} is no variable/,
        /Description\/Fn::Sub: \$\{Evaluate.Arn\} names 'Evaluate', which is no resource$/,
      ],
    },
    {
      name: 'rejects a DependsOn or Condition naming nothing',
      template: withRule(configRuleProperties(), { DependsOn: ['ConfigPermision'], Condition: 'IsProduction' }),
      errors: [
        /^IamUserSingleAccessKeyRule: DependsOn 'ConfigPermision', which is no resource$/,
        /^IamUserSingleAccessKeyRule: Condition 'IsProduction' is not defined in Conditions$/,
      ],
    },
    {
      name: 'checks references in Outputs and Conditions too',
      template: template(
        {},
        {
          Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'EvaluateLambdaFunction' }, 'prod'] } },
          Outputs: { RuleArn: { Value: { 'Fn::GetAtt': ['Rule', 'Arn'] } } },
        },
      ),
      errors: [/^Conditions\/IsProd\/Fn::Equals\/0\/Ref: Ref to 'EvaluateLambdaFunction', which is no parameter or pseudo parameter$/, /^Outputs\/RuleArn\/Value\/Fn::GetAtt: Fn::GetAtt of 'Rule', which is no resource$/],
    },
    {
      name: 'rejects a resource of an unknown type',
      template: template({ Remediation: { Type: 'Custom::Remediation', Properties: {} } }),
      errors: [/^Remediation: Type: no schema for resource type 'Custom::Remediation'/],
    },
    {
      name: 'accepts an AWS::SSM::Document whose Automation Content is valid, intrinsics included',
      template: ssmDocument(automationDocument([{ ...invokeStep, inputs: { ...invokeStep.inputs, FunctionName: { Ref: 'EvaluateLambdaFunction' } } }])),
      errors: [],
    },
    {
      name: 'validates the Automation Content of an AWS::SSM::Document',
      template: ssmDocument(automationDocument([{ ...invokeStep, action: 'aws:invokeLambda' }])),
      errors: [/^RemediationDocument: Properties\/Content\/mainSteps\/0\/action: must be equal to one of the allowed values/],
    },
    {
      name: 'validates Automation Content given as JSON text',
      template: ssmDocument(JSON.stringify({ schemaVersion: '0.3', mainSteps: [] })),
      errors: [/^RemediationDocument: Properties\/Content\/mainSteps: must NOT have fewer than 1 items$/],
    },
    {
      name: 'does not apply the Automation schema to other document types',
      template: ssmDocument({ schemaVersion: '2.2', mainSteps: [{ action: 'aws:runShellScript', name: 'x', inputs: { runCommand: ['true'] } }] }, { DocumentType: 'Command' }),
      errors: [],
    },
  ];

  for (const c of cases) {
    it(c.name, () => expectErrors(validateTemplate(c.template), c.errors));
  }
});

interface DocumentCase {
  readonly name: string;
  readonly document: unknown;
  readonly errors: readonly RegExp[];
}

describe('validateAutomationDocument', () => {
  const cases: readonly DocumentCase[] = [
    { name: 'accepts a document with aws:invokeLambdaFunction', document: automationDocument([invokeStep]), errors: [] },
    {
      name: 'rejects an unknown action',
      document: automationDocument([{ ...invokeStep, action: 'aws:invokeLambda' }]),
      errors: [/^\/mainSteps\/0\/action: must be equal to one of the allowed values/],
    },
    {
      name: 'rejects a document without mainSteps',
      document: { schemaVersion: '0.3', description: 'nothing to do' },
      errors: [/^\(root\): must have required property 'mainSteps'$/],
    },
    {
      name: 'rejects the wrong schemaVersion',
      document: { ...automationDocument([invokeStep]), schemaVersion: '2.2' },
      errors: [/^\/schemaVersion: must be equal to one of the allowed values: \["0.3"\]$/],
    },
    {
      name: 'rejects aws:invokeLambdaFunction without FunctionName',
      document: automationDocument([{ ...invokeStep, inputs: { Payload: '{}' } }]),
      errors: [/^\/mainSteps\/0\/inputs: must have required property 'FunctionName'$/],
    },
    {
      name: 'rejects an unknown step property',
      document: automationDocument([{ ...invokeStep, onFailures: 'Abort' }]),
      errors: [/^\/mainSteps\/0\/onFailures: unknown property/],
    },
    {
      name: 'accepts the newer top-level variables and aws:updateVariable',
      document: automationDocument(
        [invokeStep, { name: 'remember', action: 'aws:updateVariable', inputs: { Name: 'variable:Done', Value: true } }],
        { variables: { Done: { type: 'Boolean', default: false } } },
      ),
      errors: [],
    },
    {
      name: 'accepts aws:loop and validates its nested steps',
      document: automationDocument([
        { name: 'eachUser', action: 'aws:loop', inputs: { Iterators: '{{ UserName }}', Steps: [{ ...invokeStep, name: 'inner' }] } },
      ]),
      errors: [],
    },
    {
      name: 'rejects an invalid step nested in aws:loop',
      document: automationDocument([{ name: 'eachUser', action: 'aws:loop', inputs: { Steps: [{ name: 'inner', action: 'aws:nope', inputs: {} }] } }]),
      errors: [/^\/mainSteps\/0\/inputs\/Steps\/0\/action: must be equal to one of the allowed values/],
    },
    {
      name: 'accepts newer aws:executeScript runtimes',
      document: automationDocument([
        { name: 'py', action: 'aws:executeScript', inputs: { Runtime: 'python3.11', Handler: 'handler', Script: 'def handler(e, c): pass' } },
        { name: 'ps', action: 'aws:executeScript', inputs: { Runtime: 'PowerShell 7.4', Script: 'Write-Host hi' } },
      ]),
      errors: [],
    },
    {
      name: 'rejects an unsupported aws:executeScript runtime',
      document: automationDocument([{ name: 'py', action: 'aws:executeScript', inputs: { Runtime: 'python2.7', Handler: 'h', Script: '' } }]),
      errors: [/^\/mainSteps\/0\/inputs\/Runtime: must be equal to one of the allowed values/, /^\/mainSteps\/0\/inputs\/Runtime: must match pattern/, /^\/mainSteps\/0\/inputs\/Runtime: must match exactly one schema in oneOf$/],
    },
    {
      name: 'checks aws:waitForAwsResourceProperty inputs (misspelt in the upstream schema)',
      document: automationDocument([{ name: 'wait', action: 'aws:waitForAwsResourceProperty', inputs: { Service: 'iam', Api: 'GetUser', PropertySelector: '$.User' } }]),
      errors: [/^\/mainSteps\/0\/inputs: must have required property 'DesiredValues'$/],
    },
    {
      name: 'rejects a nextStep or step: target that names no step',
      document: automationDocument([{ ...invokeStep, nextStep: 'notify', onFailure: 'step:cleanup' }]),
      errors: [/^\/mainSteps\/0\/nextStep: no step named 'notify'$/, /^\/mainSteps\/0\/onFailure: no step named 'cleanup'$/],
    },
    {
      name: 'rejects duplicate step names',
      document: automationDocument([invokeStep, invokeStep]),
      errors: [/^\/mainSteps\/1\/name: duplicate step name 'deactivateKeys'$/],
    },
  ];

  for (const c of cases) {
    it(c.name, () => expectErrors(validateAutomationDocument(c.document), c.errors));
  }
});
