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
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Condition?: string; DependsOn?: string | string[] }>;
  Outputs?: Record<string, unknown>;
}

/** What one `serverless package` run produced. */
export interface Packaged {
  template: Template;
  directory: string;
  /** Size in bytes of each function zip, by function name. */
  zipBytes: Record<string, number>;
}

const cache = new Map<string, Promise<Packaged>>();

/**
 * Packages the service offline with the given deploy options (`--param name=value`), once per
 * distinct set of options in a test run, into a temporary directory.
 */
export function packageService(params: Record<string, string> = {}): Promise<Packaged> {
  const key = JSON.stringify(Object.entries(params).sort());
  let packaged = cache.get(key);
  if (!packaged) {
    packaged = packageOnce(params);
    cache.set(key, packaged);
  }
  return packaged;
}

async function packageOnce(params: Record<string, string>): Promise<Packaged> {
  const directory = mkdtempSync(join(tmpdir(), 'sls-package-'));
  const args = ['serverless', 'package', '--stage', 'test', '--region', 'us-east-1', '--package', directory];
  for (const [name, value] of Object.entries(params)) args.push(`--param=${name}=${value}`);
  try {
    await run('npx', args, { cwd: PROJECT, env: { ...process.env, AWS_ENDPOINT_URL: undefined, SLS_TELEMETRY_DISABLED: '1' }, timeout: 120_000 });
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
  return { template, directory, zipBytes };
}

/** The logical ids of the resources of a type. */
export function resourcesOfType(template: Template, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
}
