import type { FakeProcess } from './FakeProcess';
import type { Failures } from './measure';
import type { BenchOptions } from './options';
import type { Invocation, PackagedFunctions } from './packagedFunctions';
import type { FakeStats } from './FakeProcess';
import { scheduledEvent } from './workload';

/** What every scenario works with. */
export interface Bench {
  options: BenchOptions;
  fake: FakeProcess;
  functions: PackagedFunctions;
  failures: Failures;
}

/** One scenario of the benchmark: its figures for the results file (and a line printed for each). */
export type Scenario = (bench: Bench) => Promise<unknown>;

/** One sweep in a fresh container (a cold start, as a scheduled run mostly is), and the stand-in's view of it. */
export async function coldSweep(bench: Bench, event: unknown = scheduledEvent()): Promise<{ invocation: Invocation; stats: FakeStats }> {
  await bench.fake.request('reset');
  const container = bench.functions.container('evaluate', bench.fake.url);
  try {
    const invocation = await container.invoke(event);
    return { invocation, stats: await bench.fake.stats() };
  } finally {
    await container.stop();
  }
}
