import { ensurePackage, type ServicePackage } from '../../tools/package/ensurePackage';
import type { Resources } from './Resources';

/** Where the demo's package lives, under the project (git-ignored). */
export const DEMO_PACKAGE_DIR = '.serverless-demo';
/** The stage and region the demo packages for (names only: nothing is deployed). */
const DEMO_STAGE = 'demo';
export const DEMO_REGION = 'us-east-1';

/**
 * The demo's package: `serverless package` with the demo's deploy options into
 * DEMO_PACKAGE_DIR, run only when that package is missing, stale or built with other options.
 * Packaging output goes to `log`.
 */
export function ensureDemoPackage(
  projectDir: string,
  deployOptions: Record<string, string>,
  resources: Resources,
  log: (line: string) => void,
): Promise<ServicePackage & { packagedNow: boolean }> {
  return ensurePackage(
    projectDir,
    DEMO_PACKAGE_DIR,
    { stage: DEMO_STAGE, region: DEMO_REGION, params: deployOptions },
    { log, track: (child) => resources.track('serverless package', child) },
  );
}
