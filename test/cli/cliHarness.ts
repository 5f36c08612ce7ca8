import type { FakeAccessKey, FakeUser } from '../../tools/fakeAws';
import account from './fixtures/account.json';

export { BIN, buildCli, cliEnv, type CliRun, ROOT, runCli } from '../../tools/cli/runCli';

const DAY_MS = 86_400_000;

/** The account of fixtures/account.json. */
export const ACCOUNT_ID = account.accountId;

/** A key of the fixture, its dates given in days before `now`. */
interface FixtureKey {
  accessKeyId: string;
  status: string;
  createdDaysAgo: number;
  lastUsedDaysAgo?: number;
  serviceName?: string;
}

/** The users of fixtures/account.json, their dates made relative to `now`. */
export function fixtureUsers(now: number): FakeUser[] {
  return account.users.map((user) => ({
    userName: user.userName,
    userId: user.userId,
    ...('path' in user ? { path: user.path } : {}),
    ...('tags' in user ? { tags: user.tags } : {}),
    accessKeys: (user.accessKeys as FixtureKey[]).map((key): FakeAccessKey => ({
      accessKeyId: key.accessKeyId,
      status: key.status as FakeAccessKey['status'],
      createDate: new Date(now - key.createdDaysAgo * DAY_MS),
      ...(key.lastUsedDaysAgo === undefined
        ? {}
        : { lastUsed: { date: new Date(now - key.lastUsedDaysAgo * DAY_MS), serviceName: key.serviceName, region: 'us-east-1' } }),
    })),
  }));
}

/** `YYYY-MM-DD` of the day `days` before `now`, as annotations print a last use. */
export function dayBefore(now: number, days: number): string {
  return new Date(now - days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO time of `days` before `now`, to the second, as IAM sends it. */
export function isoBefore(now: number, days: number): string {
  return new Date(Math.floor((now - days * DAY_MS) / 1000) * 1000).toISOString();
}
