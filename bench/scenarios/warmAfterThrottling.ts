import { setTimeout as sleep } from 'node:timers/promises';
import { type Bench, coldSweep } from '../Bench';
import { round } from '../measure';
import { scaled } from '../options';
import { scheduledEvent, users } from '../workload';

/** The rate limiter switches off after 30 s without a throttle (CubicRateLimiter); the bench waits a little longer. */
const QUIET_PERIOD_MS = 31_000;

/** A warm container after a throttled sweep, once IAM has been quiet, against a fresh one. */
export async function warmAfterThrottling(bench: Bench): Promise<Record<string, unknown>> {
  const { fake, functions, failures, options } = bench;
  const n = scaled(options, options.quick ? 100 : 300);
  await fake.setUsers(users(n));
  await fake.request('configure', { latencyMs: 20 });
  const fresh = await coldSweep(bench);
  failures.checkSweep('fresh, unthrottled', n, fresh.invocation, fresh.stats);
  const container = functions.container('evaluate', fake.url);
  await fake.request('configure', { latencyMs: 20, rateLimit: { perSecond: 20, burst: 10 } });
  await fake.request('reset');
  const throttled = await container.invoke(scheduledEvent());
  const throttledStats = await fake.stats();
  failures.checkSweep('warm, throttled', n, throttled, throttledStats);
  await fake.request('configure', { latencyMs: 20 });
  // Nothing for the quiet period, then the same sweep without throttling in the same container.
  await sleep(QUIET_PERIOD_MS);
  await fake.request('reset');
  const warm = await container.invoke(scheduledEvent());
  const warmStats = await fake.stats();
  failures.checkSweep('warm after throttling', n, warm, warmStats);
  await container.stop();
  console.log(
    `warm after throttling, ${n} users, 20 ms a call: fresh process ${round(fresh.invocation.seconds, 2)} s; same container after a throttled sweep (${round(throttled.seconds, 2)} s at 20 calls/s) and ${QUIET_PERIOD_MS / 1000} s quiet: ${round(warm.seconds, 2)} s = ${round(warm.seconds / fresh.invocation.seconds, 2)}x the fresh time (target <= 1)`,
  );
  return {
    users: n,
    latencyMs: 20,
    freshProcessSeconds: round(fresh.invocation.seconds),
    throttledSweepSeconds: round(throttled.seconds),
    throttledShare: round(throttledStats.throttled / throttledStats.iamCalls),
    quietSeconds: QUIET_PERIOD_MS / 1000,
    warmAfterThrottlingSeconds: round(warm.seconds),
    warmOverFresh: round(warm.seconds / fresh.invocation.seconds, 2),
    target: '<= 1 (the warm sweep is no slower than a fresh one)',
    evaluationsLost: n - warmStats.distinctResources,
  };
}
