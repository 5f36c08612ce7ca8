import { execFile, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { FakeAccessKey, FakeUser } from '../../tools/fakeAws';
import account from './fixtures/account.json';

/** The repository root. */
export const ROOT = resolve(__dirname, '..', '..');
/** The command line as a user runs it. */
export const BIN = join(ROOT, 'bin', 'iam-user-single-access-key.js');

const DAY_MS = 86_400_000;
let built: Promise<unknown> | undefined;

/** Builds the CLI bundle from the current sources, once per test run, as `npm ci` does (prepare). */
export function buildCli(): Promise<unknown> {
  built ??= promisify(execFile)(process.execPath, [join(ROOT, 'bin', 'build-cli.mjs')], { cwd: ROOT });
  return built;
}

/** How a CLI run ended. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in a child process against `endpoint` with fake credentials and no shared AWS
 * files, so that nothing but the endpoint can answer; `env` adds to that environment (undefined
 * removes a variable). Asynchronous: the fake endpoint runs in
 * this process and must keep answering while the child waits.
 */
export function runCli(args: readonly string[], endpoint: string, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const merged: Record<string, string | undefined> = { ...cliEnv(endpoint), ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (status) => done({ status, stdout, stderr }));
  });
}

/** The environment of a CLI run: PATH, the endpoint, a region, fake credentials, two attempts per call. */
export function cliEnv(endpoint: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDCLITESTONLY',
    AWS_SECRET_ACCESS_KEY: 'cli-test-only',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(ROOT, 'test', 'cli', 'fixtures', 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(ROOT, 'test', 'cli', 'fixtures', 'no-such-aws-credentials'),
    AWS_MAX_ATTEMPTS: '2',
  };
}

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
