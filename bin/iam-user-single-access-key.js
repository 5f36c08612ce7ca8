#!/usr/bin/env node
// The command line: `iam-user-single-access-key audit|plan|summary` (docs/cli.md). Runs the bundle
// that `npm ci` builds (bin/build-cli.mjs, the `prepare` script) from src/cli.
/* global require, process, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script run by plain node */
'use strict';
const path = require('node:path');

// Stack traces (--debug) point at src/**/*.ts rather than the bundle; set before the bundle loads.
process.setSourceMapsEnabled(true);
const bundle = path.join(__dirname, '..', 'dist', 'cli', 'iam-user-single-access-key.cjs');
let cli;
try {
  cli = require(bundle);
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(bundle)) {
    process.stderr.write(`error: the command line is not built: run \`npm ci\` or \`npm run build:cli\` in ${path.dirname(__dirname)}\n`);
    process.exit(2);
  }
  throw error;
}
// The SDK's multi-line notice that it will soon need Node 22 would break the one-line-on-stderr
// contract of errors; the project supports Node 20.19+ (package.json engines). Set it to false to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A reader that stops early (`| head`) is not an error of ours.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
cli.main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
