import { setTimeout as sleep } from 'node:timers/promises';
import { logger } from '../../config/logger';
import { ConcurrentChangeError, RemediationInProgressError } from './errors';
import type { IamAccessKeyChanges } from './IamAccessKeyChanges';
import type { ResolvedUser } from './resolveIamUser';

/**
 * The tag a remediation run sets on the IAM user it is about to change. The function's role may
 * tag and untag users with this key only (remediation.yml, `aws:TagKeys`); a test holds the two
 * to the same string.
 */
export const LOCK_TAG_KEY = 'iam-user-single-access-key:remediation';

/** How a run takes the lock. */
export interface LockSettings {
  /** This run's id, written into the tag. */
  runId: string;
  /** How long the lock holds if the run dies without removing it (the function's remaining time). */
  ttlMs: number;
  /** How long to wait between writing the tag and reading it back. */
  settleMs: number;
  /** A run whose read-to-write took longer stops (step 4 below); at most half of `settleMs`. */
  maxTakeMs: number;
}

/** A lock this run holds; `release` removes the tag if it is still this run's. */
export interface HeldLock {
  value: string;
  release(): Promise<void>;
}

/**
 * Marks the user as being remediated by this run, so that two runs for the same user never both
 * act. IAM has no compare-and-swap and its reads are eventually consistent, so the lock is a
 * tag that each run writes and reads back after `settleMs`:
 *
 * 1. read the user's tag; a live tag of another run: stop (RemediationInProgressError);
 * 2. write this run's tag (TagUser overwrites: the last writer wins);
 * 3. wait `settleMs`, read it back: another run's value means it wrote later, so this run stops;
 * 4. a run whose own read-to-write took longer than `maxTakeMs` (half of `settleMs`) stops too:
 *    another run may have read "no lock" before this run's tag was visible and written after
 *    this run's read-back.
 *
 * Residual risk: if IAM takes longer than about a quarter of `settleMs` to show a tag to another
 * reader, two runs that start within that window could both proceed. Each run still re-checks
 * the user and its kept keys right before every change and undoes its own deactivations if a
 * kept key is taken away, so the worst case is a user back at its starting keys, never a user
 * left with none. A run that dies keeps the lock until the tag's expiry (`ttlMs`).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
 */
export async function acquireUserLock(iam: IamAccessKeyChanges, user: ResolvedUser, settings: LockSettings): Promise<HeldLock> {
  const value = `${settings.runId} until ${new Date(Date.now() + settings.ttlMs).toISOString()}`;
  const readAt = performance.now();
  const held = (await confirmedTags(iam, user))[LOCK_TAG_KEY];
  if (held !== undefined) {
    const holder = parseLockValue(held);
    if (!holder) {
      throw new RemediationInProgressError(
        `IAM user ${user.userName} carries tag ${LOCK_TAG_KEY}=${JSON.stringify(held)}, which no remediation run wrote; remove the tag if no remediation is running`,
      );
    }
    if (holder.until.getTime() > Date.now()) {
      throw new RemediationInProgressError(`another remediation run (${holder.runId}) is working on IAM user ${user.userName} until ${holder.until.toISOString()}`);
    }
  }
  if (!(await iam.tagUser(user.userName, LOCK_TAG_KEY, value))) throw userGone(user);
  const writeTook = performance.now() - readAt;
  const lock: HeldLock = { value, release: () => releaseUserLock(iam, user, value) };
  if (writeTook > settings.maxTakeMs) {
    await lock.release();
    throw new RemediationInProgressError(
      `taking the lock on IAM user ${user.userName} took ${Math.round(writeTook)} ms, too long to rule out another run starting meanwhile; run again`,
    );
  }
  await sleep(settings.settleMs);
  const readBack = (await confirmedTags(iam, user))[LOCK_TAG_KEY];
  if (readBack !== value) {
    throw new RemediationInProgressError(
      `another remediation run took IAM user ${user.userName} at the same moment (${readBack === undefined ? 'the tag was removed' : `run ${readBack.split(' ')[0]}`})`,
    );
  }
  return lock;
}

/** Removes the tag if it is still `value`; a failure is logged, not thrown (the tag expires). */
async function releaseUserLock(iam: IamAccessKeyChanges, user: ResolvedUser, value: string): Promise<void> {
  try {
    const current = await iam.getUser(user.userName);
    if (current?.userId === user.userId && current.tags?.[LOCK_TAG_KEY] === value) await iam.untagUser(user.userName, LOCK_TAG_KEY);
  } catch (error) {
    logger.warn('Could not remove the remediation lock tag; it expires by itself', { userName: user.userName, tagKey: LOCK_TAG_KEY, error });
  }
}

/** `<runId> until <ISO time>`, as acquireUserLock writes it; undefined for anything else. */
export function parseLockValue(value: string): { runId: string; until: Date } | undefined {
  const match = /^(\S+) until (\S+)$/.exec(value);
  const until = match ? new Date(match[2]!) : undefined;
  if (!match || !until || Number.isNaN(until.getTime())) return undefined;
  return { runId: match[1]!, until };
}

/** The user's tags, after confirming the name still belongs to the same user id. */
async function confirmedTags(iam: IamAccessKeyChanges, user: ResolvedUser): Promise<Record<string, string>> {
  const current = await iam.getUser(user.userName);
  if (!current || current.userId !== user.userId) throw userGone(user);
  return current.tags ?? {};
}

function userGone(user: ResolvedUser): ConcurrentChangeError {
  return new ConcurrentChangeError(`IAM user ${user.userName} is no longer ${user.userId} (deleted or replaced during the run)`);
}
