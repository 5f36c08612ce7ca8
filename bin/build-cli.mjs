// Builds the command line (src/cli) into one CommonJS file, dist/cli/iam-user-single-access-key.cjs,
// which bin/iam-user-single-access-key.js runs. npm runs this as the `prepare` script, so the CLI is
// ready right after `npm ci`. Packages stay external (loaded from node_modules): the bundle holds
// only this project's code, and the Lambda bundles, built by serverless-esbuild from the handlers,
// never see the CLI or its dependencies.
/* global process, URL */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/iam-user-single-access-key.cjs',
  bundle: true,
  packages: 'external',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
}).catch(() => process.exit(1));
