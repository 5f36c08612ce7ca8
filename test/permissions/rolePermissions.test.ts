// The wire tests journal every call the functions make (test/support/callJournal.ts); imported
// here so that they have run, once, before this file's tests, also when this file runs alone.
import '../wire/handler.wire.test';
import '../wire/recordChanged.wire.test';
import '../wire/throttling.wire.test';
import '../organization/crossAccount.wire.test';
import '../iam-user-single-access-key/remediation/remediation.wire.test';

import { expect } from 'chai';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { allowDeleteFromEnv } from '../../src/iam-user-single-access-key/remediation/handler';
import { type JournaledFunction, type JournalEntry, journalEntries } from '../support/callJournal';
import { DEPLOYMENT_MODES } from '../support/deploymentModes';
import { type DeployedFunction, deployedFunction } from '../support/iam/deployedFunctions';
import { type ApplicablePolicies, type Decision, type EvaluatedRequest, PolicyEvaluator } from '../support/iam/evaluate';
import { type LabelledTemplate, placementIn, templatesOfMode } from '../support/iam/modeTemplates';
import { PlacedTemplate } from '../support/iam/placement';
import { actionAuthorization } from '../support/iam/serviceAuthorization';
import { type PolicyDocument, policiesOf, rolePolicies, statementActions, statementResources, type TemplatePolicy } from '../support/iam/templatePolicies';
import { readTemplate } from '../support/standaloneTemplates';
import { resourceStringMatchesResourceTypePattern } from '@cloud-copilot/iam-utils';

// Sufficiency and least privilege by evaluation: each call a function made in the wire tests,
// as IAM authorizes it (action, resource ARN, condition keys: recorded by the fake), is evaluated
// by IAM's rules (test/support/iam/evaluate.ts) against the role that function runs with as
// packaged, in every mode where the call can happen; every call must be allowed, and every
// permission of each role (action × Resource of each statement) must allow some call.

/** The functions the wire tests journal: their logical id in the packaged template, and the settings their packaged environment gives them (read by the function's own parser). */
const FUNCTIONS: Record<JournaledFunction, { logicalId: string; settings: (env: NodeJS.ProcessEnv) => Record<string, unknown> }> = {
  evaluate: { logicalId: 'EvaluateLambdaFunction', settings: () => ({}) },
  remediate: { logicalId: 'RemediateLambdaFunction', settings: (env) => ({ allowDelete: allowDeleteFromEnv(env) }) },
};

const MEMBER_ROLE_TEMPLATE = readTemplate(resolve(__dirname, '../../rules/iam-user-single-access-key/member-execution-role.yml'));
const MEMBER_ROLE_ID = 'ExecutionRole';

const accountOf = (arn: string) => arn.split(':')[4]!;
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
    if (!templates.has(key)) templates.set(key, templatesOfMode(mode, DEPLOYMENT_MODES[mode]!, { administrator: account, member: account }));
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
      const parameters = { AdministratorAccountId: accountOf(fn.roleArn), RuleFunctionRoleName: ruleFunctionRoleName, ExecutionRoleName: executionRoleName };
      memberRoles.set(key, { label: `member-execution-role.yml in ${account}`, placed: new PlacedTemplate(MEMBER_ROLE_TEMPLATE, placementIn(account, 'member-execution-role', parameters)) });
    }
    return memberRoles.get(key)!;
  }

  const configInvokes = (fn: DeployedFunction, account: string): Promise<Decision> =>
    evaluator.decide(
      { caller: { service: 'config.amazonaws.com' }, action: 'lambda:InvokeFunction', resource: fn.functionArn, context: { 'aws:SourceAccount': account } },
      { identity: [], resource: fn.resourcePolicy },
    );

  async function evaluateJournal(entries: readonly JournalEntry[]): Promise<Findings> {
    const found: Findings = { pairs: 0, calls: entries.length, denied: [], unknownResources: [], notApplicable: [], subjects: new Map(), callsPerFunction: new Map() };
    const subjectOf = (group: string, name: string, roleArn: string, policies: TemplatePolicy[]): Subject => {
      const key = `${group}\n${roleArn}`;
      if (!found.subjects.has(key)) found.subjects.set(key, { group, name, roleArn, policies, allowed: [] });
      return found.subjects.get(key)!;
    };
    const evaluate = async (subject: Subject, request: EvaluatedRequest, resource: PolicyDocument | undefined, scenario: string) => {
      found.pairs += 1;
      const policies: ApplicablePolicies = { identity: subject.policies.map((policy) => ({ name: policy.name, document: policy.document })), ...(resource ? { resource } : {}) };
      const decision = await evaluator.decide(request, policies);
      if (decision === 'Allowed') subject.allowed.push({ request, ...(resource ? { resource } : {}) });
      else found.denied.push(`${subject.name}: ${request.action} on ${request.resource} ${JSON.stringify(request.context ?? {})} is ${decision} (call of "${scenario}")`);
    };
    const ran = new Set<DeployedFunction>();

    for (const entry of entries) {
      const { call } = entry;
      const { action, resource, context } = call.authorization;
      if (resource === undefined) {
        found.unknownResources.push(`${action}: test/support/fakeAws/authorization.ts does not say which resource it acts on`);
        continue;
      }
      // The execution role the invocation used (none: the function's own credentials), and the account Config invoked the function for.
      const executionRole = call.assumedRole ? nameOf(call.assumedRole) : action === 'sts:AssumeRole' ? nameOf(resource) : undefined;
      const invokedFor = call.assumedRole ? call.accountId : action === 'sts:AssumeRole' ? accountOf(resource) : entry.homeAccount;
      let applied = 0;
      for (const mode of Object.keys(DEPLOYMENT_MODES)) {
        for (const template of await templatesIn(mode, entry.homeAccount)) {
          const fn = functionOf(template, FUNCTIONS[entry.function].logicalId);
          if (!fn || !isDeepStrictEqual(FUNCTIONS[entry.function].settings(fn.environment), entry.settings)) continue;
          if (entry.function === 'evaluate' && (fn.executionRoleName !== executionRole || (await configInvokes(fn, invokedFor)) !== 'Allowed')) continue;
          applied += 1;
          ran.add(fn);
          const counted = `${fn.label} ${fn.logicalId}`;
          found.callsPerFunction.set(counted, (found.callsPerFunction.get(counted) ?? 0) + 1);
          let subject: Subject;
          if (call.assumedRole) {
            const member = memberRole(invokedFor, fn, executionRole!);
            subject = subjectOf('member-execution-role.yml ExecutionRole', `${fn.label}: ${member.label} ${MEMBER_ROLE_ID}`, member.placed.arn(MEMBER_ROLE_ID), rolePolicies(policiesOf(member.placed), MEMBER_ROLE_ID));
          } else {
            subject = subjectOf(`${fn.label} ${fn.roleId}`, `${fn.label}: ${fn.roleId}`, fn.roleArn, fn.rolePolicies);
          }
          // AssumeRole needs the target role's trust policy too.
          const trust =
            action === 'sts:AssumeRole'
              ? policiesOf(memberRole(invokedFor, fn, executionRole!).placed).find((policy) => policy.kind === 'trust' && policy.owner === MEMBER_ROLE_ID)!.document
              : undefined;
          await evaluate(subject, { caller: { role: subject.roleArn, session: fn.functionName }, action, resource, context }, trust, entry.scenario);
        }
      }
      if (applied === 0 && call.status < 400) found.notApplicable.push(`${action} on ${resource} (call of "${entry.scenario}") applies to no packaged mode`);
    }

    // Lambda writes each function's logs with the function's role (its own log group, a stream per container).
    // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
    for (const fn of ran) {
      const { region, accountId } = fn.template.placed.placement;
      const stream = `arn:aws:logs:${region}:${accountId}:log-group:/aws/lambda/${fn.functionName}:log-stream:2026/11/21/[$LATEST]0123456789abcdef0123456789abcdef`;
      const subject = subjectOf(`${fn.label} ${fn.roleId}`, `${fn.label}: ${fn.roleId}`, fn.roleArn, fn.rolePolicies);
      for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
        await evaluate(subject, { caller: { role: fn.roleArn, session: fn.functionName }, action, resource: stream }, undefined, 'the Lambda runtime writing the function logs');
      }
    }
    return found;
  }

  before(async () => {
    findings = await evaluateJournal(journalEntries());
    console.log(
      `      ${findings.calls} calls journaled; ${findings.pairs} (call, role) pairs evaluated (${evaluator.simulations} distinct evaluations) against ${findings.subjects.size} roles of ${Object.keys(DEPLOYMENT_MODES).length} modes`,
    );
  });

  it('journals the calls of both functions from every wire test file', () => {
    const files = new Set(journalEntries().map((entry) => `${entry.function} ${entry.scenario.split(' ')[0]}`));
    expect(journalEntries().filter((entry) => entry.function === 'evaluate')).not.to.be.empty;
    expect(journalEntries().filter((entry) => entry.function === 'remediate')).not.to.be.empty;
    expect(files.size).to.be.greaterThan(1);
  });

  it('knows for every call the resource IAM authorizes it on, as the Service Authorization Reference describes it', async () => {
    const problems = [...findings.unknownResources];
    const requests = new Map(journalEntries().map(({ call }) => [`${call.authorization.action} ${call.authorization.resource}`, call.authorization]));
    for (const { action, resource } of requests.values()) {
      const reference = await actionAuthorization(action);
      if (!reference) problems.push(`${action}: not in the Reference`);
      else if (resource === '*' && reference.requiredPatterns.length > 0) problems.push(`${action}: the fake authorizes it on "*", the Reference names a resource (${reference.requiredPatterns.join(', ')})`);
      else if (resource !== undefined && resource !== '*' && !reference.resourcePatterns.some((pattern) => resourceStringMatchesResourceTypePattern(resource, pattern)))
        problems.push(`${action}: ${resource} is of no resource type of the Reference's`);
    }
    expect([...new Set(problems)]).to.deep.equal([]);
  });

  it('applies every call that succeeded to at least one packaged mode', () => {
    expect(findings.notApplicable).to.deep.equal([]);
  });

  it('evaluates calls for each function of every mode', async () => {
    const missing: string[] = [];
    for (const mode of Object.keys(DEPLOYMENT_MODES)) {
      for (const template of await templatesIn(mode, '123456789012')) {
        for (const { logicalId } of Object.values(FUNCTIONS)) {
          if (template.placed.template.Resources[logicalId] && !findings.callsPerFunction.get(`${template.label} ${logicalId}`)) missing.push(`${template.label} ${logicalId}`);
        }
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it('allows every call to the role the function runs with, in every mode where it can happen', () => {
    expect(findings.pairs).to.be.greaterThan(findings.calls);
    expect(findings.denied).to.deep.equal([]);
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
              const single: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource, ...(statement.Condition ? { Condition: statement.Condition } : {}) }] };
              for (const { request, resource: resourcePolicy } of subject.allowed.filter(({ request }) => request.action.toLowerCase() === action.toLowerCase())) {
                const decision = await evaluator.decide(request, { identity: [{ name: 'one permission', document: single }], ...(resourcePolicy ? { resource: resourcePolicy } : {}) });
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
    expect([...permissions].filter(([id]) => !used.has(id)).map(([, text]) => text)).to.deep.equal([]);
  });
});
