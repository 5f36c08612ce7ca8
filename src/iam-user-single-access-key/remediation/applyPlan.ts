import { describeCause } from '../../config/errors';
import { logger } from '../../config/logger';
import { maskAccessKeyId } from '../maskAccessKeyId';
import type { AccessKey } from '../judgeAccessKeys';
import { describeUser } from './describeRemediation';
import { ConcurrentChangeError, type FailedChange, RemediationError } from './errors';
import type { IamAccessKeyChanges } from './IamAccessKeyChanges';
import type { RemediationPlan } from './planRemediation';
import type { KeyChanges } from './RemediationResult';
import type { ResolvedUser } from './resolveIamUser';
import { keptKeysLost, keyStateBeforeChange } from './userKeysNow';

/** One change a run made, found unneeded, or did not make, in the order it came. */
interface Attempt {
  change: FailedChange['change'];
  /** The whole id: the undo matches keys by it, never by the masked one (two keys may end alike). */
  accessKeyId: string;
  /** `gone`: the key no longer existed; `unneeded`: it was already inactive. */
  result: 'done' | 'gone' | 'unneeded' | { notDone: string };
}

const STOPPED = 'skipped: the run stopped';

/**
 * Deactivates, then deletes, re-checking before each change (keyStateBeforeChange); a change that
 * fails does not stop the others, a user or kept key changed by someone else does. Then reads the
 * keys once more and, if a kept key is no longer active, reactivates the keys this run deactivated
 * (and did not delete). Returns the keys as they are afterwards and what changed; throws a
 * RemediationError naming what was done and what was not if anything planned was not done or a
 * kept key was lost.
 */
export async function applyPlan(
  plan: RemediationPlan,
  user: ResolvedUser,
  iam: IamAccessKeyChanges,
): Promise<{ after: AccessKey[]; changes: KeyChanges }> {
  const attempts: Attempt[] = [];
  let stopped: ConcurrentChangeError | undefined;
  const planned = [...plan.deactivate.map((key) => ['deactivate', key] as const), ...plan.delete.map((key) => ['delete', key] as const)];
  for (const [change, key] of planned) {
    const { accessKeyId } = key;
    const notDeactivated = attempts.some(
      (attempt) => attempt.change === 'deactivate' && attempt.accessKeyId === accessKeyId && typeof attempt.result === 'object',
    );
    if (stopped || (change === 'delete' && notDeactivated)) {
      attempts.push({ change, accessKeyId, result: { notDone: stopped ? STOPPED : 'skipped: not deactivated' } });
      continue;
    }
    try {
      attempts.push({ change, accessKeyId, result: await changeKey(change, key, plan.keep, user, iam) });
    } catch (error) {
      if (error instanceof ConcurrentChangeError) {
        stopped = error;
        logger.warn('Remediation stopped: the user changed during the run', { ...fieldsOf(user, accessKeyId), error });
      } else {
        logger.error(`Could not ${change} access key`, { ...fieldsOf(user, accessKeyId), error });
      }
      attempts.push({ change, accessKeyId, result: { notDone: stopped ? STOPPED : describeCause(error) } });
    }
  }

  let after: AccessKey[];
  try {
    after = (await iam.listAccessKeys(user.userName)) ?? [];
  } catch (error) {
    throw failure(user, attempts, error);
  }
  const lost = keptKeysLost(plan.keep, after);
  if (lost) {
    stopped ??= lost;
    attempts.push(...(await undoDeactivations(user, iam, ownDeactivations(attempts), after)));
  }
  if (stopped || attempts.some((attempt) => typeof attempt.result === 'object')) throw failure(user, attempts, stopped);
  return { after, changes: keyChangesOf(attempts) };
}

/** Makes one planned change once keyStateBeforeChange allows it. */
async function changeKey(
  change: 'deactivate' | 'delete',
  key: AccessKey,
  kept: readonly AccessKey[],
  user: ResolvedUser,
  iam: IamAccessKeyChanges,
): Promise<Attempt['result']> {
  const state = await keyStateBeforeChange(change, key, kept, user, iam);
  if (state === 'inactive') return 'unneeded';
  const existed =
    state === 'present' &&
    (change === 'deactivate' ? await iam.deactivate(user.userName, key.accessKeyId) : await iam.delete(user.userName, key.accessKeyId));
  if (!existed) {
    logger.warn('Access key already gone', fieldsOf(user, key.accessKeyId));
    return 'gone';
  }
  logger.info(change === 'deactivate' ? 'Deactivated access key' : 'Deleted access key', fieldsOf(user, key.accessKeyId));
  return 'done';
}

/** The keys this run deactivated and did not delete (whole ids). */
function ownDeactivations(attempts: readonly Attempt[]): string[] {
  const done = (change: Attempt['change']) => attempts.filter((attempt) => attempt.change === change && attempt.result === 'done');
  const deleted = new Set(done('delete').map((attempt) => attempt.accessKeyId));
  return done('deactivate')
    .map((attempt) => attempt.accessKeyId)
    .filter((accessKeyId) => !deleted.has(accessKeyId));
}

/** Reactivates the keys of `ownDeactivations` still inactive in `after`, so that the user keeps a working key. */
async function undoDeactivations(
  user: ResolvedUser,
  iam: IamAccessKeyChanges,
  ownDeactivations: readonly string[],
  after: readonly AccessKey[],
): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  for (const accessKeyId of ownDeactivations) {
    if (!after.some((key) => key.accessKeyId === accessKeyId && key.status !== 'Active')) continue;
    try {
      if (await iam.activate(user.userName, accessKeyId)) {
        attempts.push({ change: 'reactivate', accessKeyId, result: 'done' });
        logger.warn('Reactivated access key: a kept key was taken away during the run', fieldsOf(user, accessKeyId));
      }
    } catch (error) {
      attempts.push({ change: 'reactivate', accessKeyId, result: { notDone: describeCause(error) } });
      logger.error('Could not reactivate access key', { ...fieldsOf(user, accessKeyId), error });
    }
  }
  return attempts;
}

/** The keys changed, as the result shows them (masked). */
function keyChangesOf(attempts: readonly Attempt[]): KeyChanges {
  const masked = (change: Attempt['change'], result: Attempt['result']) =>
    attempts
      .filter((attempt) => attempt.change === change && attempt.result === result)
      .map((attempt) => maskAccessKeyId(attempt.accessKeyId));
  const deactivated = masked('deactivate', 'done');
  const deleted = masked('delete', 'done');
  const alreadyGone = [...new Set([...masked('deactivate', 'gone'), ...masked('delete', 'gone')])];
  return { deactivated, deleted, alreadyGone, changed: deactivated.length + deleted.length > 0 };
}

/** The RemediationError of a run that stopped part-way: what was done, what was not, and why it stopped. */
function failure(user: ResolvedUser, attempts: readonly Attempt[], cause: unknown): RemediationError {
  const past = { deactivate: 'deactivated', delete: 'deleted', reactivate: 'reactivated' } as const;
  const done = attempts
    .filter((attempt) => attempt.result === 'done')
    .map((attempt) => `${past[attempt.change]} ${maskAccessKeyId(attempt.accessKeyId)}`);
  const notDone = attempts.flatMap((attempt): FailedChange[] =>
    typeof attempt.result === 'object'
      ? [{ change: attempt.change, accessKeyId: maskAccessKeyId(attempt.accessKeyId), reason: attempt.result.notDone }]
      : [],
  );
  return new RemediationError(describeUser(user), done, notDone, cause === undefined ? undefined : { cause });
}

function fieldsOf(user: ResolvedUser, accessKeyId: string) {
  return { userName: user.userName, userId: user.userId, accessKeyId: maskAccessKeyId(accessKeyId) };
}
