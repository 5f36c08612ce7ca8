import { describeCause, InvalidParameterError } from '../../config/errors';
import { logger } from '../../config/logger';
import { describeJudgement, type KeyLastUse, maskAccessKeyId } from '../describeJudgement';
import { type AccessKey, findExemption, judgeAccessKeys } from '../judgeAccessKeys';
import type { AccessKeyRuleParameters } from '../parameters';
import {
  ConcurrentChangeError,
  type FailedChange,
  InvalidRemediationRequestError,
  LockNotReleasedError,
  RemediationError,
  UnknownIamUserError,
} from './errors';
import type { IamAccessKeys } from '../IamAccessKeys';
import type { IamAccessKeyChanges } from './IamAccessKeyChanges';
import { assertSafePlan, planRemediation, type RemediationPlan } from './planRemediation';
import { documentPolicy, type RemediationPolicy } from './remediationPolicy';
import type { RemediationAction, RemediationRequest } from './RemediationRequest';
import { describeHolder } from './LockHolder';
import type { TakenLock } from './RemediationLockTable';
import type { ResolvedUser } from './resolveIamUser';

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

/** The remediation lock on a user, bound to this run (see RemediationLockTable). */
export interface UserLock {
  /** Takes the lock; RemediationInProgressError when another run holds it. */
  take(user: ResolvedUser): Promise<TakenLock>;
  /** Releases it; never throws: says whether the lock is released, and if not, why. */
  release(lock: TakenLock): Promise<{ released: true } | { released: false; reason: string }>;
}

/** An access key as the result shows it: id masked to its last four characters. */
export interface KeyReport {
  accessKeyId: string;
  status: string;
  createDate?: string;
  /** ISO time of last use, `never`, or absent when not looked up (inactive keys). */
  lastUsed?: string;
}

/**
 * How a run ended. `cannot-comply` and `still-over-limit` leave the user over the limit and set
 * `succeeded` false, which fails the Automation execution; a run that could not do what it
 * planned throws instead (RemediationError).
 */
export type RemediationOutcome = 'remediated' | 'nothing-to-do' | 'exempt' | 'dry-run' | 'cannot-comply' | 'still-over-limit';

/** What a remediation run planned and did; the SSM document's output. */
export interface RemediationResult {
  summary: string;
  /** False when the user is still over the limit; the document's branch fails the execution on it. */
  succeeded: boolean;
  outcome: RemediationOutcome;
  iamResourceId: string;
  userName: string;
  path: string;
  action: RemediationAction;
  maxAccessKeys: number;
  /** Where the limit came from: the rule's current parameters, or MaxAccessKeys passed by hand. */
  parameters: { source: RemediationPolicy['source']; ruleName?: string; countInactiveKeys: boolean; rotationGraceHours: number };
  dryRun: boolean;
  plan: { keep: KeyReport[]; deactivate: KeyReport[]; delete: KeyReport[] };
  /** Masked ids of the keys this run changed (empty on a dry run). */
  deactivated: string[];
  deleted: string[];
  /** Masked ids of planned keys that were gone by the time they were changed. */
  alreadyGone: string[];
  changed: boolean;
  /** The lock this run took on the user; absent when it took none (dry runs, exempt or compliant users). */
  lock?: {
    table: string;
    /** When the lock would have expired by itself had the run died. */
    expiresAt: string;
    /** The holder of an expired lock this run took over: a run that did not finish. */
    tookOverFrom?: { holder: string; expiredAt?: string };
    /** False: the lock stays until `expiresAt` (nothing else is wrong with the user); the summary says so too. */
    released: boolean;
    /** Why the lock was not released. */
    notReleasedBecause?: string;
  };
}

/**
 * Brings one IAM user within the limit the rule sets, keeping the keys in use. The limit, the
 * counting and the exemptions are the rule's current parameters (read live) unless MaxAccessKeys
 * is passed; an exempt user, or one the rule calls compliant, is left alone. A live run takes the
 * lock on the user (`deps.lock`), reads the keys and their last use again, plans with
 * planRemediation, then deactivates and deletes, confirming right before each change that the user
 * has the same id and every kept key is still active. Afterwards it checks again: if a kept key was
 * taken away meanwhile it reactivates the keys it deactivated; if the user is still over the limit
 * (a key created meanwhile) it says so with `succeeded: false`. It releases the lock whatever
 * happened. A run that stops part-way throws a RemediationError listing what was done and what was not.
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
  if (request.action === 'Delete' && !deps.allowDelete) {
    throw new InvalidRemediationRequestError(
      'Action',
      'Delete is not enabled in this deployment (deploy with remediationAllowDelete=true or remediationAction=Delete)',
    );
  }
  const policy = await beforeAnyChange(`IAM user id ${request.iamResourceId}`, () =>
    request.maxAccessKeys === undefined ? deps.rulePolicy() : Promise.resolve(documentPolicy(request.maxAccessKeys, request.action)),
  );
  const params = policy.parameters;
  const { user, keys, tags } = await beforeAnyChange(`IAM user id ${request.iamResourceId}`, async () => {
    const resolved = await deps.resolveUser(request.iamResourceId);
    return { user: resolved, ...(await readKeys(resolved, deps.iam)) };
  });
  const who = `IAM user ${user.userName} (${user.userId})`;
  const result = emptyResult(request, user, policy);
  const finish = (outcome: RemediationOutcome, summary: string): RemediationResult => {
    result.outcome = outcome;
    result.succeeded = outcome !== 'cannot-comply' && outcome !== 'still-over-limit';
    result.summary = summary;
    return result;
  };

  const exemption = policy.source === 'rule' ? findExemption(user.userName, tags, params) : undefined;
  if (exemption) return finish('exempt', `Nothing to do: ${exemption} Nothing was changed.`);
  const judgement = judgeAccessKeys(keys, params, new Date());
  if (judgement.complianceType === 'COMPLIANT')
    return finish(
      'nothing-to-do',
      `Nothing to do: ${who} is within the limit. ${describeJudgement(judgement, params, undefined, new Date())}`,
    );
  if (params.countInactiveKeys && request.action === 'Deactivate') {
    return finish(
      'cannot-comply',
      `${who} is over the limit counting inactive keys too (countInactiveKeys=true): deactivating cannot bring it within ${params.maxAccessKeys}, so nothing was changed. ` +
        'Delete the extra keys (Action=Delete where the deployment allows it).',
    );
  }

  if (request.dryRun) {
    const plan = await beforeAnyChange(who, () => planFor(user, keys, params, request.action, deps.iam));
    Object.assign(result.plan, reportPlan(plan.plan, plan.lastUse));
    return finish('dry-run', `Dry run, nothing changed. ${who}: ${describePlan(plan.plan)}.`);
  }

  const lock = await beforeAnyChange(who, () => deps.lock.take(user));
  result.lock = { table: lock.table, expiresAt: lock.expiresAt.toISOString(), released: false };
  if (lock.tookOverFrom) {
    const expiredAt = lock.tookOverFrom.expiresAt?.toISOString();
    result.lock.tookOverFrom = { holder: describeHolder(lock.tookOverFrom), ...(expiredAt ? { expiredAt } : {}) };
    logger.warn('Took over an expired remediation lock: its holder did not finish', {
      userName: user.userName,
      userId: user.userId,
      ...result.lock.tookOverFrom,
    });
  }
  let failure: { error: unknown } | undefined;
  try {
    await underLock();
  } catch (error) {
    failure = { error };
  }
  const release = await deps.lock.release(lock);
  if (release.released) result.lock.released = true;
  else result.lock.notReleasedBecause = release.reason;
  const notes = lockNotes(who, result.lock);
  if (failure) throw release.released ? failure.error : new LockNotReleasedError(failure.error, notes);
  if (notes) result.summary = `${result.summary} ${notes}`;
  return result;

  /** The live run, once it holds the lock; sets the result through `finish`. */
  async function underLock(): Promise<void> {
    // Read again under the lock: another run (or a person) may have changed the keys meanwhile.
    const fresh = await beforeAnyChange(who, () => readKeys(user, deps.iam));
    const now = new Date();
    const freshJudgement = judgeAccessKeys(fresh.keys, params, now);
    if (freshJudgement.complianceType === 'COMPLIANT') {
      finish('nothing-to-do', `Nothing to do: ${who} is within the limit. ${describeJudgement(freshJudgement, params, undefined, now)}`);
      return;
    }
    const { plan, lastUse } = await beforeAnyChange(who, () => planFor(user, fresh.keys, params, request.action, deps.iam));
    Object.assign(result.plan, reportPlan(plan, lastUse));
    if (plan.deactivate.length === 0 && plan.delete.length === 0) {
      finish('nothing-to-do', `Nothing to do: ${who}: ${describePlan(plan)}.`);
      return;
    }

    const after = await applyPlan(plan, user, who, deps.iam, result);
    const afterJudgement = judgeAccessKeys(after, params, new Date());
    if (afterJudgement.complianceType === 'NON_COMPLIANT') {
      const known = new Set(fresh.keys.map((key) => key.accessKeyId));
      const created = after.filter((key) => !known.has(key.accessKeyId)).map((key) => maskAccessKeyId(key.accessKeyId));
      const cause = created.length > 0 ? `key(s) created during the run: ${created.join(', ')}` : 'keys changed during the run';
      finish(
        'still-over-limit',
        `${who}: ${describeDone(plan, result)}. Still over the limit (${cause}): ${describeJudgement(afterJudgement, params, undefined, new Date())}`,
      );
      return;
    }
    finish('remediated', `${who}: ${describeDone(plan, result)}.`);
  }
}

/** What the summary says about the lock beyond a clean take and release: a takeover, a lock left to expire; '' otherwise. */
function lockNotes(who: string, lock: NonNullable<RemediationResult['lock']>): string {
  const notes: string[] = [];
  if (lock.tookOverFrom) {
    notes.push(
      `Took over the remediation lock of ${lock.tookOverFrom.holder}, which had expired${lock.tookOverFrom.expiredAt ? ` at ${lock.tookOverFrom.expiredAt}` : ''} without being released (that run did not finish).`,
    );
  }
  if (!lock.released)
    notes.push(`The remediation lock on ${who} was not released (${lock.notReleasedBecause}): it expires by itself at ${lock.expiresAt}.`);
  return notes.join(' ');
}

/** Runs a step before any change: an unexpected failure becomes "nothing was changed". */
async function beforeAnyChange<T>(who: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof UnknownIamUserError || error instanceof InvalidRemediationRequestError || error instanceof InvalidParameterError)
      throw error;
    throw new RemediationError(who, [], [], { cause: error });
  }
}

/**
 * The user's keys, and its tags from a GetUser made after the listing that confirms the name
 * still belongs to the same id: a user deleted and re-created under the same name in between
 * would otherwise lend its keys to the old user's plan.
 */
async function readKeys(user: ResolvedUser, iam: IamAccessKeyChanges): Promise<{ keys: AccessKey[]; tags: Record<string, string> }> {
  const keys = await iam.listAccessKeys(user.userName);
  const confirmed = await iam.getUser(user.userName);
  if (!keys || !confirmed) throw new UnknownIamUserError(user.userId, `IAM user ${user.userName} was deleted while being remediated`);
  if (confirmed.userId !== user.userId)
    throw new ConcurrentChangeError(`IAM user ${user.userName} is no longer ${user.userId} (deleted and re-created during the run)`);
  return { keys, tags: confirmed.tags ?? {} };
}

/**
 * The plan over the keys the rule counts, with their last use (the CLI's `plan` calls it too).
 * Keys younger than rotationGraceHours are not counted by the rule, so they are neither kept nor
 * touched: asking judgeAccessKeys to count every status yields exactly the keys outside the grace period.
 */
export async function planFor(
  user: Pick<ResolvedUser, 'userName'>,
  keys: readonly AccessKey[],
  params: AccessKeyRuleParameters,
  action: RemediationAction,
  iam: IamAccessKeys,
): Promise<{ plan: RemediationPlan; lastUse: Map<string, KeyLastUse> }> {
  const candidates = judgeAccessKeys(keys, { ...params, countInactiveKeys: true }, new Date()).counted;
  const active = candidates.filter((key) => key.status === 'Active');
  const uses = await Promise.all(active.map((key) => iam.lastUse(key.accessKeyId, user.userName)));
  const lastUse = new Map(active.map((key, index) => [key.accessKeyId, uses[index]!]));
  const plan = planRemediation(candidates, lastUse, params.maxAccessKeys, action);
  assertSafePlan(candidates, plan, params.maxAccessKeys);
  return { plan, lastUse };
}

/**
 * Deactivates, then deletes, re-checking before each change; then reads the keys once more and,
 * if a kept key is no longer active, reactivates the keys this run deactivated (and did not
 * delete). Returns the keys as they are afterwards; throws a RemediationError if anything planned
 * was not done or a kept key was lost.
 */
async function applyPlan(
  plan: RemediationPlan,
  user: ResolvedUser,
  who: string,
  iam: IamAccessKeyChanges,
  result: RemediationResult,
): Promise<AccessKey[]> {
  const done: string[] = [];
  const notDone: FailedChange[] = [];
  const notDeactivated = new Set<string>();
  // Full ids of the keys this run deactivated and of those it deleted: the undo must match keys by
  // their whole id, never by the masked one the report shows (two keys may end alike).
  const deactivated = new Set<string>();
  const deleted = new Set<string>();
  let stopped: ConcurrentChangeError | undefined;
  const fieldsOf = (key: AccessKey) => ({ userName: user.userName, userId: user.userId, accessKeyId: maskAccessKeyId(key.accessKeyId) });

  const change = async (kind: 'deactivate' | 'delete', key: AccessKey): Promise<void> => {
    const maskedId = maskAccessKeyId(key.accessKeyId);
    if (stopped) {
      notDone.push({ change: kind, accessKeyId: maskedId, reason: 'skipped: the run stopped' });
      return;
    }
    if (kind === 'delete' && notDeactivated.has(key.accessKeyId)) {
      notDone.push({ change: kind, accessKeyId: maskedId, reason: 'skipped: not deactivated' });
      return;
    }
    try {
      const state = await recheck(kind, key, plan, user, iam);
      const existed =
        state === 'present' &&
        (kind === 'deactivate' ? await iam.deactivate(user.userName, key.accessKeyId) : await iam.delete(user.userName, key.accessKeyId));
      if (!existed) {
        if (state === 'inactive') return;
        if (!result.alreadyGone.includes(maskedId)) result.alreadyGone.push(maskedId);
        logger.warn('Access key already gone', fieldsOf(key));
        return;
      }
      result.changed = true;
      if (kind === 'deactivate') {
        result.deactivated.push(maskedId);
        deactivated.add(key.accessKeyId);
      } else {
        result.deleted.push(maskedId);
        deleted.add(key.accessKeyId);
      }
      done.push(`${kind === 'deactivate' ? 'deactivated' : 'deleted'} ${maskedId}`);
      logger.info(kind === 'deactivate' ? 'Deactivated access key' : 'Deleted access key', fieldsOf(key));
    } catch (error) {
      if (kind === 'deactivate') notDeactivated.add(key.accessKeyId);
      if (error instanceof ConcurrentChangeError) {
        stopped = error;
        notDone.push({ change: kind, accessKeyId: maskedId, reason: 'skipped: the run stopped' });
        logger.warn('Remediation stopped: the user changed during the run', { ...fieldsOf(key), error });
        return;
      }
      notDone.push({ change: kind, accessKeyId: maskedId, reason: describeCause(error) });
      logger.error(`Could not ${kind} access key`, { ...fieldsOf(key), error });
    }
  };
  for (const key of plan.deactivate) await change('deactivate', key);
  for (const key of plan.delete) await change('delete', key);

  let after: AccessKey[] | undefined;
  try {
    after = (await iam.listAccessKeys(user.userName)) ?? [];
  } catch (error) {
    throw new RemediationError(who, done, notDone, { cause: error });
  }
  const lost = plan.keep.filter((kept) => !after!.some((key) => key.accessKeyId === kept.accessKeyId && key.status === 'Active'));
  if (lost.length > 0) {
    stopped ??= new ConcurrentChangeError(
      `kept key(s) ${lost.map((key) => maskAccessKeyId(key.accessKeyId)).join(', ')} deactivated or deleted by someone else during the run`,
    );
    await undoDeactivations(
      user,
      iam,
      [...deactivated].filter((id) => !deleted.has(id)),
      after,
      done,
      notDone,
    );
    after = (await iam.listAccessKeys(user.userName).catch(() => undefined)) ?? after;
  }
  if (notDone.length > 0 || stopped) throw new RemediationError(who, done, notDone, stopped ? { cause: stopped } : undefined);
  return after;
}

/**
 * Right before a change: the name still belongs to the same user id and every kept key is still
 * active; else ConcurrentChangeError. Says whether the key to change is still there, and refuses
 * to delete a key that someone made active again.
 */
async function recheck(
  kind: 'deactivate' | 'delete',
  key: AccessKey,
  plan: RemediationPlan,
  user: ResolvedUser,
  iam: IamAccessKeyChanges,
): Promise<'present' | 'gone' | 'inactive'> {
  const keys = await iam.listAccessKeys(user.userName);
  const current = await iam.getUser(user.userName);
  if (!keys || !current || current.userId !== user.userId) {
    throw new ConcurrentChangeError(`IAM user ${user.userName} is no longer ${user.userId} (deleted or replaced during the run)`);
  }
  for (const kept of plan.keep) {
    if (!keys.some((candidate) => candidate.accessKeyId === kept.accessKeyId && candidate.status === 'Active')) {
      throw new ConcurrentChangeError(
        `kept key ${maskAccessKeyId(kept.accessKeyId)} is no longer active (deactivated or deleted by someone else during the run)`,
      );
    }
  }
  const target = keys.find((candidate) => candidate.accessKeyId === key.accessKeyId);
  if (!target) return 'gone';
  if (kind === 'deactivate' && target.status !== 'Active') return 'inactive';
  if (kind === 'delete' && target.status === 'Active') {
    throw new ConcurrentChangeError(`${maskAccessKeyId(key.accessKeyId)} was made active again during the run`);
  }
  return 'present';
}

/** Reactivates the keys this run deactivated and did not delete (`ownDeactivations`, full ids), so the user keeps a working key. */
async function undoDeactivations(
  user: ResolvedUser,
  iam: IamAccessKeyChanges,
  ownDeactivations: readonly string[],
  after: readonly AccessKey[],
  done: string[],
  notDone: FailedChange[],
): Promise<void> {
  for (const accessKeyId of ownDeactivations) {
    const maskedId = maskAccessKeyId(accessKeyId);
    const key = after.find((candidate) => candidate.accessKeyId === accessKeyId && candidate.status !== 'Active');
    if (!key) continue;
    try {
      if (await iam.activate(user.userName, key.accessKeyId)) {
        done.push(`reactivated ${maskedId}`);
        logger.warn('Reactivated access key: a kept key was taken away during the run', {
          userName: user.userName,
          userId: user.userId,
          accessKeyId: maskedId,
        });
      }
    } catch (error) {
      notDone.push({ change: 'reactivate', accessKeyId: maskedId, reason: describeCause(error) });
      logger.error('Could not reactivate access key', { userName: user.userName, userId: user.userId, accessKeyId: maskedId, error });
    }
  }
}

function emptyResult(request: RemediationRequest, user: ResolvedUser, policy: RemediationPolicy): RemediationResult {
  const params = policy.parameters;
  return {
    summary: '',
    succeeded: true,
    outcome: 'nothing-to-do',
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
    plan: { keep: [], deactivate: [], delete: [] },
    deactivated: [],
    deleted: [],
    alreadyGone: [],
    changed: false,
  };
}

/** The plan as the result shows it: key ids masked, last use where it was looked up. */
export function reportPlan(plan: RemediationPlan, lastUse: ReadonlyMap<string, KeyLastUse>): RemediationResult['plan'] {
  return {
    keep: plan.keep.map((key) => report(key, lastUse)),
    deactivate: plan.deactivate.map((key) => report(key, lastUse)),
    delete: plan.delete.map((key) => report(key, lastUse)),
  };
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
