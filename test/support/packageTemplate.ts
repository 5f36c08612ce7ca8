import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { readPackage, templateFile } from '../../tools/package/ensurePackage';
import { type PackageRequest, serverlessPackage } from '../../tools/package/serverlessPackage';
import type { Template } from '../../tools/package/Template';

export { packageRefusal } from '../../tools/package/packageRefusal';
export { resourcesOfType, type Template } from '../../tools/package/Template';

const PROJECT = resolve(__dirname, '../..');

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
/** Packagings run one at a time: each takes both cores of these machines, so two at once gain nothing. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Packages the service offline with the given deploy options (`--param name=value`), once per
 * distinct set of options in a test run, into a temporary directory.
 */
export function packageService(params: Record<string, string> = {}, region = 'us-east-1'): Promise<Packaged> {
  const key = JSON.stringify([region, ...Object.entries(params).sort()]);
  let packaged = cache.get(key);
  if (!packaged) {
    packaged = queue.then(() => packageOnce(request(params, region)));
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

/** A package request of the tests: stage `test`, into a new temporary directory. */
function request(params: Record<string, string>, region: string): PackageRequest {
  return { projectDir: PROJECT, directory: mkdtempSync(join(tmpdir(), 'sls-package-')), stage: 'test', region, params };
}

async function packageOnce(packaging: PackageRequest): Promise<Packaged> {
  const { stdout, stderr } = await serverlessPackage(packaging);
  const { directory, template, zipBytes } = readPackage(packaging.directory);
  const byFunction = Object.fromEntries(Object.entries(zipBytes).map(([zip, bytes]) => [basename(zip, '.zip'), bytes]));
  return { template, directory, zipBytes: byFunction, output: `${stdout}${stderr}` };
}

/** The path of a packaged template, for tools that read files (cfn-lint). */
export const templatePath = (packaged: Packaged): string => templateFile(packaged.directory);
