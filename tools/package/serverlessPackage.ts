import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/**
 * What a package is built from: serverless.yml and everything it loads. Packaging copies exactly
 * these, so a file missing here fails the packaging instead of going unnoticed, and a change to
 * any of them makes a package stale (packageStaleness.ts).
 */
export const PACKAGE_INPUTS = ['serverless.yml', 'package.json', 'package-lock.json', 'tsconfig.json', 'src', 'rules', 'deploy'];

/** How long `serverless package` may run before it is stopped. */
const PACKAGE_TIME_LIMIT_MS = 300_000;

/** One `serverless package` of the service: its deploy options and where the package goes. */
export interface PackageRequest {
  projectDir: string;
  /** Where the package is written (made absolute against `projectDir`). */
  directory: string;
  stage: string;
  region: string;
  /** Deploy options, each passed as `--param=<name>=<value>`. */
  params: Record<string, string>;
}

/** What `serverless package` printed (osls writes its log to stderr). */
export interface PackageOutput {
  stdout: string;
  stderr: string;
}

/** `serverless package` failed; its output says why (a refused option, say). */
export class ServerlessPackageError extends Error {
  constructor(
    readonly command: string,
    readonly outcome: string,
    readonly output: PackageOutput,
  ) {
    super(`${command} failed (${outcome}):\n${output.stdout}\n${output.stderr}`);
    this.name = 'ServerlessPackageError';
  }
}

/** The command line of a package request, as a person would type it. */
export function packageCommand(request: PackageRequest): string {
  const directory = relative(request.projectDir, resolve(request.projectDir, request.directory)) || '.';
  return ['serverless', ...packageArgs(request, directory)].join(' ');
}

/**
 * Runs `serverless package` offline for the request, from a temporary copy of PACKAGE_INPUTS
 * (node_modules linked): osls builds every package in `<service>/.serverless/` and, with
 * `--package <dir>`, deletes that directory once the package is moved, so run in the project it
 * would delete the package `npm run package` left there, and two packagings at once would share it
 * (node_modules/serverless/lib/plugins/aws/common/lib/artifacts.js, cleanup-temp-dir.js).
 * `track` is given the child process (the demo stops it on a signal).
 */
export async function serverlessPackage(request: PackageRequest, track?: (child: ChildProcess) => void): Promise<PackageOutput> {
  const { projectDir } = request;
  const bin = join(projectDir, 'node_modules', 'serverless', 'bin', 'serverless.js');
  if (!existsSync(bin)) throw new Error(`The Serverless Framework is not installed (${relative(projectDir, bin)}): run npm ci first`);
  const service = mkdtempSync(join(tmpdir(), 'serverless-service-'));
  try {
    for (const input of PACKAGE_INPUTS) {
      if (existsSync(join(projectDir, input))) cpSync(join(projectDir, input), join(service, input), { recursive: true });
    }
    symlinkSync(join(projectDir, 'node_modules'), join(service, 'node_modules'), 'dir');
    return await run(bin, packageArgs(request, resolve(projectDir, request.directory)), service, packageCommand(request), track);
  } finally {
    rmSync(service, { recursive: true, force: true });
  }
}

function packageArgs(request: PackageRequest, directory: string): string[] {
  const params = Object.entries(request.params).map(([name, value]) => `--param=${name}=${value}`);
  return ['package', '--stage', request.stage, '--region', request.region, '--package', directory, ...params];
}

function run(bin: string, args: string[], cwd: string, command: string, track?: (child: ChildProcess) => void): Promise<PackageOutput> {
  const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' };
  delete env.AWS_ENDPOINT_URL;
  // Node runs the framework's own entry point: no shell, no .bin shim.
  const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) track?.(child);
  const output: PackageOutput = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), PACKAGE_TIME_LIMIT_MS);
  return new Promise((done, fail) => {
    child.once('error', (error) => fail(new Error(`${command} could not start: ${error.message}`, { cause: error })));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done(output);
      else fail(new ServerlessPackageError(command, signal ?? `exit code ${code}`, output));
    });
  });
}
