import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PACKAGE_INPUTS } from './serverlessPackage';

/** Written last into a package directory: the options it was built with and the files it holds. */
const STAMP_FILE = 'package-options.json';

/** The deploy options a package is built with. */
export interface PackageOptions {
  stage: string;
  region: string;
  params: Record<string, string>;
}

interface Stamp {
  options: PackageOptions;
  files: string[];
}

/**
 * Why the package in `directory` must be built again, or undefined when it is up to date: no
 * complete package, other deploy options, a file of it missing, or an input (PACKAGE_INPUTS)
 * changed since. The one staleness check of the demo and the benchmark.
 */
export function stalenessOf(projectDir: string, directory: string, options: PackageOptions): string | undefined {
  const stampFile = join(directory, STAMP_FILE);
  if (!existsSync(stampFile)) return `${relative(projectDir, directory)} holds no complete package`;
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
  if (JSON.stringify(stamp.options) !== JSON.stringify(canonical(options))) return 'it was packaged with other deploy options';
  const files = stamp.files.map((file) => join(directory, file));
  const missing = files.find((file) => !existsSync(file));
  if (missing) return `${relative(projectDir, missing)} is missing`;
  const builtAt = Math.min(...files.map((file) => statSync(file).mtimeMs));
  const newer = PACKAGE_INPUTS.map((input) => newestFile(join(projectDir, input))).find((file) => file && file.mtimeMs > builtAt);
  return newer ? `${relative(projectDir, newer.path)} changed since it was packaged` : undefined;
}

/** Records that `directory` holds a complete package built with these options: every file now in it. */
export function markPackaged(directory: string, options: PackageOptions): void {
  const files = readdirSync(directory).filter((file) => file !== STAMP_FILE);
  const stamp: Stamp = { options: canonical(options), files: files.sort() };
  writeFileSync(join(directory, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
}

/** The options with their params in name order, so that the order they were given in does not matter. */
function canonical(options: PackageOptions): PackageOptions {
  const params = Object.fromEntries(Object.entries(options.params).sort(([a], [b]) => a.localeCompare(b)));
  return { stage: options.stage, region: options.region, params };
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
