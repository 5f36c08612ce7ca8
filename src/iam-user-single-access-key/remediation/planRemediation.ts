import type { KeyLastUse } from '../IamAccessKeys';
import type { AccessKey } from '../judgeAccessKeys';
import type { AccessKeyRuleParameters } from '../parameters';
import { deletesKeys, type RemediationAction } from './RemediationAction';

/** What a remediation does to a user's keys. */
export interface RemediationPlan {
  /** Active keys left untouched, most recently used first. */
  keep: AccessKey[];
  /** Active keys set Inactive (with `Delete`, before they are deleted). */
  deactivate: AccessKey[];
  /** Keys deleted (`Delete` only): every key but the kept ones. */
  delete: AccessKey[];
}

/**
 * Which keys to keep and which to deactivate or delete. Keeps the `maxAccessKeys` active keys
 * used most recently (see `compareByUse`). `Deactivate` sets every other active key Inactive;
 * `Delete` deletes every key but the kept ones, inactive ones included, deactivating the active
 * ones first. Nothing is done for a user with no more active keys (`Deactivate`) or keys of any
 * status (`Delete`) than `maxAccessKeys`, so a second run on a fixed user changes nothing.
 */
export function planRemediation(
  keys: readonly AccessKey[],
  lastUse: ReadonlyMap<string, KeyLastUse>,
  maxAccessKeys: number,
  action: RemediationAction,
): RemediationPlan {
  const active = keys.filter((key) => key.status === 'Active').sort((a, b) => compareByUse(a, b, lastUse));
  const keep = active.slice(0, maxAccessKeys);
  const excess = deletesKeys(action) ? keys.length > maxAccessKeys : active.length > maxAccessKeys;
  if (!excess) return { keep, deactivate: [], delete: [] };
  const kept = new Set(keep.map((key) => key.accessKeyId));
  return {
    keep,
    deactivate: active.slice(maxAccessKeys),
    delete: deletesKeys(action) ? keys.filter((key) => !kept.has(key.accessKeyId)) : [],
  };
}

/** What decides which of two keys the remediation keeps: the first of these that tells them apart. */
export type KeyOrderReason = 'last use' | 'creation date' | 'key id';

/** The orderings compareByUse applies in turn, each named by what it compares. */
const USE_ORDER: readonly {
  reason: KeyOrderReason;
  compare(a: AccessKey, b: AccessKey, lastUse: ReadonlyMap<string, KeyLastUse>): number;
}[] = [
  {
    // Used keys first, most recent use first; never-used keys last.
    reason: 'last use',
    compare(a, b, lastUse) {
      const usedA = lastUse.get(a.accessKeyId)?.lastUsedDate?.getTime();
      const usedB = lastUse.get(b.accessKeyId)?.lastUsedDate?.getTime();
      if (usedA === usedB) return 0;
      if (usedA === undefined) return 1;
      if (usedB === undefined) return -1;
      return usedB - usedA;
    },
  },
  {
    // The newer key: the one a rotation moves to.
    reason: 'creation date',
    compare(a, b) {
      const createdA = a.createDate?.getTime() ?? Number.NEGATIVE_INFINITY;
      const createdB = b.createDate?.getTime() ?? Number.NEGATIVE_INFINITY;
      return createdA === createdB ? 0 : createdB > createdA ? 1 : -1;
    },
  },
  {
    // So that the plan never depends on listing order.
    reason: 'key id',
    compare: (a, b) => (a.accessKeyId < b.accessKeyId ? -1 : a.accessKeyId > b.accessKeyId ? 1 : 0),
  },
];

/**
 * Orders keys by how surely they are in use: used ones first, most recent use first; then
 * never-used ones. Ties (same last use, or both never used) go to the newer key, the one a
 * rotation moves to; then to the access key id, so the plan never depends on listing order.
 */
export function compareByUse(a: AccessKey, b: AccessKey, lastUse: ReadonlyMap<string, KeyLastUse>): number {
  for (const { compare } of USE_ORDER) {
    const order = compare(a, b, lastUse);
    if (order !== 0) return order;
  }
  return 0;
}

/** What compareByUse tells two keys apart by: the reason one is kept rather than the other. */
export function decidedBy(a: AccessKey, b: AccessKey, lastUse: ReadonlyMap<string, KeyLastUse>): KeyOrderReason | undefined {
  return USE_ORDER.find(({ compare }) => compare(a, b, lastUse) !== 0)?.reason;
}

/**
 * Whether deactivating cannot help: the rule counts inactive keys too, so a user over the limit
 * stays over it whatever Deactivate does; only deleting keys can bring it within.
 */
export function deactivatingCannotComply(params: Pick<AccessKeyRuleParameters, 'countInactiveKeys'>, action: RemediationAction): boolean {
  return params.countInactiveKeys && !deletesKeys(action);
}

/**
 * Throws unless the plan keeps its promises: no kept key is changed, only active keys are
 * deactivated, and at least min(maxAccessKeys, active keys before) active keys remain.
 * `planRemediation` cannot produce such a plan; this guards the code that acts on one.
 */
export function assertSafePlan(keys: readonly AccessKey[], plan: RemediationPlan, maxAccessKeys: number): void {
  const kept = new Set(plan.keep.map((key) => key.accessKeyId));
  const touched = [...plan.deactivate, ...plan.delete].map((key) => key.accessKeyId);
  const activeBefore = keys.filter((key) => key.status === 'Active');
  const removed = new Set(touched);
  const activeAfter = activeBefore.filter((key) => !removed.has(key.accessKeyId)).length;
  if (
    touched.some((id) => kept.has(id)) ||
    plan.keep.some((key) => key.status !== 'Active') ||
    plan.deactivate.some((key) => key.status !== 'Active') ||
    activeAfter < Math.min(maxAccessKeys, activeBefore.length)
  ) {
    throw new Error('Refusing an unsafe remediation plan: it would change a kept key or leave too few active keys');
  }
}
