import { type Bench, coldSweep } from '../Bench';
import { rateFigures, round } from '../measure';
import { scaled } from '../options';
import { users } from '../workload';

/** Rate-limited sweep (cold) at 100 calls/s: close to the bound (N + N/1000 pages) / R. */
export async function rateLimited(bench: Bench): Promise<Record<string, unknown>> {
  const { fake, failures, options } = bench;
  const n = scaled(options, options.quick ? 300 : 1000);
  const rate = options.quick ? 50 : 100;
  await fake.setUsers(users(n));
  await fake.request('configure', { latencyMs: 10, rateLimit: { perSecond: rate, burst: Math.ceil(rate / 10) } });
  const { invocation, stats } = await coldSweep(bench);
  failures.checkSweep(`rate-limited ${rate}/s`, n, invocation, stats);
  const figures = rateFigures(n, rate, invocation, stats);
  console.log(
    `rate-limited sweep (cold), ${n} users at ${rate} IAM calls/s, 10 ms: ${figures.seconds} s, bound ${figures.boundSeconds} s, ratio ${figures.ratioToBound} (target >= 0.85); throttled ${stats.throttled}/${stats.iamCalls} = ${round(100 * figures.throttledShare, 1)}% (target <= 15%); lost ${figures.evaluationsLost}; function RSS ${round(invocation.rssMiB, 0)} MiB${invocation.error ? `; ERROR ${invocation.error}` : ''}`,
  );
  return {
    users: n,
    iamRatePerSecond: rate,
    latencyMs: 10,
    ...figures,
    target: '>= 0.85',
    throttledTarget: '<= 0.15',
    putEvaluationsCalls: stats.putTimes.length,
    firstReportAfterSeconds: round((stats.putTimes[0]! - (stats.iamTimes.first ?? 0)) / 1000),
    functionRssMiB: round(invocation.rssMiB, 0),
  };
}
