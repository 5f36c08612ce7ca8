import { maskAccessKeyId } from '../maskAccessKeyId';
import type { KeyLastUse } from '../IamAccessKeys';
import type { AccessKey } from '../judgeAccessKeys';
import type { AccessKeyRuleParameters } from '../parameters';
import type { RemediationPlan } from './planRemediation';
import type { KeyChanges, KeyReport, LockReport, RemediationResult } from './RemediationResult';
import type { ResolvedUser } from './resolveIamUser';

// The remediation's words: its summaries, its plan as the result and the command line show it.

/** The user as summaries and errors name it: `IAM user alice (AIDA…)`. */
export function describeUser(user: Pick<ResolvedUser, 'userName' | 'userId'>): string {
  return `IAM user ${user.userName} (${user.userId})`;
}

/** Why Deactivate cannot help a user over the limit: `IAM user alice (AIDA…) is over the limit counting inactive keys too (…): deactivating cannot bring it within 1`. */
export function describeCannotComply(
  user: Pick<ResolvedUser, 'userName' | 'userId'>,
  params: Pick<AccessKeyRuleParameters, 'maxAccessKeys'>,
): string {
  return `${describeUser(user)} is over the limit counting inactive keys too (countInactiveKeys=true): deactivating cannot bring it within ${params.maxAccessKeys}`;
}

/** The plan as the result shows it: key ids masked, last use where it was looked up. */
export function reportPlan(plan: RemediationPlan, lastUse: ReadonlyMap<string, KeyLastUse>): RemediationResult['plan'] {
  return {
    keep: plan.keep.map((key) => reportKey(key, lastUse)),
    deactivate: plan.deactivate.map((key) => reportKey(key, lastUse)),
    delete: plan.delete.map((key) => reportKey(key, lastUse)),
  };
}

/** What a plan would do: `would keep ****MPLE; would deactivate ****MPL2`. */
export function describePlan(plan: RemediationPlan): string {
  const parts = [`would keep ${masked(plan.keep)}`];
  if (plan.deactivate.length > 0) parts.push(`would deactivate ${masked(plan.deactivate)}`);
  if (plan.delete.length > 0) parts.push(`would delete ${masked(plan.delete)}`);
  return parts.join('; ');
}

/** What a run did: `kept ****MPLE; deactivated ****MPL2`. */
export function describeDone(plan: RemediationPlan, changes: KeyChanges): string {
  const parts = [`kept ${masked(plan.keep)}`];
  if (changes.deactivated.length > 0) parts.push(`deactivated ${changes.deactivated.join(', ')}`);
  if (changes.deleted.length > 0) parts.push(`deleted ${changes.deleted.join(', ')}`);
  if (changes.alreadyGone.length > 0) parts.push(`already gone ${changes.alreadyGone.join(', ')}`);
  return parts.join('; ');
}

/** What the summary says about the lock beyond a clean take and release: a takeover, a lock left to expire; '' otherwise. */
export function lockNotes(who: string, lock: LockReport): string {
  const notes: string[] = [];
  if (lock.tookOverFrom) {
    const at = lock.tookOverFrom.expiredAt ? ` at ${lock.tookOverFrom.expiredAt}` : '';
    notes.push(
      `Took over the remediation lock of ${lock.tookOverFrom.holder}, which had expired${at} without being released (that run did not finish).`,
    );
  }
  if (!lock.released)
    notes.push(`The remediation lock on ${who} was not released (${lock.notReleasedBecause}): it expires by itself at ${lock.expiresAt}.`);
  return notes.join(' ');
}

/** The ids of keys created during a run: keys `after` has that `before` had not. */
export function describeCreatedKeys(before: readonly AccessKey[], after: readonly AccessKey[]): string {
  const known = new Set(before.map((key) => key.accessKeyId));
  const created = after.filter((key) => !known.has(key.accessKeyId)).map((key) => maskAccessKeyId(key.accessKeyId));
  return created.length > 0 ? `key(s) created during the run: ${created.join(', ')}` : 'keys changed during the run';
}

function masked(keys: readonly AccessKey[]): string {
  return keys.length > 0 ? keys.map((key) => maskAccessKeyId(key.accessKeyId)).join(', ') : 'no key';
}

/** A key as the result shows it: id masked, creation date, last use where it was looked up. */
export function reportKey(key: AccessKey, lastUse: ReadonlyMap<string, KeyLastUse>): KeyReport {
  const entry: KeyReport = { accessKeyId: maskAccessKeyId(key.accessKeyId), status: key.status };
  if (key.createDate) entry.createDate = key.createDate.toISOString();
  const use = lastUse.get(key.accessKeyId);
  if (use) entry.lastUsed = use.lastUsedDate ? use.lastUsedDate.toISOString() : 'never';
  return entry;
}
