import type { KeyLastUse } from '../IamAccessKeys';
import type { AccessKey } from '../judgeAccessKeys';
import { maskAccessKeyId } from '../maskAccessKeyId';
import type { AccessKeyRuleParameters } from '../parameters';
import { compareByUse, decidedBy, type RemediationPlan } from './planRemediation';

/** What a plan does to one key. */
export type KeyChange = 'keep' | 'deactivate' | 'deactivate, delete' | 'delete' | 'none';

/** One key of a user, with what the plan does to it and why. */
export interface ExplainedKey {
  key: AccessKey;
  change: KeyChange;
  reason: string;
}

/**
 * Every key of a user with what the plan does to it and why, in the order a person reads them:
 * the kept keys (most surely in use first), the deactivated, the deleted, then the keys left
 * alone. A kept key is compared with the best key not kept, a deactivated one with the last key
 * kept, by what compareByUse decides on (last use, then creation date, then key id), so two keys
 * used in the same minute still say which is kept and why. `candidates` are the keys planForUser
 * planned over (the others are inside rotationGraceHours).
 */
export function explainPlan(
  keys: readonly AccessKey[],
  candidates: readonly AccessKey[],
  plan: RemediationPlan,
  lastUse: ReadonlyMap<string, KeyLastUse>,
  params: Pick<AccessKeyRuleParameters, 'maxAccessKeys' | 'rotationGraceHours' | 'countInactiveKeys'>,
): ExplainedKey[] {
  const byUse = candidates.filter((key) => key.status === 'Active').sort((a, b) => compareByUse(a, b, lastUse));
  const bestNotKept = byUse[plan.keep.length];
  const lastKept = plan.keep.at(-1);
  const deactivated = new Set(plan.deactivate.map((key) => key.accessKeyId));
  const deleted = new Set(plan.delete.map((key) => key.accessKeyId));
  const explained: ExplainedKey[] = [
    ...plan.keep.map((key) => ({
      key,
      change: 'keep' as const,
      reason: bestNotKept ? keptOver(key, bestNotKept, lastUse) : `active, within the limit of ${params.maxAccessKeys}`,
    })),
    ...plan.deactivate.map((key) => ({
      key,
      change: deleted.has(key.accessKeyId) ? ('deactivate, delete' as const) : ('deactivate' as const),
      reason: lastKept ? notKeptFor(key, lastKept, lastUse) : 'active, not kept',
    })),
    ...plan.delete
      .filter((key) => !deactivated.has(key.accessKeyId))
      .map((key) => ({ key, change: 'delete' as const, reason: `${key.status.toLowerCase()}, not kept` })),
  ];
  const planned = new Set(explained.map(({ key }) => key.accessKeyId));
  const counted = new Set(candidates.map((key) => key.accessKeyId));
  for (const key of keys) {
    if (planned.has(key.accessKeyId)) continue;
    const reason = !counted.has(key.accessKeyId)
      ? `younger than rotationGraceHours (${params.rotationGraceHours}h): not counted, left alone`
      : `${key.status.toLowerCase()}: ${params.countInactiveKeys ? 'counted, but only Delete removes it' : 'not counted, left alone'}`;
    explained.push({ key, change: 'none', reason });
  }
  return explained;
}

/** Why `kept` is kept rather than `other`, the best key not kept. */
function keptOver(kept: AccessKey, other: AccessKey, lastUse: ReadonlyMap<string, KeyLastUse>): string {
  const them = maskAccessKeyId(other.accessKeyId);
  switch (decidedBy(kept, other, lastUse)) {
    case 'last use':
      return lastUsed(other, lastUse) ? `used more recently than ${them}` : `used; ${them} never was`;
    case 'creation date':
      return `${lastUsed(kept, lastUse) ? `last used at the same time as ${them}` : `never used, as ${them}`}; newer`;
    default:
      return `same last use and creation date as ${them}; first by key id`;
  }
}

/** Why `key` is not kept: `kept`, the last key kept, goes before it. */
function notKeptFor(key: AccessKey, kept: AccessKey, lastUse: ReadonlyMap<string, KeyLastUse>): string {
  const them = maskAccessKeyId(kept.accessKeyId);
  switch (decidedBy(kept, key, lastUse)) {
    case 'last use':
      return lastUsed(key, lastUse) ? `used less recently than ${them}` : `never used; ${them} was`;
    case 'creation date':
      return `${lastUsed(key, lastUse) ? `last used at the same time as ${them}` : `never used, as ${them}`}; older`;
    default:
      return `same last use and creation date as ${them}; after it by key id`;
  }
}

function lastUsed(key: AccessKey, lastUse: ReadonlyMap<string, KeyLastUse>): boolean {
  return lastUse.get(key.accessKeyId)?.lastUsedDate !== undefined;
}
