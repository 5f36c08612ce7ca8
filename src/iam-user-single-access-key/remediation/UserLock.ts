import { describeCause } from '../../config/errors';
import { logger } from '../../config/logger';
import { describeUser, lockNotes } from './describeRemediation';
import { beforeAnyChange, LockNotReleasedError } from './errors';
import { describeHolder } from './LockHolder';
import type { RemediationLockTable, TakenLock } from './RemediationLockTable';
import type { LockReport } from './RemediationResult';
import type { ResolvedUser } from './resolveIamUser';

/** The remediation lock on a user, bound to one run (RemediationLockTable holds it). */
export interface UserLock {
  /** Takes the lock; RemediationInProgressError when another run holds it. */
  take(user: ResolvedUser): Promise<TakenLock>;
  /** Releases it; never throws: says whether the lock is released, and if not, why. */
  release(lock: TakenLock): Promise<{ released: true } | { released: false; reason: string }>;
}

/** What a run's lock names it by: its Automation execution, if one invoked it. */
export interface LockRun {
  runId: string;
  automationExecutionId?: string;
  /** When the lock expires if the run dies holding it. */
  expiresAt: Date;
}

/**
 * The lock of one run: taken with the run's abort signal, released with a budget of its own
 * (`releaseSignal`, made when the release starts), so that a run stopped by its deadline (or
 * failing any other way) still releases it.
 */
export function userLockOf(
  table: RemediationLockTable,
  run: LockRun,
  abortSignal: AbortSignal,
  releaseSignal: () => AbortSignal,
): UserLock {
  return {
    take: (user) =>
      table.take(
        {
          resourceId: user.userId,
          description: `IAM user ${user.userName}`,
          runId: run.runId,
          expiresAt: run.expiresAt,
          ...(run.automationExecutionId ? { automationExecutionId: run.automationExecutionId } : {}),
        },
        abortSignal,
      ),
    async release(lock) {
      try {
        if ((await table.release(lock, releaseSignal())) === 'released') return { released: true };
        return {
          released: false,
          reason: `it was no longer this run's: it expired at ${lock.expiresAt.toISOString()} and was taken over, or was deleted`,
        };
      } catch (error) {
        logger.warn('Could not release the remediation lock; it expires by itself', {
          table: lock.table,
          resourceId: lock.resourceId,
          expiresAt: lock.expiresAt.toISOString(),
          error,
        });
        return { released: false, reason: describeCause(error) };
      }
    },
  };
}

/**
 * Runs `work` holding the lock on the user: takes it (a failure to take it changes nothing),
 * releases it whatever `work` did, and reports the lock. An error of `work` is rethrown, as a
 * LockNotReleasedError that names both when the release failed too.
 */
export async function holdingLock<T>(lock: UserLock, user: ResolvedUser, work: () => Promise<T>): Promise<{ value: T; lock: LockReport }> {
  const who = describeUser(user);
  const taken = await beforeAnyChange(who, () => lock.take(user));
  const report: LockReport = { table: taken.table, expiresAt: taken.expiresAt.toISOString(), released: false };
  if (taken.tookOverFrom) {
    const expiredAt = taken.tookOverFrom.expiresAt?.toISOString();
    report.tookOverFrom = { holder: describeHolder(taken.tookOverFrom), ...(expiredAt ? { expiredAt } : {}) };
    logger.warn('Took over an expired remediation lock: its holder did not finish', {
      userName: user.userName,
      userId: user.userId,
      ...report.tookOverFrom,
    });
  }
  let outcome: { value: T } | { error: unknown };
  try {
    outcome = { value: await work() };
  } catch (error) {
    outcome = { error };
  }
  const release = await lock.release(taken);
  const final: LockReport = release.released ? { ...report, released: true } : { ...report, notReleasedBecause: release.reason };
  if ('error' in outcome) throw final.released ? outcome.error : new LockNotReleasedError(outcome.error, lockNotes(who, final));
  return { value: outcome.value, lock: final };
}
