import type { KeyLastUse } from '../../../src/iam-user-single-access-key/IamAccessKeys';
import type { AccessKey } from '../../../src/iam-user-single-access-key/judgeAccessKeys';

/** The clock of the remediation tests. */
export const NOW = new Date('2026-11-23T12:00:00Z');
export const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

/** Alice, a user with a path, as IAM knows her. */
export const ALICE = { userName: 'alice', userId: 'AIDAJQABLZS4A3QDU576Q', path: '/team/ops/' } as const;

/** Access key ids whose last four characters tell them apart in masked output. */
export const KEY = {
  old: 'AKIAIOSFODNN7EXAOLD1',
  new: 'AKIAI44QH8DHBEXANEW2',
  third: 'AKIAJ55RI9EICFYATHR3',
} as const;

/** A key of `status`, created `createdDaysAgo` days before NOW. */
export function key(accessKeyId: string, status: AccessKey['status'], createdDaysAgo: number): AccessKey {
  return { accessKeyId, status, createDate: daysAgo(createdDaysAgo) };
}

/** Last use by key id: a number of days ago, or null for never used. */
export function lastUses(uses: Record<string, number | null>): Map<string, KeyLastUse> {
  return new Map(Object.entries(uses).map(([id, days]) => [id, days === null ? {} : { lastUsedDate: daysAgo(days), serviceName: 's3' }]));
}
