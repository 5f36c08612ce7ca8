import { execFile, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

// The built command line run as a user runs it, against a local endpoint (the stand-in of AWS):
// for the CLI's tests and the docs' sample output (scripts/docBlocks.ts).

/** The repository root. */
export const ROOT = resolve(__dirname, '..', '..');
/** The command line as a user runs it. */
export const BIN = join(ROOT, 'bin', 'iam-user-single-access-key.js');

let built: Promise<unknown> | undefined;

/** Builds the CLI bundle from the current sources, once per process, as `npm ci` does (prepare). */
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
 * removes a variable). Asynchronous: the endpoint may run in this process and must keep answering
 * while the child waits.
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
    AWS_CONFIG_FILE: join(ROOT, 'tools', 'cli', 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(ROOT, 'tools', 'cli', 'no-such-aws-credentials'),
    AWS_MAX_ATTEMPTS: '2',
  };
}
