import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PROJECT = resolve(__dirname, '../..');

/** A CloudFormation template as `serverless package` writes it. */
export interface Template {
  Parameters?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Condition?: string; DependsOn?: string | string[]; Metadata?: unknown }
  >;
  Outputs?: Record<string, unknown>;
}

/** What one `serverless package` run produced. */
export interface Packaged {
  template: Template;
  directory: string;
  /** Size in bytes of each function zip, by function name. */
  zipBytes: Record<string, number>;
  /** What `serverless package` printed (stdout, then stderr: osls writes its log there). */
  output: string;
}

const cache = new Map<string, Promise<Packaged>>();
/** The packaging runs queued so far: serverless-esbuild builds in the project's .esbuild/ folder, so one at a time. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Packages the service offline with the given deploy options (`--param name=value`), once per
 * distinct set of options in a test run, into a temporary directory; one packaging at a time.
 */
export function packageService(params: Record<string, string> = {}, region = 'us-east-1'): Promise<Packaged> {
  const key = JSON.stringify([region, ...Object.entries(params).sort()]);
  let packaged = cache.get(key);
  if (!packaged) {
    packaged = queue.then(() => packageOnce(params, region));
    queue = packaged.catch(() => undefined);
    cache.set(key, packaged);
  }
  return packaged;
}

/**
 * Starts packaging each of these option sets in the background, one after the other, so that the
 * tests that read them find them packaged (or wait less) while other tests run meanwhile: called
 * when a test file loads, it overlaps every test of the run. A failure is the failure of the test
 * that reads that package.
 */
export function packageInBackground(paramSets: readonly Record<string, string>[]): void {
  for (const params of paramSets) packageService(params).catch(() => undefined);
}

/** The project's serverless (osls), run with this Node: npx would cost a third of a second a run to find it. */
const SERVERLESS = join(PROJECT, 'node_modules', 'serverless', 'bin', 'serverless.js');

/** The arguments of `node <serverless> package` with these options into `directory`. */
function packageArgs(params: Record<string, string>, region: string, directory: string): string[] {
  const args = [SERVERLESS, 'package', '--stage', 'test', '--region', region, '--package', directory];
  for (const [name, value] of Object.entries(params)) args.push(`--param=${name}=${value}`);
  return args;
}

const ENV = { ...process.env, AWS_ENDPOINT_URL: undefined, SLS_TELEMETRY_DISABLED: '1' };

/**
 * The lines of the error `serverless package` prints when it refuses these options (after
 * "Error:", up to the first blank line). Fails when packaging succeeds.
 */
export async function packageRefusal(params: Record<string, string>, region = 'us-east-1'): Promise<string[]> {
  const args = packageArgs(params, region, mkdtempSync(join(tmpdir(), 'sls-package-')));
  const outcome = await run(process.execPath, args, { cwd: PROJECT, env: ENV, timeout: 120_000 }).then(
    () => undefined,
    (error: { stdout?: string; stderr?: string }) => [error.stdout ?? '', error.stderr ?? ''],
  );
  if (outcome === undefined) throw new Error(`serverless ${args.slice(1).join(' ')} packaged; a refusal was expected`);
  for (const output of outcome) {
    const lines = output.split('\n');
    const start = lines.indexOf('Error:');
    if (start < 0) continue;
    const end = lines.findIndex((line, index) => index > start && line.trim() === '');
    return lines.slice(start + 1, end < 0 ? undefined : end);
  }
  throw new Error(`serverless ${args.slice(1).join(' ')} failed without an "Error:" line:\n${outcome.join('\n')}`);
}

async function packageOnce(params: Record<string, string>, region: string): Promise<Packaged> {
  const directory = mkdtempSync(join(tmpdir(), 'sls-package-'));
  const args = packageArgs(params, region, directory);
  let output: string;
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: PROJECT, env: ENV, timeout: 120_000 });
    output = `${stdout}${stderr}`;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`serverless package ${args.slice(2).join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
  }
  const template = JSON.parse(readFileSync(join(directory, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
  const zipBytes: Record<string, number> = {};
  for (const name of ['evaluate', 'remediate']) {
    try {
      zipBytes[name] = statSync(join(directory, `${name}.zip`)).size;
    } catch {
      // that function is not part of this package
    }
  }
  return { template, directory, zipBytes, output };
}

/** The path of a packaged template, for tools that read files (cfn-lint). */
export const templatePath = (packaged: Packaged): string => join(packaged.directory, 'cloudformation-template-update-stack.json');

/** The logical ids of the resources of a type. */
export function resourcesOfType(template: Template, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
}
