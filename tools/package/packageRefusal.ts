import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ServerlessPackageError, serverlessPackage } from './serverlessPackage';

const PROJECT = resolve(__dirname, '..', '..');

/**
 * The lines of the error `serverless package` prints when it refuses these options (after
 * "Error:", up to the first blank line), for the tests and the docs' samples. Fails when
 * packaging succeeds.
 */
export async function packageRefusal(params: Record<string, string>, region = 'us-east-1'): Promise<string[]> {
  const directory = mkdtempSync(join(tmpdir(), 'sls-package-'));
  const refused = await serverlessPackage({ projectDir: PROJECT, directory, stage: 'test', region, params })
    .then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof ServerlessPackageError) return error;
        throw error;
      },
    )
    .finally(() => rmSync(directory, { recursive: true, force: true }));
  if (refused === undefined) throw new Error(`serverless package with ${JSON.stringify(params)} packaged; a refusal was expected`);
  for (const output of [refused.output.stdout, refused.output.stderr]) {
    const lines = output.split('\n');
    const start = lines.indexOf('Error:');
    if (start < 0) continue;
    const end = lines.findIndex((line, index) => index > start && line.trim() === '');
    return lines.slice(start + 1, end < 0 ? undefined : end);
  }
  throw new Error(`${refused.command} failed without an "Error:" line:\n${refused.output.stdout}\n${refused.output.stderr}`);
}
