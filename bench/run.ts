// npm run bench [-- --quick] [-- --scale=0.1] [-- --only=latencyBound,throttledSweeps]
// Measures the packaged functions (.serverless-bench/, packaged with the default deploy options
// first when missing or stale, as the demo's package) as Lambda runs them (tools/lambda), against
// the local stand-in of AWS in a process of its own with configurable latency and a token-bucket
// rate limit, cold (a fresh process, as a scheduled run mostly starts) before warm. Prints each
// figure with its target; fails (exit 1) on a sweep error or a lost evaluation, never on a timing.
// A full run writes bench/results.json and docs/benchmarks.md; --quick writes
// bench/results.quick.json; --scale or --only write bench/results.partial.json. The scenarios are
// in bench/scenarios/; the cost model (bench/costModel.ts) is written by every run.
// SWEEP_CONCURRENCY, when set, is given to the evaluate function over its packaged value.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench, Scenario } from './Bench';
import { costModel } from './costModel';
import { FakeProcess } from './FakeProcess';
import { Failures } from './measure';
import { benchOptions, resultsFile, wanted } from './options';
import { BENCH_PACKAGE_DIR, PackagedFunctions } from './packagedFunctions';
import { renderBenchmarks } from './renderBenchmarks';
import { coldStart } from './scenarios/coldStart';
import { latencyBound } from './scenarios/latencyBound';
import { rateLimited } from './scenarios/rateLimited';
import { recordChanged } from './scenarios/recordChanged';
import { remediation } from './scenarios/remediation/remediation';
import { throttledSweeps } from './scenarios/throttledSweeps';
import { warmAfterThrottling } from './scenarios/warmAfterThrottling';

const ROOT = join(__dirname, '..');

/** The scenarios, in the order they run, by the name of their figures in the results file. */
const SCENARIOS: [name: string, scenario: Scenario][] = [
  ['latencyBound', latencyBound],
  ['rateLimited', rateLimited],
  ['recordChanged', recordChanged],
  ['throttledSweeps', throttledSweeps],
  ['warmAfterThrottling', warmAfterThrottling],
  ['coldStart', coldStart],
  ['remediation', remediation],
];

async function main(): Promise<number> {
  // The benchmark's own client (latencyBound's sequential loop) may run on Node 20; the functions run on nodejs22.x.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const options = benchOptions(process.argv.slice(2));
  const functions = await PackagedFunctions.load(ROOT);
  const results: Record<string, unknown> = {
    mode: options.mode,
    measured: `packaged functions (${BENCH_PACKAGE_DIR}/, default deploy options), as Lambda's Node.js runtime runs them; each cold figure in a fresh process`,
    node: process.version,
    date: new Date().toISOString(),
    ...(options.scale !== 1 ? { scale: options.scale } : {}),
    packagedByBench: functions.packagedNow,
    sweepConcurrency: functions.sweepConcurrency,
  };
  const fake = await FakeProcess.start();
  const bench: Bench = { options, fake, functions, failures: new Failures() };
  try {
    for (const [name, scenario] of SCENARIOS) if (wanted(options, name)) results[name] = await scenario(bench);
  } finally {
    fake.stop();
    functions.close();
  }
  // What hourly sweeps cost (a model: IAM calls, Lambda, Config with and without recordUnchanged)
  results.costModel = costModel();
  const failures = bench.failures.list;
  results.failures = failures;
  const file = resultsFile(options);
  writeFileSync(join(__dirname, file), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to bench/${file}`);
  if (options.mode === 'full') {
    writeFileSync(join(ROOT, 'docs/benchmarks.md'), renderBenchmarks(results));
    console.log('written to docs/benchmarks.md');
  }
  if (failures.length === 0) return 0;
  console.error(`FAILED: ${failures.length} sweep error(s) or lost evaluation(s):\n  ${failures.join('\n  ')}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
