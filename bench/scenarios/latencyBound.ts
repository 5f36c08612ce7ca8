import { IAMClient, ListAccessKeysCommand, paginateListUsers } from '@aws-sdk/client-iam';
import type { Bench } from '../Bench';
import { coldSweep } from '../Bench';
import { round } from '../measure';
import { scaled } from '../options';
import { BENCH_REGION } from '../packagedFunctions';
import { scheduledEvent, users } from '../workload';

/** Sweeps of 300 users run before the warm measurement: V8 keeps optimising for about six (~1,800 calls). */
const WARM_UP_SWEEPS = 6;

/** Latency-bound sweep: no rate limit, 20 ms a call, cold then warm, against a sequential ListUsers + ListAccessKeys loop. */
export async function latencyBound(bench: Bench): Promise<Record<string, unknown>> {
  const { fake, functions, failures, options } = bench;
  const n = scaled(options, options.quick ? 100 : 300);
  await fake.setUsers(users(n));
  await fake.request('configure', { latencyMs: 20 });
  const cold = await coldSweep(bench);
  // A warm container: the same process after warm-up sweeps (300 users each, no latency).
  const container = functions.container('evaluate', fake.url);
  await fake.request('configure', { latencyMs: 0 });
  for (let index = 0; index < (options.quick ? 1 : WARM_UP_SWEEPS); index += 1) await container.invoke(scheduledEvent());
  await fake.request('configure', { latencyMs: 20 });
  const sequential = await sequentialLoop(fake.url);
  await fake.request('reset');
  const warm = await container.invoke(scheduledEvent());
  const warmStats = await fake.stats();
  await container.stop();
  const lost =
    failures.checkSweep('latency-bound cold', n, cold.invocation, cold.stats) +
    failures.checkSweep('latency-bound warm', n, warm, warmStats);
  console.log(
    `latency-bound sweep, ${n} users, 20 ms a call: cold (fresh process, bundle load ${round(cold.invocation.loadSeconds ?? 0, 2)} s included) ${round(cold.invocation.seconds, 2)} s = ${round(sequential / cold.invocation.seconds, 1)}x a sequential ListUsers+ListAccessKeys loop (${round(sequential, 2)} s); warm ${round(warm.seconds, 2)} s = ${round(sequential / warm.seconds, 1)}x (target >= 15x); CPU ${round((1000 * warm.cpuSeconds) / warmStats.iamCalls, 2)} ms per IAM call; lost ${lost}`,
  );
  return {
    users: n,
    latencyMs: 20,
    sequentialSeconds: round(sequential),
    coldProcessSeconds: round(cold.invocation.seconds),
    coldLoadSeconds: round(cold.invocation.loadSeconds ?? 0),
    coldProcessSpeedup: round(sequential / cold.invocation.seconds, 1),
    seconds: round(warm.seconds),
    speedup: round(sequential / warm.seconds, 1),
    cpuSeconds: round(warm.cpuSeconds),
    cpuMsPerIamCall: round((1000 * warm.cpuSeconds) / warmStats.iamCalls, 2),
    target: '>= 15 (warm)',
    evaluationsLost: lost,
    error: cold.invocation.error ?? warm.error,
  };
}

/** Seconds a plain loop takes: ListUsers, then ListAccessKeys for each user, one call at a time. */
async function sequentialLoop(endpoint: string): Promise<number> {
  const iam = new IAMClient({ endpoint, region: BENCH_REGION, credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' } });
  const started = performance.now();
  for await (const page of paginateListUsers({ client: iam }, {})) {
    for (const user of page.Users ?? []) await iam.send(new ListAccessKeysCommand({ UserName: user.UserName }));
  }
  iam.destroy();
  return (performance.now() - started) / 1000;
}
