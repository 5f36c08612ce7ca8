import { describeCause } from '../../config/errors';
import { logger } from '../../config/logger';
import { type KeyLastUse, maskAccessKeyId } from '../describeJudgement';
import type { AccessKey } from '../judgeAccessKeys';
import { type FailedChange, InvalidRemediationRequestError, RemediationError, UnknownIamUserError } from './errors';
import type { IamAccessKeyChanges } from './IamAccessKeyChanges';
import { assertSafePlan, planRemediation, type RemediationPlan } from './planRemediation';
import type { RemediationAction, RemediationRequest } from './RemediationRequest';
import type { ResolvedUser } from './resolveIamUser';

/** What the remediation works with. */
export interface RemediationDependencies {
  iam: IamAccessKeyChanges;
  resolveUser(userId: string): Promise<ResolvedUser>;
  /** Whether this deployment lets the function delete keys (its role allows iam:DeleteAccessKey). */
  allowDelete: boolean;
}

/** An access key as the result shows it: id masked to its last four characters. */
export interface KeyReport {
  accessKeyId: string;
  status: string;
  createDate?: string;
  /** ISO time of last use, `never`, or absent when not looked up (inactive keys). */
  lastUsed?: string;
}

/** What a remediation run planned and did; the SSM document's output. */
export interface RemediationResult {
  summary: string;
  iamResourceId: string;
  userName: string;
  path: string;
  action: RemediationAction;
  maxAccessKeys: number;
  dryRun: boolean;
  plan: { keep: KeyReport[]; deactivate: KeyReport[]; delete: KeyReport[] };
  /** Masked ids of the keys this run changed (empty on a dry run). */
  deactivated: string[];
  deleted: string[];
  /** Masked ids of planned keys that were gone by the time they were changed. */
  alreadyGone: string[];
  changed: boolean;
}

/**
 * Brings one IAM user down to `maxAccessKeys` active keys, keeping the ones in use. Reads the
 * user's keys and their last use live, plans with planRemediation, then (unless a dry run)
 * deactivates, then deletes. A failure before any change is a RemediationError saying nothing
 * changed; a failure part-way still tries the other keys, then throws a RemediationError listing
 * what was done and what was not.
 */
export async function remediateAccessKeys(request: RemediationRequest, deps: RemediationDependencies): Promise<RemediationResult> {
  if (request.action === 'Delete' && !request.dryRun && !deps.allowDelete) {
    throw new InvalidRemediationRequestError(
      'Action',
      'Delete is not enabled in this deployment (deploy with remediationAllowDelete=true or remediationAction=Delete)',
    );
  }
  const { user, keys, lastUse } = await readUser(request.iamResourceId, deps);
  const who = `IAM user ${user.userName} (${user.userId})`;
  const plan = planRemediation(keys, lastUse, request.maxAccessKeys, request.action);
  assertSafePlan(keys, plan, request.maxAccessKeys);

  const result: RemediationResult = {
    summary: '',
    iamResourceId: user.userId,
    userName: user.userName,
    path: user.path,
    action: request.action,
    maxAccessKeys: request.maxAccessKeys,
    dryRun: request.dryRun,
    plan: {
      keep: plan.keep.map((key) => report(key, lastUse)),
      deactivate: plan.deactivate.map((key) => report(key, lastUse)),
      delete: plan.delete.map((key) => report(key, lastUse)),
    },
    deactivated: [],
    deleted: [],
    alreadyGone: [],
    changed: false,
  };
  const nothingToDo = plan.deactivate.length === 0 && plan.delete.length === 0;
  if (nothingToDo) {
    const active = keys.filter((key) => key.status === 'Active').length;
    result.summary = `Nothing to do: ${who} has ${active} active of ${keys.length} access key(s), limit ${request.maxAccessKeys}.`;
  } else if (request.dryRun) {
    result.summary = `Dry run, nothing changed. ${who}: ${describePlan(plan)}.`;
  } else {
    await applyPlan(plan, user, who, deps.iam, result);
    result.summary = `${who}: ${describeDone(plan, result)}.`;
  }
  logger.info('Remediation finished', { userName: user.userName, userId: user.userId, changed: result.changed, summary: result.summary });
  return result;
}

/** The user, its keys, and the last use of its active keys; nothing changes here. */
async function readUser(
  userId: string,
  deps: RemediationDependencies,
): Promise<{ user: ResolvedUser; keys: AccessKey[]; lastUse: Map<string, KeyLastUse> }> {
  try {
    const user = await deps.resolveUser(userId);
    const keys = await deps.iam.listAccessKeys(user.userName);
    if (!keys) throw new UnknownIamUserError(userId, `IAM user ${user.userName} was deleted while being remediated`);
    const active = keys.filter((key) => key.status === 'Active');
    const uses = await Promise.all(active.map((key) => deps.iam.lastUse(key.accessKeyId, user.userName)));
    return { user, keys, lastUse: new Map(active.map((key, index) => [key.accessKeyId, uses[index]])) };
  } catch (error) {
    if (error instanceof UnknownIamUserError) throw error;
    throw new RemediationError(`IAM user id ${userId}`, [], [], { cause: error });
  }
}

/** Deactivates, then deletes; a key whose deactivation failed is not deleted. */
async function applyPlan(plan: RemediationPlan, user: ResolvedUser, who: string, iam: IamAccessKeyChanges, result: RemediationResult): Promise<void> {
  const done: string[] = [];
  const notDone: FailedChange[] = [];
  const notDeactivated = new Set<string>();
  const change = async (kind: FailedChange['change'], key: AccessKey): Promise<void> => {
    const maskedId = maskAccessKeyId(key.accessKeyId);
    const fields = { userName: user.userName, userId: user.userId, accessKeyId: maskedId };
    if (kind === 'delete' && notDeactivated.has(key.accessKeyId)) {
      notDone.push({ change: kind, accessKeyId: maskedId, reason: 'skipped: not deactivated' });
      return;
    }
    try {
      const existed = kind === 'deactivate' ? await iam.deactivate(user.userName, key.accessKeyId) : await iam.delete(user.userName, key.accessKeyId);
      if (!existed) {
        if (!result.alreadyGone.includes(maskedId)) result.alreadyGone.push(maskedId);
        logger.warn('Access key already gone', fields);
        return;
      }
      result.changed = true;
      if (kind === 'deactivate') result.deactivated.push(maskedId);
      else result.deleted.push(maskedId);
      done.push(`${kind === 'deactivate' ? 'deactivated' : 'deleted'} ${maskedId}`);
      logger.info(kind === 'deactivate' ? 'Deactivated access key' : 'Deleted access key', fields);
    } catch (error) {
      if (kind === 'deactivate') notDeactivated.add(key.accessKeyId);
      notDone.push({ change: kind, accessKeyId: maskedId, reason: describeCause(error) });
      logger.error(`Could not ${kind} access key`, { ...fields, error: describeCause(error) });
    }
  };
  for (const key of plan.deactivate) await change('deactivate', key);
  for (const key of plan.delete) await change('delete', key);
  if (notDone.length > 0) throw new RemediationError(who, done, notDone);
}

function describePlan(plan: RemediationPlan): string {
  const parts = [`would keep ${masked(plan.keep)}`];
  if (plan.deactivate.length > 0) parts.push(`would deactivate ${masked(plan.deactivate)}`);
  if (plan.delete.length > 0) parts.push(`would delete ${masked(plan.delete)}`);
  return parts.join('; ');
}

function describeDone(plan: RemediationPlan, result: RemediationResult): string {
  const parts = [`kept ${masked(plan.keep)}`];
  if (result.deactivated.length > 0) parts.push(`deactivated ${result.deactivated.join(', ')}`);
  if (result.deleted.length > 0) parts.push(`deleted ${result.deleted.join(', ')}`);
  if (result.alreadyGone.length > 0) parts.push(`already gone ${result.alreadyGone.join(', ')}`);
  return parts.join('; ');
}

function masked(keys: readonly AccessKey[]): string {
  return keys.length > 0 ? keys.map((key) => maskAccessKeyId(key.accessKeyId)).join(', ') : 'no key';
}

function report(key: AccessKey, lastUse: ReadonlyMap<string, KeyLastUse>): KeyReport {
  const entry: KeyReport = { accessKeyId: maskAccessKeyId(key.accessKeyId), status: key.status };
  if (key.createDate) entry.createDate = key.createDate.toISOString();
  const use = lastUse.get(key.accessKeyId);
  if (use) entry.lastUsed = use.lastUsedDate ? use.lastUsedDate.toISOString() : 'never';
  return entry;
}
