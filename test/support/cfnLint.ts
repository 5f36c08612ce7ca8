import { execFile, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PROJECT = resolve(__dirname, '../..');

/** The cfn-lint version the project pins (.ci/run installs nothing: it requires this one). */
export const CFN_LINT_VERSION = '1.51.0';
export const CFN_LINT_INSTALL = `python3 -m pip install cfn-lint==${CFN_LINT_VERSION}`;

/** `cfn-lint --version`'s version, or undefined when cfn-lint is not installed. */
export function installedCfnLint(): string | undefined {
  try {
    return /(\d+\.\d+\.\d+)/.exec(execFileSync('cfn-lint', ['--version'], { encoding: 'utf8' }))?.[1];
  } catch {
    return undefined;
  }
}

/** One cfn-lint finding. */
export interface CfnLintFinding {
  Rule: { Id: string };
  Message: string;
  Filename: string;
  Location: { Path?: (string | number)[] };
}

/**
 * cfn-lint's findings for templates, with the repository's .cfnlintrc.yaml (read from the project
 * directory). `regions` defaults to the config file's.
 */
export async function cfnLint(files: string[], regions?: string[]): Promise<CfnLintFinding[]> {
  const args = ['--format', 'json', ...(regions ? ['--regions', ...regions] : []), '--', ...files];
  // cfn-lint exits non-zero when it finds something (2 errors, 4 warnings, 8 informational).
  const { stdout } = await run('cfn-lint', args, { cwd: PROJECT, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string; code?: number }) => {
      if (typeof error.code === 'number' && error.code > 0 && error.code < 16 && error.stdout) return { stdout: error.stdout };
      throw error;
    },
  );
  return JSON.parse(stdout) as CfnLintFinding[];
}

/** A finding as one readable line. */
export const describeFinding = (finding: CfnLintFinding): string =>
  `${finding.Rule.Id} ${(finding.Location.Path ?? []).join('/')}: ${finding.Message}`;
