import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Template } from '../../test/support/packageTemplate';
import type { Resources } from './Resources';

/** Where the demo's package lives, under the project (git-ignored). */
export const DEMO_PACKAGE_DIR = '.serverless-demo';
/** The stage and region the demo packages for (names only: nothing is deployed). */
export const DEMO_STAGE = 'demo';
export const DEMO_REGION = 'us-east-1';

const TEMPLATE_FILE = 'cloudformation-template-update-stack.json';
const STATE_FILE = 'serverless-state.json';
const ZIPS = ['evaluate.zip', 'remediate.zip'];
/** Written last: the deploy options of a complete package. */
const STAMP_FILE = 'demo-options.json';
/** What the package is built from: a change to any of these makes the demo package again. */
const SOURCES = ['src', 'rules', 'serverless.yml', 'package.json', 'package-lock.json'];

/** The package the demo runs. */
export interface DemoPackage {
  /** Absolute path of the package directory. */
  directory: string;
  template: Template;
  /** True when this run packaged; false when an up-to-date package was reused. */
  packagedNow: boolean;
  /** Size of each function zip in bytes, by file name. */
  zipBytes: Record<string, number>;
  /** The name CloudFormation would give the stack (Serverless's provider.stackName, else <service>-<stage>). */
  stackName: string;
}

/** Why the package must be built again, or undefined when it is up to date. */
export function stalenessOf(projectDir: string, deployOptions: Record<string, string>): string | undefined {
  const directory = join(projectDir, DEMO_PACKAGE_DIR);
  const outputs = [TEMPLATE_FILE, STATE_FILE, ...ZIPS, STAMP_FILE].map((file) => join(directory, file));
  const missing = outputs.find((file) => !existsSync(file));
  if (missing) return `${relative(projectDir, missing)} is missing`;
  const stamp = readFileSync(join(directory, STAMP_FILE), 'utf8');
  if (stamp !== stampOf(deployOptions)) return 'it was packaged with other deploy options';
  const builtAt = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const newer = SOURCES.map((source) => newestFile(join(projectDir, source))).find((file) => file && file.mtimeMs > builtAt);
  return newer ? `${relative(projectDir, newer.path)} changed since it was packaged` : undefined;
}

/**
 * The demo's package: `serverless package` with the demo's deploy options into
 * DEMO_PACKAGE_DIR, run only when that package is missing, stale or built with other options.
 * Packaging output goes to `log`.
 */
export async function ensureDemoPackage(
  projectDir: string,
  deployOptions: Record<string, string>,
  resources: Resources,
  log: (line: string) => void,
): Promise<DemoPackage> {
  const directory = join(projectDir, DEMO_PACKAGE_DIR);
  const reason = stalenessOf(projectDir, deployOptions);
  if (reason) {
    log(
      `Packaging (${reason}): serverless package --stage ${DEMO_STAGE} --region ${DEMO_REGION} --package ${DEMO_PACKAGE_DIR} ${paramArgs(deployOptions).join(' ')}`,
    );
    rmSync(directory, { recursive: true, force: true });
    await runServerlessPackage(projectDir, directory, deployOptions, resources, log);
    markPackaged(directory, deployOptions);
  }
  const template = JSON.parse(readFileSync(join(directory, TEMPLATE_FILE), 'utf8')) as Template;
  const zipBytes = Object.fromEntries(ZIPS.map((zip) => [zip, statSync(join(directory, zip)).size]));
  return { directory, template, packagedNow: reason !== undefined, zipBytes, stackName: stackNameOf(directory) };
}

/** The stack name Serverless deploys the package under, from the state it writes with the package. */
function stackNameOf(directory: string): string {
  const state = JSON.parse(readFileSync(join(directory, STATE_FILE), 'utf8')) as {
    service?: { service?: string; provider?: { stage?: string; stackName?: string } };
  };
  const service = state.service?.service;
  const provider = state.service?.provider;
  if (provider?.stackName) return provider.stackName;
  if (!service || !provider?.stage) throw new Error(`${STATE_FILE} of the package names no service and stage`);
  return `${service}-${provider.stage}`;
}

function paramArgs(deployOptions: Record<string, string>): string[] {
  return Object.entries(deployOptions).map(([name, value]) => `--param=${name}=${value}`);
}

/** Records that `directory` holds a complete package built with these deploy options. */
export function markPackaged(directory: string, deployOptions: Record<string, string>): void {
  writeFileSync(join(directory, STAMP_FILE), stampOf(deployOptions));
}

function stampOf(deployOptions: Record<string, string>): string {
  return `${JSON.stringify({ stage: DEMO_STAGE, region: DEMO_REGION, params: deployOptions })}\n`;
}

function newestFile(path: string): { path: string; mtimeMs: number } | undefined {
  if (!existsSync(path)) return undefined;
  const stat = statSync(path);
  if (!stat.isDirectory()) return { path, mtimeMs: stat.mtimeMs };
  let newest: { path: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(path)) {
    const candidate = newestFile(join(path, entry));
    if (candidate && (!newest || candidate.mtimeMs > newest.mtimeMs)) newest = candidate;
  }
  return newest;
}

async function runServerlessPackage(
  projectDir: string,
  directory: string,
  deployOptions: Record<string, string>,
  resources: Resources,
  log: (line: string) => void,
): Promise<void> {
  // Node runs the framework's own entry point: no shell, no .bin shim.
  const bin = join(projectDir, 'node_modules', 'serverless', 'bin', 'serverless.js');
  if (!existsSync(bin)) throw new Error(`The Serverless Framework is not installed (${relative(projectDir, bin)}): run npm ci first`);
  const args = [bin, 'package', '--stage', DEMO_STAGE, '--region', DEMO_REGION, '--package', directory, ...paramArgs(deployOptions)];
  const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' };
  delete env.AWS_ENDPOINT_URL;
  const child = resources.track(
    'serverless package',
    spawn(process.execPath, args, { cwd: projectDir, env, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') output.push(line);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const code = await new Promise<number | string>((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`serverless package could not start: ${error.message}`)));
    child.once('close', (status, signal) => resolve(status ?? signal ?? 'unknown'));
  });
  if (code !== 0) {
    throw new Error(`serverless package failed (${code}):\n${output.slice(-30).join('\n')}`);
  }
  for (const line of output) log(`  ${line}`);
}
