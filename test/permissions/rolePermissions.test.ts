// The wire tests journal every call the functions make (test/support/callJournal.ts); imported
// here so that they have run, once, before this file's tests, also when this file runs alone.
import '../wire/handler.wire.test';
import '../wire/recordChanged.wire.test';
import '../wire/throttling.wire.test';
import '../wire/advice.wire.test';
import '../wire/deadline.wire.test';
import '../wire/recordingRegion.wire.test';
import '../wire/renamedUser.wire.test';
import '../organization/crossAccount.wire.test';
import '../iam-user-single-access-key/remediation/remediation.wire.test';
import '../iam-user-single-access-key/remediation/remediationLock.wire.test';

import { expect } from 'chai';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { allowDeleteFromEnv } from '../../src/iam-user-single-access-key/remediation/remediationEnvironment';
import { Resources } from '../../scripts/demo/Resources';
import { runDemo } from '../../scripts/demo/runDemo';
import { SAMPLE_ACCOUNT } from '../../scripts/demo/sampleAccount';
import { motoEndpoint } from '../support/motoServer';
import { journalCall, type JournaledFunction, type JournalEntry, journalEntries } from '../support/callJournal';
import { DEPLOYMENT_MODES } from '../support/deploymentModes';
import { packageInBackground } from '../support/packageTemplate';
import { expectNone } from '../support/expectNone';
import { type DeployedFunction, deployedFunction } from '../support/iam/deployedFunctions';
import { type ApplicablePolicies, type Decision, type EvaluatedRequest, PolicyEvaluator } from '../support/iam/evaluate';
import { type LabelledTemplate, placementIn, templatesOfMode } from '../support/iam/modeTemplates';
import { PlacedTemplate } from '../support/iam/placement';
import { actionAuthorization } from '../support/iam/serviceAuthorization';
import {
  type PolicyDocument,
  policiesOf,
  rolePolicies,
  statementActions,
  statementResources,
  type TemplatePolicy,
} from '../support/iam/templatePolicies';
import { readTemplate } from '../support/standaloneTemplates';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { invokingAccounts } = require('../../deploy/organization') as {
  invokingAccounts: (members?: string[], excluded?: string[]) => string[];
};
import { resourceStringMatchesResourceTypePattern } from '@cloud-copilot/iam-utils';

// Every mode, packaged in the background from the moment the test files load (one at a time).
packageInBackground(Object.values(DEPLOYMENT_MODES));

// Sufficiency and least privilege by evaluation: each call a function made in the wire tests,
// as IAM authorizes it (action, resource ARN, condition keys: recorded by the fake), is evaluated
// by IAM's rules (test/support/iam/evaluate.ts) against the role that function runs with as
// packaged, in every mode where the call can happen; every call must be allowed, and every
// permission of each role (action × Resource of each statement) must allow some call. The demo's
// packaged functions are journaled too.

/** The functions the wire tests journal: their logical id in the packaged template, and the settings their packaged environment gives them (read by the function's own parser). */
const FUNCTIONS: Record<JournaledFunction, { logicalId: string; settings: (env: NodeJS.ProcessEnv) => Record<string, unknown> }> = {
  evaluate: { logicalId: 'EvaluateLambdaFunction', settings: () => ({}) },
  remediate: { logicalId: 'RemediateLambdaFunction', settings: (env) => ({ allowDelete: allowDeleteFromEnv(env) }) },
};

/** The environment variables of the functions that name a resource of the stack (asPlaced). */
const RESOURCE_VARIABLES = ['LOCK_TABLE_NAME'];
const resourceNamesOf = (env: Readonly<Record<string, string | undefined>>): Record<string, string> =>
  Object.fromEntries(RESOURCE_VARIABLES.filter((name) => env[name]).map((name) => [name, env[name]!]));

const PROJECT = resolve(__dirname, '../..');
const DEMO_SCENARIO = 'npm run demo (the packaged functions)';
const MEMBER_ROLE_TEMPLATE = readTemplate(resolve(__dirname, '../../rules/iam-user-single-access-key/member-execution-role.yml'));
const MEMBER_ROLE_ID = 'ExecutionRole';

const accountOf = (arn: string) => arn.split(':')[4]!;

/**
 * A call's resource as the packaged function would name it: a resource the test or the demo
 * created for the function (its environment variable naming it) stands for the one the same
 * variable names in the placed template, e.g. table/<the test's lock table> for table/<the stack's>.
 */
function asPlaced(resource: string, given: Readonly<Record<string, string>>, placed: Readonly<Record<string, string>>): string {
  let result = resource;
  for (const [variable, name] of Object.entries(given)) {
    const placedName = placed[variable];
    if (placedName !== undefined && name !== '')
      result = result.replace(new RegExp(`(?<=[:/])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), placedName);
  }
  return result;
}
const nameOf = (arn: string) => arn.split('/').at(-1)!;

/** A role calls are evaluated against, in one placement, and what it was found to allow. */
interface Subject {
  /** Permissions are counted used across every placement of the same group (the member execution role in each account). */
  group: string;
  name: string;
  roleArn: string;
  policies: TemplatePolicy[];
  allowed: { request: EvaluatedRequest; resource?: PolicyDocument }[];
}

/** What the evaluation of the journal found. */
interface Findings {
  pairs: number;
  calls: number;
  denied: string[];
  unknownResources: string[];
  notApplicable: string[];
  subjects: Map<string, Subject>;
  /** Calls evaluated for each function of each placed template, by "<label> <logical id>". */
  callsPerFunction: Map<string, number>;
}

describe('the packaged roles allow what the functions call, and nothing more (evaluated by IAM rules)', function () {
  this.timeout(600_000);
  const evaluator = new PolicyEvaluator();
  const templates = new Map<string, Promise<LabelledTemplate[]>>();
  const functions = new Map<LabelledTemplate, Map<string, DeployedFunction | undefined>>();
  const memberRoles = new Map<string, LabelledTemplate>();
  let findings: Findings;

  /** The templates of a mode, its stack (and StackSet member template) placed in `account`. */
  function templatesIn(mode: string, account: string): Promise<LabelledTemplate[]> {
    const key = `${mode}\n${account}`;
    if (!templates.has(key))
      templates.set(key, templatesOfMode(mode, DEPLOYMENT_MODES[mode]!, { administrator: account, member: account }));
    return templates.get(key)!;
  }

  function functionOf(template: LabelledTemplate, logicalId: string): DeployedFunction | undefined {
    if (!functions.has(template)) functions.set(template, new Map());
    const known = functions.get(template)!;
    if (!known.has(logicalId)) known.set(logicalId, deployedFunction(template, logicalId));
    return known.get(logicalId);
  }

  /**
   * member-execution-role.yml as the docs deploy it in `account` for the function `fn`: its
   * RuleFunctionRoleName the stack's output EvaluateFunctionRoleName (organization mode), else
   * the role's name.
   */
  function memberRole(account: string, fn: DeployedFunction, executionRoleName: string): LabelledTemplate {
    const output = (fn.template.placed.template.Outputs?.EvaluateFunctionRoleName as { Value: unknown } | undefined)?.Value;
    const ruleFunctionRoleName = output === undefined ? fn.roleName : String(fn.template.placed.resolve(output));
    const key = [account, accountOf(fn.roleArn), ruleFunctionRoleName, executionRoleName].join('\n');
    if (!memberRoles.has(key)) {
      const parameters = {
        AdministratorAccountId: accountOf(fn.roleArn),
        RuleFunctionRoleName: ruleFunctionRoleName,
        ExecutionRoleName: executionRoleName,
      };
      memberRoles.set(key, {
        label: `member-execution-role.yml in ${account}`,
        placed: new PlacedTemplate(MEMBER_ROLE_TEMPLATE, placementIn(account, 'member-execution-role', parameters)),
      });
    }
    return memberRoles.get(key)!;
  }

  const configInvokes = (fn: DeployedFunction, account: string): Promise<Decision> =>
    evaluator.decide(
      {
        caller: { service: 'config.amazonaws.com' },
        action: 'lambda:InvokeFunction',
        resource: fn.functionArn,
        context: { 'aws:SourceAccount': account },
      },
      { identity: [], resource: fn.resourcePolicy },
    );

  async function evaluateJournal(entries: readonly JournalEntry[]): Promise<Findings> {
    const found: Findings = {
      pairs: 0,
      calls: entries.length,
      denied: [],
      unknownResources: [],
      notApplicable: [],
      subjects: new Map(),
      callsPerFunction: new Map(),
    };
    const subjectOf = (group: string, name: string, roleArn: string, policies: TemplatePolicy[]): Subject => {
      const key = `${group}\n${roleArn}`;
      if (!found.subjects.has(key)) found.subjects.set(key, { group, name, roleArn, policies, allowed: [] });
      return found.subjects.get(key)!;
    };
    const evaluate = async (subject: Subject, request: EvaluatedRequest, resource: PolicyDocument | undefined, scenario: string) => {
      found.pairs += 1;
      const policies: ApplicablePolicies = {
        identity: subject.policies.map((policy) => ({ name: policy.name, document: policy.document })),
        ...(resource ? { resource } : {}),
      };
      const decision = await evaluator.decide(request, policies);
      if (decision === 'Allowed') subject.allowed.push({ request, ...(resource ? { resource } : {}) });
      else
        found.denied.push(
          `${subject.name}: ${request.action} on ${request.resource} ${JSON.stringify(request.context ?? {})} is ${decision} (call of "${scenario}")`,
        );
    };
    const ran = new Set<DeployedFunction>();

    for (const entry of entries) {
      const { call } = entry;
      const { action, resource, context } = call.authorization;
      if (resource === undefined) {
        found.unknownResources.push(`${action}: tools/fakeAws/authorization.ts does not say which resource it acts on`);
        continue;
      }
      // An item request on a table that does not exist (a scenario of its own) has no key schema to
      // derive dynamodb:LeadingKeys from: DynamoDB refuses it whatever IAM decides, so it is not evaluated.
      if (action.startsWith('dynamodb:') && call.errorCode === 'ResourceNotFoundException') continue;
      // The execution role the invocation used (none: the function's own credentials), and the account Config invoked the function for.
      const executionRole = call.assumedRole ? nameOf(call.assumedRole) : action === 'sts:AssumeRole' ? nameOf(resource) : undefined;
      const invokedFor = call.assumedRole ? call.accountId : action === 'sts:AssumeRole' ? accountOf(resource) : entry.homeAccount;
      let applied = 0;
      for (const mode of Object.keys(DEPLOYMENT_MODES)) {
        for (const template of await templatesIn(mode, entry.homeAccount)) {
          const fn = functionOf(template, FUNCTIONS[entry.function].logicalId);
          if (!fn || !isDeepStrictEqual(FUNCTIONS[entry.function].settings(fn.environment), entry.settings)) continue;
          if (
            entry.function === 'evaluate' &&
            (fn.executionRoleName !== executionRole || (await configInvokes(fn, invokedFor)) !== 'Allowed')
          )
            continue;
          applied += 1;
          ran.add(fn);
          const counted = `${fn.label} ${fn.logicalId}`;
          found.callsPerFunction.set(counted, (found.callsPerFunction.get(counted) ?? 0) + 1);
          let subject: Subject;
          if (call.assumedRole) {
            const member = memberRole(invokedFor, fn, executionRole!);
            subject = subjectOf(
              'member-execution-role.yml ExecutionRole',
              `${fn.label}: ${member.label} ${MEMBER_ROLE_ID}`,
              member.placed.arn(MEMBER_ROLE_ID),
              rolePolicies(policiesOf(member.placed), MEMBER_ROLE_ID),
            );
          } else {
            subject = subjectOf(`${fn.label} ${fn.roleId}`, `${fn.label}: ${fn.roleId}`, fn.roleArn, fn.rolePolicies);
          }
          // AssumeRole needs the target role's trust policy too.
          const trust =
            action === 'sts:AssumeRole'
              ? policiesOf(memberRole(invokedFor, fn, executionRole!).placed).find(
                  (policy) => policy.kind === 'trust' && policy.owner === MEMBER_ROLE_ID,
                )!.document
              : undefined;
          const placedResource = asPlaced(resource, entry.resourceNames, fn.environment);
          await evaluate(
            subject,
            { caller: { role: subject.roleArn, session: fn.functionName }, action, resource: placedResource, context },
            trust,
            entry.scenario,
          );
        }
      }
      if (applied === 0 && call.status < 400)
        found.notApplicable.push(`${action} on ${resource} (call of "${entry.scenario}") applies to no packaged mode`);
    }

    // Lambda writes each function's logs with the function's role (its own log group, a stream per container).
    // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
    for (const fn of ran) {
      const { region, accountId } = fn.template.placed.placement;
      const stream = `arn:aws:logs:${region}:${accountId}:log-group:/aws/lambda/${fn.functionName}:log-stream:2026/11/21/[$LATEST]0123456789abcdef0123456789abcdef`;
      const subject = subjectOf(`${fn.label} ${fn.roleId}`, `${fn.label}: ${fn.roleId}`, fn.roleArn, fn.rolePolicies);
      for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
        await evaluate(
          subject,
          { caller: { role: fn.roleArn, session: fn.functionName }, action, resource: stream },
          undefined,
          'the Lambda runtime writing the function logs',
        );
      }
    }
    return found;
  }

  /** (request, policy) pairs the services' own requests were evaluated in (Automation, Config, the StackSet bucket). */
  let servicePairs = 0;

  before(async () => {
    // The demo's packaged functions, run as Lambda would against the stand-in, journal their calls too.
    const resources = new Resources();
    try {
      await runDemo({
        projectDir: PROJECT,
        resources,
        log: () => undefined,
        observeCalls: (fn, call) => {
          const [name, { settings }] = Object.entries(FUNCTIONS).find(([, spec]) => spec.logicalId === fn.logicalId)! as [
            JournaledFunction,
            (typeof FUNCTIONS)[JournaledFunction],
          ];
          journalCall({
            function: name,
            scenario: DEMO_SCENARIO,
            homeAccount: SAMPLE_ACCOUNT.accountId,
            settings: settings(fn.environment),
            resourceNames: resourceNamesOf(fn.environment),
            call,
          });
        },
      });
    } finally {
      expect(await resources.stopAll()).to.deep.equal([]);
    }
    findings = await evaluateJournal(journalEntries());
    console.log(
      `      ${findings.calls} calls journaled; ${findings.pairs} (call, role) pairs evaluated (${evaluator.simulations} distinct evaluations) against ${findings.subjects.size} roles of ${Object.keys(DEPLOYMENT_MODES).length} modes`,
    );
  });

  after(() => {
    console.log(
      `      ${findings.pairs + servicePairs} (call, role) pairs evaluated in all: ${findings.pairs} of the functions' calls, ${servicePairs} of the services' requests`,
    );
  });

  /** Every template of every mode, its stack and member template placed in one account. */
  async function everyTemplate(account = '123456789012'): Promise<{ mode: string; template: LabelledTemplate }[]> {
    const all: { mode: string; template: LabelledTemplate }[] = [];
    for (const mode of Object.keys(DEPLOYMENT_MODES)) for (const template of await templatesIn(mode, account)) all.push({ mode, template });
    return all;
  }

  /** Decides and counts a service's request; a line when the decision is not the expected one. */
  async function expectDecision(
    where: string,
    request: EvaluatedRequest,
    policies: ApplicablePolicies,
    expected: 'Allowed' | 'Denied',
  ): Promise<string[]> {
    servicePairs += 1;
    const decision = await evaluator.decide(request, policies);
    return (decision === 'Allowed') === (expected === 'Allowed')
      ? []
      : [
          `${where}: ${request.action} on ${request.resource} ${JSON.stringify(request.context ?? {})} is ${decision}, expected ${expected}`,
        ];
  }

  it('lets SSM Automation of this account only assume the Automation role, which may invoke the remediate function only, with every permission used', async () => {
    const problems: string[] = [];
    let roles = 0;
    for (const { template } of await everyTemplate()) {
      const { placed, label } = template;
      if (!placed.template.Resources.RemediationAutomationRole) continue;
      roles += 1;
      const account = placed.placement.accountId;
      const policies = policiesOf(placed);
      const roleArn = placed.arn('RemediationAutomationRole');
      const trust = policies.find((policy) => policy.kind === 'trust' && policy.owner === 'RemediationAutomationRole')!.document;
      const execution = (owner: string) => `arn:aws:ssm:us-east-1:${owner}:automation-execution/4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab`;
      const assume = (owner: string, sourceArn = execution(owner)): EvaluatedRequest => ({
        caller: { service: 'ssm.amazonaws.com' },
        action: 'sts:AssumeRole',
        resource: roleArn,
        context: { 'aws:SourceAccount': owner, 'aws:SourceArn': sourceArn },
      });
      problems.push(
        ...(await expectDecision(
          `${label}: RemediationAutomationRole trust policy`,
          assume(account),
          { identity: [], resource: trust },
          'Allowed',
        )),
      );
      problems.push(
        ...(await expectDecision(
          `${label}: RemediationAutomationRole trust policy`,
          assume('444444444444'),
          { identity: [], resource: trust },
          'Denied',
        )),
      );
      problems.push(
        ...(await expectDecision(
          `${label}: RemediationAutomationRole trust policy`,
          assume(account, execution('444444444444')),
          { identity: [], resource: trust },
          'Denied',
        )),
      );
      // What the document's steps invoke, as the role.
      const document = placed.resolve(placed.template.Resources.AccessKeyRemediationDocument!.Properties!.Content) as {
        mainSteps: { action: string; inputs: { FunctionName?: string } }[];
      };
      const invoked = document.mainSteps
        .filter((step) => step.action === 'aws:invokeLambdaFunction')
        .map((step) => step.inputs.FunctionName!);
      expect(invoked, label).not.to.be.empty;
      const subject: Subject = {
        group: `${label} RemediationAutomationRole`,
        name: `${label}: RemediationAutomationRole`,
        roleArn,
        policies: rolePolicies(policies, 'RemediationAutomationRole'),
        allowed: [],
      };
      const identity = { identity: subject.policies.map((policy) => ({ name: policy.name, document: policy.document })) };
      for (const name of invoked) {
        const request: EvaluatedRequest = {
          caller: { role: roleArn, session: 'automation' },
          action: 'lambda:InvokeFunction',
          resource: `arn:aws:lambda:us-east-1:${account}:function:${name}`,
        };
        const found = await expectDecision(`${label}: RemediationAutomationRole`, request, identity, 'Allowed');
        problems.push(...found);
        if (found.length === 0) subject.allowed.push({ request });
      }
      const evaluateArn = placed.arn('EvaluateLambdaFunction');
      problems.push(
        ...(await expectDecision(
          `${label}: RemediationAutomationRole`,
          { caller: { role: roleArn }, action: 'lambda:InvokeFunction', resource: evaluateArn },
          identity,
          'Denied',
        )),
      );
      findings.subjects.set(`automation ${label}`, subject);
    }
    expect(roles).to.be.greaterThan(0);
    expectNone(problems, 'requests decided otherwise than expected');
  });

  it('lets Config invoke the rule function from each account the rule runs in, no other, and never the remediate function', async () => {
    const problems: string[] = [];
    let functionsChecked = 0;
    for (const { mode, template } of await everyTemplate()) {
      const fn = functionOf(template, FUNCTIONS.evaluate.logicalId);
      if (!fn) continue;
      functionsChecked += 1;
      const params = DEPLOYMENT_MODES[mode]!;
      const organizationRule = Object.values(template.placed.template.Resources).some(
        (resource) => resource.Type === 'AWS::Config::OrganizationConfigRule',
      );
      const here = template.placed.placement.accountId;
      const members = organizationRule ? invokingAccounts(params.memberAccounts?.split(','), params.excludedAccounts?.split(',')) : [];
      const excluded = organizationRule ? (params.excludedAccounts?.split(',') ?? []) : [];
      const invoke = (account: string): EvaluatedRequest => ({
        caller: { service: 'config.amazonaws.com' },
        action: 'lambda:InvokeFunction',
        resource: fn.functionArn,
        context: { 'aws:SourceAccount': account },
      });
      for (const account of [here, ...members])
        problems.push(
          ...(await expectDecision(
            `${fn.label}: policy of ${fn.logicalId}`,
            invoke(account),
            { identity: [], resource: fn.resourcePolicy },
            'Allowed',
          )),
        );
      for (const account of ['444444444444', ...excluded])
        problems.push(
          ...(await expectDecision(
            `${fn.label}: policy of ${fn.logicalId}`,
            invoke(account),
            { identity: [], resource: fn.resourcePolicy },
            'Denied',
          )),
        );
      const remediate = functionOf(template, FUNCTIONS.remediate.logicalId);
      if (remediate) {
        const request = { ...invoke(here), resource: remediate.functionArn };
        problems.push(
          ...(await expectDecision(
            `${fn.label}: policy of ${remediate.logicalId}`,
            request,
            { identity: [], resource: remediate.resourcePolicy },
            'Denied',
          )),
        );
      }
    }
    expect(functionsChecked).to.be.greaterThan(Object.keys(DEPLOYMENT_MODES).length);
    expectNone(problems, 'requests decided otherwise than expected');
  });

  it("lets only this stack's EventBridge rule and alarms publish to the topic it creates, from this account only", async () => {
    const problems: string[] = [];
    let topics = 0;
    for (const { template } of await everyTemplate()) {
      const { placed } = template;
      const policy = policiesOf(placed).find((candidate) => candidate.kind === 'resource' && candidate.owner === 'NotificationTopic');
      if (!placed.template.Resources.NotificationTopic) continue;
      topics += 1;
      const where = `${template.label}: policy of NotificationTopic`;
      expect(policy, where).not.to.equal(undefined);
      const here = placed.placement.accountId;
      const topic = placed.ref('NotificationTopic');
      const publish = (service: string, sourceArn: string, account = here): EvaluatedRequest => ({
        caller: { service },
        action: 'sns:Publish',
        resource: topic,
        context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': account },
      });
      const decide = async (request: EvaluatedRequest, expected: 'Allowed' | 'Denied') =>
        problems.push(...(await expectDecision(where, request, { identity: [], resource: policy!.document }, expected)));
      const rule = placed.arn('NotificationRule');
      await decide(publish('events.amazonaws.com', rule), 'Allowed');
      await decide(publish('events.amazonaws.com', rule.replace(/[^/]+$/, 'another-rule')), 'Denied');
      await decide(publish('events.amazonaws.com', rule, '444444444444'), 'Denied');
      const alarms = ['RuleNotEvaluatingAlarm', 'RuleFailingAlarm'].filter((id) => placed.template.Resources[id]);
      expect(alarms, where).not.to.be.empty;
      for (const alarm of alarms) await decide(publish('cloudwatch.amazonaws.com', placed.arn(alarm)), 'Allowed');
      await decide(publish('cloudwatch.amazonaws.com', placed.arn(alarms[0]!).replace(/[^:]+$/, 'another-alarm')), 'Denied');
      await decide(publish('cloudwatch.amazonaws.com', rule), 'Denied');
      await decide(publish('cloudwatch.amazonaws.com', placed.arn(alarms[0]!), '444444444444'), 'Denied');
      // AWS does not say whether CloudWatch's publish carries the source keys: without them it still delivers.
      const withoutSource = (service: string): EvaluatedRequest => ({
        caller: { service },
        action: 'sns:Publish',
        resource: topic,
        context: {},
      });
      await decide(withoutSource('cloudwatch.amazonaws.com'), 'Allowed');
      await decide(withoutSource('events.amazonaws.com'), 'Denied');
      await decide({ ...publish('events.amazonaws.com', rule), action: 'sns:Subscribe' }, 'Denied');
    }
    expect(topics, 'templates with a topic').to.be.greaterThan(1);
    expectNone(problems, 'requests decided otherwise than expected');
  });

  it("lets principals of the organization read the StackSet's zips from the deployment bucket, over TLS only, and nothing else", async () => {
    const problems: string[] = [];
    let zips = 0;
    for (const { mode, template } of await everyTemplate('999999999999')) {
      if (!template.label.endsWith('StackSet member template')) continue;
      const stack = (await templatesIn(mode, '999999999999'))[0]!.placed;
      const bucketPolicy = policiesOf(stack).find(
        (policy) => policy.kind === 'resource' && policy.owner === 'ServerlessDeploymentBucket',
      )!.document;
      const organizationId = DEPLOYMENT_MODES[mode]!.organizationId!;
      // A service-managed StackSet's execution role in a member account (stacksets-exec-…) has AdministratorAccess.
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-associate-stackset-with-org.html
      const executionRole = 'arn:aws:iam::111111111111:role/stacksets-exec-0123456789abcdef0123456789abcdef';
      const identity = [
        {
          name: 'AdministratorAccess',
          document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] },
        },
      ];
      const read = (object: string, organization: string, secureTransport = true): EvaluatedRequest => ({
        caller: { role: executionRole, organizationId: organization },
        action: 's3:GetObject',
        resource: object,
        resourceAccount: stack.placement.accountId,
        secureTransport,
      });
      const objects = Object.entries(template.placed.template.Resources)
        .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
        .map(([id, resource]) => {
          const code = template.placed.resolve(resource.Properties!.Code, id) as { S3Bucket: string; S3Key: string };
          return `arn:aws:s3:::${code.S3Bucket}/${code.S3Key}`;
        });
      expect(objects, mode).not.to.be.empty;
      const where = `${mode}: ServerlessDeploymentBucketPolicy`;
      for (const object of objects) {
        zips += 1;
        problems.push(...(await expectDecision(where, read(object, organizationId), { identity, resource: bucketPolicy }, 'Allowed')));
        problems.push(...(await expectDecision(where, read(object, 'o-zzzzzzzzzz'), { identity, resource: bucketPolicy }, 'Denied')));
        problems.push(
          ...(await expectDecision(where, read(object, organizationId, false), { identity, resource: bucketPolicy }, 'Denied')),
        );
        problems.push(
          ...(await expectDecision(
            where,
            { ...read(object, organizationId), action: 's3:PutObject' },
            { identity, resource: bucketPolicy },
            'Denied',
          )),
        );
      }
      const other = objects[0]!.replace(/[^/]+$/, 'compiled-cloudformation-template.json');
      problems.push(...(await expectDecision(where, read(other, organizationId), { identity, resource: bucketPolicy }, 'Denied')));
    }
    expect(zips).to.be.greaterThan(0);
    expectNone(problems, 'requests decided otherwise than expected');
  });

  it('journals the calls of both functions from every wire test file', async () => {
    // The lock's suite against moto runs where moto_server is (CI requires it); elsewhere it is skipped, saying so.
    const moto = (await motoEndpoint()) !== undefined;
    const suites = new Set(journalEntries().map((entry) => `${entry.function}: ${entry.suite}`));
    expect([...suites]).to.have.members([
      'evaluate: handler over the wire (real SDK, local endpoint)',
      'evaluate: periodic sweeps record only what changed (real SDK, local endpoint)',
      'evaluate: periodic sweeps under IAM throttling (real SDK, local endpoint)',
      'evaluate: the advice of a NON_COMPLIANT annotation, followed (real SDK, local endpoint)',
      'evaluate: a periodic sweep cut off by the Lambda timeout (real SDK, local endpoint, a hand-moved clock)',
      'evaluate: the recording region of a periodic sweep (real SDK, local endpoint)',
      'evaluate: users whose name no longer leads to them (real SDK, local endpoint)',
      'evaluate: organization rule across member accounts (real SDK, local endpoint)',
      'remediate: remediation over the wire (real SDK, local endpoint)',
      "remediate: the remediation lock, in the fake's DynamoDB",
      ...(moto ? ["remediate: the remediation lock, in moto_server's DynamoDB (through the fake)"] : []),
      `evaluate: ${DEMO_SCENARIO}`,
      `remediate: ${DEMO_SCENARIO}`,
    ]);
  });

  it('knows for every call the resource IAM authorizes it on, as the Service Authorization Reference describes it', async () => {
    const problems = [...findings.unknownResources];
    const requests = new Map(
      journalEntries().map(({ call }) => [`${call.authorization.action} ${call.authorization.resource}`, call.authorization]),
    );
    for (const { action, resource } of requests.values()) {
      const reference = await actionAuthorization(action);
      if (!reference) problems.push(`${action}: not in the Reference`);
      else if (resource === '*' && reference.requiredPatterns.length > 0)
        problems.push(
          `${action}: the fake authorizes it on "*", the Reference names a resource (${reference.requiredPatterns.join(', ')})`,
        );
      else if (
        resource !== undefined &&
        resource !== '*' &&
        !reference.resourcePatterns.some((pattern) => resourceStringMatchesResourceTypePattern(resource, pattern))
      )
        problems.push(`${action}: ${resource} is of no resource type of the Reference's`);
    }
    expectNone([...new Set(problems)], 'calls whose resource is not as the Reference describes it');
  });

  it('applies every call that succeeded to at least one packaged mode', () => {
    expectNone(findings.notApplicable, 'successful calls that no packaged mode can make');
  });

  it('evaluates calls for each function of every mode', async () => {
    const missing: string[] = [];
    for (const mode of Object.keys(DEPLOYMENT_MODES)) {
      for (const template of await templatesIn(mode, '123456789012')) {
        for (const { logicalId } of Object.values(FUNCTIONS)) {
          if (template.placed.template.Resources[logicalId] && !findings.callsPerFunction.get(`${template.label} ${logicalId}`))
            missing.push(`${template.label} ${logicalId}`);
        }
      }
    }
    expectNone(missing, 'functions no call was evaluated for');
  });

  it('allows every call to the role the function runs with, in every mode where it can happen', () => {
    expect(findings.pairs).to.be.greaterThan(findings.calls);
    expectNone(findings.denied, 'calls the packaged role denies');
  });

  it('grants no permission that no call uses: each action on each Resource of each statement allows some call', async () => {
    const used = new Set<string>();
    const permissions = new Map<string, string>();
    for (const subject of findings.subjects.values()) {
      for (const policy of subject.policies) {
        for (const [index, statement] of policy.document.Statement.entries()) {
          if (statement.Effect !== 'Allow') continue;
          for (const action of statementActions(statement)) {
            for (const [resourceIndex, resource] of statementResources(statement).entries()) {
              const id = [subject.group, policy.name, index, action, resourceIndex].join('\n');
              permissions.set(id, `${subject.group}: ${policy.name}, statement ${index + 1}: ${action} on ${resource}`);
              if (used.has(id)) continue;
              const single: PolicyDocument = {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: action,
                    Resource: resource,
                    ...(statement.Condition ? { Condition: statement.Condition } : {}),
                  },
                ],
              };
              for (const { request, resource: resourcePolicy } of subject.allowed.filter(
                ({ request }) => request.action.toLowerCase() === action.toLowerCase(),
              )) {
                const decision = await evaluator.decide(request, {
                  identity: [{ name: 'one permission', document: single }],
                  ...(resourcePolicy ? { resource: resourcePolicy } : {}),
                });
                if (decision === 'Allowed') {
                  used.add(id);
                  break;
                }
              }
            }
          }
        }
      }
    }
    expect(permissions.size).to.be.greaterThan(0);
    expectNone(
      [...permissions].filter(([id]) => !used.has(id)).map(([, text]) => text),
      'permissions no call uses',
    );
  });
});
