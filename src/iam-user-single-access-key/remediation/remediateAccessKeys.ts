import { logger } from '../../config/logger';
import { describeExemption, describeJudgement } from '../describeJudgement';
import { type AccessKey, findExemption, judgeAccessKeys, type KeyJudgement } from '../judgeAccessKeys';
import type { AccessKeyRuleParameters } from '../parameters';
import { applyPlan } from './applyPlan';
import {
  describeCannotComply,
  describeCreatedKeys,
  describeDone,
  describePlan,
  describeUser,
  lockNotes,
  reportPlan,
} from './describeRemediation';
import { beforeAnyChange, InvalidRemediationRequestError } from './errors';
import type { IamAccessKeyChanges } from './IamAccessKeyChanges';
import { planForUser } from './planForUser';
import { deactivatingCannotComply } from './planRemediation';
import { deletesKeys } from './RemediationAction';
import { documentPolicy, type RemediationPolicy } from './remediationPolicy';
import type { RemediationRequest } from './RemediationRequest';
import {
  type KeyChanges,
  type LockReport,
  noKeyChanges,
  type RemediationOutcome,
  type RemediationResult,
  succeeded,
} from './RemediationResult';
import type { ResolvedUser } from './resolveIamUser';
import { holdingLock, type UserLock } from './UserLock';
import { userKeysNow } from './userKeysNow';

/** What the remediation works with. */
export interface RemediationDependencies {
  iam: IamAccessKeyChanges;
  resolveUser(userId: string): Promise<ResolvedUser>;
  /** The Config rule's current parameters; read only when MaxAccessKeys is left empty. */
  rulePolicy(): Promise<RemediationPolicy>;
  /** Whether this deployment lets the function delete keys (its role allows iam:DeleteAccessKey). */
  allowDelete: boolean;
  /** The lock a live run takes on the user before it changes anything. */
  lock: UserLock;
}

/** How a run ended: what the result says beyond the request, the user and the policy. */
interface Ending {
  outcome: RemediationOutcome;
  summary: string;
  plan?: RemediationResult['plan'];
  changes?: KeyChanges;
  lock?: LockReport;
}

/**
 * Brings one IAM user within the limit the rule sets, keeping the keys in use. The limit, the
 * counting and the exemptions are the rule's current parameters (read live) unless MaxAccessKeys
 * is passed; an exempt user, or one the rule calls compliant, is left alone. A live run takes the
 * lock on the user (`deps.lock`), reads the keys and their last use again, plans (planForUser),
 * then changes them (applyPlan, which re-checks before each change and undoes its deactivations
 * if a kept key is taken away). If the user is still over the limit afterwards (a key created
 * meanwhile) it says so with `succeeded: false`. It releases the lock whatever happened. A run
 * that stops part-way throws a RemediationError listing what was done and what was not.
 */
export async function remediateAccessKeys(request: RemediationRequest, deps: RemediationDependencies): Promise<RemediationResult> {
  const result = await remediate(request, deps);
  const log = result.succeeded && result.lock?.released !== false ? logger.info.bind(logger) : logger.warn.bind(logger);
  log('Remediation finished', {
    userName: result.userName,
    userId: result.iamResourceId,
    outcome: result.outcome,
    changed: result.changed,
    lock: result.lock,
    summary: result.summary,
  });
  return result;
}

async function remediate(request: RemediationRequest, deps: RemediationDependencies): Promise<RemediationResult> {
  // A dry run fails here exactly as the live run would.
  if (deletesKeys(request.action) && !deps.allowDelete) {
    throw new InvalidRemediationRequestError(
      'Action',
      `${request.action} is not enabled in this deployment (deploy with remediationAllowDelete=true or remediationAction=${request.action})`,
    );
  }
  const byId = `IAM user id ${request.iamResourceId}`;
  const policy = await beforeAnyChange(byId, () =>
    request.maxAccessKeys === undefined ? deps.rulePolicy() : Promise.resolve(documentPolicy(request.maxAccessKeys, request.action)),
  );
  const { user, keys, tags } = await beforeAnyChange(byId, async () => {
    const resolved = await deps.resolveUser(request.iamResourceId);
    return { user: resolved, ...(await userKeysNow(resolved, deps.iam)) };
  });
  const ending =
    settledWithoutChange(request, policy, user, keys, tags) ?? (await changeKeys(request, deps, policy.parameters, user, keys));
  return resultOf(request, user, policy, ending);
}

/** The end of a run that has nothing to change: an exempt user, a compliant one, or one that Deactivate cannot help. */
function settledWithoutChange(
  request: RemediationRequest,
  policy: RemediationPolicy,
  user: ResolvedUser,
  keys: readonly AccessKey[],
  tags: Readonly<Record<string, string>>,
): Ending | undefined {
  const params = policy.parameters;
  const exemption = policy.source === 'rule' ? findExemption(user.userName, tags, params) : undefined;
  if (exemption)
    return { outcome: 'exempt', summary: `Nothing to do: ${describeExemption(user.userName, exemption)} Nothing was changed.` };
  const now = new Date();
  const judgement = judgeAccessKeys(keys, params, now);
  if (judgement.complianceType === 'COMPLIANT') return withinLimit(user, judgement, params, now);
  if (deactivatingCannotComply(params, request.action)) {
    return {
      outcome: 'cannot-comply',
      summary: `${describeCannotComply(user, params)}, so nothing was changed. Delete the extra keys (Action=Delete where the deployment allows it).`,
    };
  }
  return undefined;
}

/** A dry run's plan, or a live run's changes made holding the lock on the user. */
async function changeKeys(
  request: RemediationRequest,
  deps: RemediationDependencies,
  params: AccessKeyRuleParameters,
  user: ResolvedUser,
  keys: readonly AccessKey[],
): Promise<Ending> {
  const who = describeUser(user);
  if (request.dryRun) {
    const { plan, lastUse } = await beforeAnyChange(who, () => planForUser(user, keys, params, request.action, deps.iam));
    return { outcome: 'dry-run', summary: `Dry run, nothing changed. ${who}: ${describePlan(plan)}.`, plan: reportPlan(plan, lastUse) };
  }
  const { value, lock } = await holdingLock(deps.lock, user, () => underLock(request, deps, params, user));
  const notes = lockNotes(who, lock);
  return { ...value, lock, summary: notes ? `${value.summary} ${notes}` : value.summary };
}

/** The live run, once it holds the lock: reads the keys again, plans, changes, and judges the user afterwards. */
async function underLock(
  request: RemediationRequest,
  deps: RemediationDependencies,
  params: AccessKeyRuleParameters,
  user: ResolvedUser,
): Promise<Ending> {
  const who = describeUser(user);
  // Read again under the lock: another run (or a person) may have changed the keys meanwhile.
  const { keys } = await beforeAnyChange(who, () => userKeysNow(user, deps.iam));
  const now = new Date();
  const judgement = judgeAccessKeys(keys, params, now);
  if (judgement.complianceType === 'COMPLIANT') return withinLimit(user, judgement, params, now);
  const { plan, lastUse } = await beforeAnyChange(who, () => planForUser(user, keys, params, request.action, deps.iam));
  const planned = { plan: reportPlan(plan, lastUse) };
  if (plan.deactivate.length === 0 && plan.delete.length === 0) {
    return { ...planned, outcome: 'nothing-to-do', summary: `Nothing to do: ${who}: ${describePlan(plan)}.` };
  }
  const { after, changes } = await applyPlan(plan, user, deps.iam);
  const afterNow = new Date();
  const afterJudgement = judgeAccessKeys(after, params, afterNow);
  if (afterJudgement.complianceType === 'NON_COMPLIANT') {
    const still = describeJudgement(afterJudgement, params, undefined, afterNow);
    const summary = `${who}: ${describeDone(plan, changes)}. Still over the limit (${describeCreatedKeys(keys, after)}): ${still}`;
    return { ...planned, changes, outcome: 'still-over-limit', summary };
  }
  return { ...planned, changes, outcome: 'remediated', summary: `${who}: ${describeDone(plan, changes)}.` };
}

function withinLimit(user: ResolvedUser, judgement: KeyJudgement, params: AccessKeyRuleParameters, now: Date): Ending {
  return {
    outcome: 'nothing-to-do',
    summary: `Nothing to do: ${describeUser(user)} is within the limit. ${describeJudgement(judgement, params, undefined, now)}`,
  };
}

function resultOf(request: RemediationRequest, user: ResolvedUser, policy: RemediationPolicy, ending: Ending): RemediationResult {
  const params = policy.parameters;
  return {
    summary: ending.summary,
    succeeded: succeeded(ending.outcome),
    outcome: ending.outcome,
    iamResourceId: user.userId,
    userName: user.userName,
    path: user.path,
    action: request.action,
    maxAccessKeys: params.maxAccessKeys,
    parameters: {
      source: policy.source,
      ...(policy.ruleName === undefined ? {} : { ruleName: policy.ruleName }),
      countInactiveKeys: params.countInactiveKeys,
      rotationGraceHours: params.rotationGraceHours,
    },
    dryRun: request.dryRun,
    plan: ending.plan ?? { keep: [], deactivate: [], delete: [] },
    ...(ending.changes ?? noKeyChanges()),
    ...(ending.lock ? { lock: ending.lock } : {}),
  };
}
