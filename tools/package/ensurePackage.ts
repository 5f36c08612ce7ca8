import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { markPackaged, type PackageOptions, stalenessOf } from './packageStaleness';
import { packageCommand, serverlessPackage } from './serverlessPackage';
import type { Template } from './Template';

const TEMPLATE_FILE = 'cloudformation-template-update-stack.json';
const STATE_FILE = 'serverless-state.json';

/** A package `serverless package` wrote. */
export interface ServicePackage {
  /** Absolute path of the package directory. */
  directory: string;
  template: Template;
  /** Size of each function zip in bytes, by file name (`evaluate.zip`). */
  zipBytes: Record<string, number>;
  /** The name CloudFormation would give the stack (Serverless's provider.stackName, else <service>-<stage>). */
  stackName: string;
}

/** How ensurePackage reports and what it tells about the process it starts. */
export interface EnsureOptions {
  log?: (line: string) => void;
  track?: (child: ChildProcess) => void;
}

/**
 * The package in `directory` (relative to `projectDir`) built with `options`: packaged again only
 * when it is missing, stale or built with other options (stalenessOf); the project's own
 * `.serverless/` is left alone. `packagedNow` says whether this call packaged.
 */
export async function ensurePackage(
  projectDir: string,
  directory: string,
  options: PackageOptions,
  { log = () => undefined, track }: EnsureOptions = {},
): Promise<ServicePackage & { packagedNow: boolean }> {
  const absolute = resolve(projectDir, directory);
  const reason = stalenessOf(projectDir, absolute, options);
  if (reason) {
    log(`Packaging (${reason}): ${packageCommand({ projectDir, directory, ...options })}`);
    // Built beside its place and moved there when complete: a run reading the package (or packaging it too) never sees half of one.
    const building = `${absolute}.building-${randomBytes(6).toString('hex')}`;
    try {
      const output = await serverlessPackage({ projectDir, directory: building, ...options }, track);
      for (const line of `${output.stdout}\n${output.stderr}`.split('\n')) if (line.trim() !== '') log(`  ${line}`);
      markPackaged(building, options);
      replace(absolute, building, () => stalenessOf(projectDir, absolute, options) === undefined);
    } finally {
      rmSync(building, { recursive: true, force: true });
    }
  }
  return { ...readPackage(absolute), packagedNow: reason !== undefined };
}

/** Puts `building` in the place of `directory`, unless another run has put an up-to-date package there meanwhile. */
function replace(directory: string, building: string, upToDate: () => boolean): void {
  if (upToDate()) return;
  rmSync(directory, { recursive: true, force: true });
  try {
    renameSync(building, directory);
  } catch (error) {
    if (!upToDate()) throw new Error(`could not move the package from ${building} to ${directory}`, { cause: error });
  }
}

/** The template, zips and stack name of the package in `directory`. */
export function readPackage(directory: string): ServicePackage {
  const template = JSON.parse(readFileSync(join(directory, TEMPLATE_FILE), 'utf8')) as Template;
  const zips = readdirSync(directory).filter((file) => file.endsWith('.zip'));
  const zipBytes = Object.fromEntries(zips.map((zip) => [zip, statSync(join(directory, zip)).size]));
  return { directory, template, zipBytes, stackName: stackNameOf(directory) };
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

/** The path of a package's template, for tools that read files (cfn-lint). */
export const templateFile = (directory: string): string => join(directory, TEMPLATE_FILE);
