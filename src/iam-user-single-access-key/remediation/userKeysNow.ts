import { maskAccessKeyId } from '../maskAccessKeyId';
import type { AccessKey } from '../judgeAccessKeys';
import { ConcurrentChangeError } from './errors';
import type { IamAccessKeyChanges } from './IamAccessKeyChanges';
import type { ResolvedUser } from './resolveIamUser';

// The re-checks of a run, each written once: is the name still the user's, are the kept keys still
// active, is the key to change still as planned. A run makes them before any change and right
// before each one, and stops (ConcurrentChangeError) rather than act on what it read before.

/**
 * The user's keys and tags now. The GetUser comes after the listing and confirms that the name
 * still belongs to the same id: a user deleted and re-created under the same name in between
 * would otherwise lend its keys to the old user's plan. ConcurrentChangeError when it does not.
 */
export async function userKeysNow(
  user: ResolvedUser,
  iam: IamAccessKeyChanges,
): Promise<{ keys: AccessKey[]; tags: Record<string, string> }> {
  const keys = await iam.listAccessKeys(user.userName);
  const current = await iam.getUser(user.userName);
  if (!keys || current?.userId !== user.userId) {
    throw new ConcurrentChangeError(`IAM user ${user.userName} is no longer ${user.userId} (deleted or replaced during the run)`);
  }
  return { keys, tags: current.tags ?? {} };
}

/** ConcurrentChangeError naming the kept keys that are no longer active among `keys`; undefined when every one is. */
export function keptKeysLost(kept: readonly AccessKey[], keys: readonly AccessKey[]): ConcurrentChangeError | undefined {
  const lost = kept.filter((keptKey) => !keys.some((key) => key.accessKeyId === keptKey.accessKeyId && key.status === 'Active'));
  if (lost.length === 0) return undefined;
  const masked = lost.map((key) => maskAccessKeyId(key.accessKeyId)).join(', ');
  return new ConcurrentChangeError(`kept key(s) ${masked} no longer active (deactivated or deleted by someone else during the run)`);
}

/** What a planned change finds: the key as planned (`present`), `gone`, or already inactive (nothing to deactivate). */
export type KeyState = 'present' | 'gone' | 'inactive';

/**
 * Right before a change: the user is the same and every kept key is still active (else
 * ConcurrentChangeError), and the state of the key to change. A key to delete that someone made
 * active again is refused.
 */
export async function keyStateBeforeChange(
  change: 'deactivate' | 'delete',
  key: AccessKey,
  kept: readonly AccessKey[],
  user: ResolvedUser,
  iam: IamAccessKeyChanges,
): Promise<KeyState> {
  const { keys } = await userKeysNow(user, iam);
  const lost = keptKeysLost(kept, keys);
  if (lost) throw lost;
  const target = keys.find((candidate) => candidate.accessKeyId === key.accessKeyId);
  if (!target) return 'gone';
  if (change === 'deactivate' && target.status !== 'Active') return 'inactive';
  if (change === 'delete' && target.status === 'Active') {
    throw new ConcurrentChangeError(`${maskAccessKeyId(key.accessKeyId)} was made active again during the run`);
  }
  return 'present';
}
