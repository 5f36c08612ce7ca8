/**
 * `npm run demo [-- --json]`: the packaged rule and remediation against a sample account on a
 * local IAM/STS/Config stand-in, with no AWS account, network or credentials. See docs/demo.md.
 */
import { resolve } from 'node:path';
import { DEMO_USAGE, type DemoOptions, parseDemoArgs } from './demoOptions';
import { DEMO_TITLE, renderReport } from './renderReport';
import { FunctionFailedError } from './DemoInvoker';
import { Resources } from './Resources';
import { runDemo } from './runDemo';

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

async function main(): Promise<number> {
  let options: DemoOptions | 'help';
  try {
    options = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (options === 'help') {
    console.log(DEMO_USAGE);
    return 0;
  }
  const { json } = options;
  const resources = new Resources();
  // Progress goes to stderr with --json, so that stdout holds the JSON object only.
  const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  let interrupted = false;
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[]) {
    process.once(signal, () => {
      interrupted = true;
      process.stderr.write(`\n${signal}: stopping everything the demo started\n`);
      void resources.stopAll().then((failures) => {
        for (const failure of failures) process.stderr.write(`could not stop ${failure}\n`);
        process.exit(SIGNAL_EXIT_CODES[signal]);
      });
    });
  }

  let code = 0;
  if (!json) log(`${DEMO_TITLE}\n`);
  try {
    const report = await runDemo({ projectDir: resolve(__dirname, '../..'), resources, log });
    if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else for (const line of ['', ...renderReport(report)]) log(line);
    const failed = report.checks.filter((check) => !check.ok);
    if (failed.length > 0) {
      process.stderr.write(`demo failed: ${failed.map((check) => `${check.name} (${check.detail})`).join('; ')}\n`);
      code = 1;
    }
  } catch (error) {
    if (interrupted) return SIGNAL_EXIT_CODES.SIGINT;
    if (error instanceof FunctionFailedError && error.logs.length > 0) {
      process.stderr.write(`The function's last log lines:\n${error.logs.slice(-20).join('\n')}\n`);
    }
    process.stderr.write(`demo failed: ${(error as Error).message}\n`);
    code = 1;
  }
  const failures = await resources.stopAll();
  for (const failure of failures) process.stderr.write(`could not stop ${failure}\n`);
  return failures.length > 0 ? 1 : code;
}

void main().then((code) => {
  process.exitCode = code;
  // Everything the demo started is stopped; this only guards against a handle someone forgot.
  setTimeout(() => process.exit(code), 2_000).unref();
});
