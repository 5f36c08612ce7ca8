import { type Bench, coldSweep } from '../Bench';
import { median, rateFigures, round } from '../measure';
import { scaled } from '../options';
import { users } from '../workload';

/** Sweeps (cold) against IAM's steady rates (issue 12): every run complete, time against the rate bound. */
export async function throttledSweeps(bench: Bench): Promise<Record<string, unknown>[]> {
  const { fake, failures, options } = bench;
  const scenarios = options.quick
    ? [
        { users: scaled(options, 50), rate: 5, burst: 10, runs: 1 },
        { users: scaled(options, 200), rate: 20, burst: 10, runs: 1 },
        { users: scaled(options, 100), rate: 20, burst: 10, runs: 3 },
      ]
    : [
        { users: scaled(options, 1000), rate: 5, burst: 10, runs: 1 },
        { users: scaled(options, 5000), rate: 20, burst: 20, runs: 1 },
        { users: scaled(options, 300), rate: 20, burst: 10, runs: 10 },
      ];
  const measured = [];
  for (const scenario of scenarios) {
    await fake.setUsers(users(scenario.users));
    await fake.request('configure', { latencyMs: 10, rateLimit: { perSecond: scenario.rate, burst: scenario.burst } });
    const runs = [];
    for (let index = 0; index < scenario.runs; index += 1) {
      const { invocation, stats } = await coldSweep(bench);
      failures.checkSweep(`${scenario.users} users at ${scenario.rate}/s, run ${index + 1}`, scenario.users, invocation, stats);
      runs.push(rateFigures(scenario.users, scenario.rate, invocation, stats));
    }
    const complete = runs.filter((figures) => !figures.error && figures.evaluationsLost === 0).length;
    const entry = {
      ...scenario,
      latencyMs: 10,
      runsComplete: complete,
      medianSeconds: round(median(runs.map((figures) => figures.seconds))),
      boundSeconds: runs[0]!.boundSeconds,
      medianRatioToBound: round(median(runs.map((figures) => figures.ratioToBound))),
      worstRatioToBound: round(Math.min(...runs.map((figures) => figures.ratioToBound))),
      medianThrottledShare: round(median(runs.map((figures) => figures.throttledShare))),
      evaluationsLost: runs.reduce((sum, figures) => sum + figures.evaluationsLost, 0),
      errors: runs.flatMap((figures) => (figures.error ? [figures.error] : [])),
    };
    measured.push(entry);
    console.log(
      `throttled sweep (cold) ${scenario.users} users at ${scenario.rate} IAM calls/s (burst ${scenario.burst}) x${scenario.runs}: ${complete}/${scenario.runs} complete; median ${entry.medianSeconds} s vs bound ${entry.boundSeconds} s = ${entry.medianRatioToBound} (worst ${entry.worstRatioToBound}); throttled ${round(100 * entry.medianThrottledShare, 1)}%; lost ${entry.evaluationsLost}`,
    );
  }
  return measured;
}
