import type { CostRow } from './costModel';

/** A results file of `npm run bench`: figures by scenario, every scenario optional. */
export type BenchResults = Record<string, unknown>;

type Figures = Record<string, unknown>;

/**
 * docs/benchmarks.md from a full run's bench/results.json: the only place figures are written
 * for people (README and docs/scale.md link here). Cold figures first: a 24-hour schedule almost
 * always runs in a fresh container.
 */
export function renderBenchmarks(results: BenchResults): string {
  const lines: string[] = [
    '# Benchmarks',
    '',
    '<!-- Generated from bench/results.json by `npm run bench:report` (a full `npm run bench` does it too). Do not edit by hand: a test compares this file with the results. -->',
    '',
    `Measured: ${String(results.measured ?? "the TypeScript source in the benchmark's own process (a run from before the benchmark measured the packaged bundle)")}.`,
    `Run: ${String(results.mode)} mode, Node ${String(results.node)}, ${String(results.date)}; sweep concurrency ${String(results.sweepConcurrency)}.`,
    'Every figure is against a local fake IAM/Config endpoint with the latency and token-bucket rate limit stated; ' +
      "real IAM rates are not published and are shared with the account's own automation.",
    '',
  ];
  const latency = results.latencyBound as Figures | undefined;
  const coldStart = results.coldStart as Figures | undefined;
  if (latency || coldStart) {
    lines.push(
      '## Cold (a fresh process, as a scheduled run almost always starts)',
      '',
      '| Figure | Value | Target |',
      '| --- | --- | --- |',
    );
    if (latency) {
      lines.push(
        `| Periodic sweep of ${n(latency.users)} users at ${n(latency.latencyMs)} ms a call | ${n(latency.coldProcessSeconds)} s, ${n(latency.coldProcessSpeedup)}x a sequential ListUsers + ListAccessKeys loop (${n(latency.sequentialSeconds)} s) | |`,
      );
    }
    if (coldStart) {
      const python =
        coldStart.pythonBoto3Seconds === null
          ? `Python + boto3 unavailable (${String(coldStart.pythonError)})`
          : `${n(coldStart.ratio)} of Python + boto3 (${n(coldStart.pythonBoto3Seconds)} s)`;
      lines.push(
        `| Cold start: load + one change-triggered evaluation (median of ${n(coldStart.runs)}) | ${n(coldStart.nodeSeconds)} s, ${python} | ${String(coldStart.target)} |`,
      );
      lines.push(`| Function zip | ${n(coldStart.zipKiB)} KiB | ${String(coldStart.zipTarget)} |`);
    }
    lines.push('');
  }
  const recordChanged = results.recordChanged as Figures | undefined;
  if (recordChanged) {
    lines.push(
      '## Two consecutive sweeps: only what changed is recorded',
      '',
      `${n(recordChanged.users)} users at ${n(recordChanged.latencyMs)} ms a call, each sweep in a fresh process; before the second, ${n(recordChanged.changedUsers)} users changed (keys added, deactivated, deleted; users new) and ${n(recordChanged.deletedUsers)} were deleted. ` +
        'After the second sweep the results Config holds are compared, user by user, with a full recording (`recordUnchanged=true`) of the same account.',
      '',
      '| Figure | Value | Target |',
      '| --- | --- | --- |',
      `| Evaluations recorded by the second sweep | ${n(recordChanged.secondRecorded)} (${n(recordChanged.secondUnchanged)} left unchanged; the first recorded ${n(recordChanged.firstRecorded)}) | ${String(recordChanged.recordedTarget)} |`,
      `| Second sweep against the first (${n(recordChanged.storedResultPages)} pages of stored results read) | ${n(recordChanged.secondSweepSeconds)} s against ${n(recordChanged.firstSweepSeconds)} s: ${n(recordChanged.secondOverFirst)} | ${String(recordChanged.timeTarget)} |`,
      `| Results differing from a full recording | ${n(recordChanged.resultsDifferingFromFullRecording)} | 0 |`,
      '',
    );
  }
  const throttled = results.throttledSweeps as Figures[] | undefined;
  if (throttled?.length) {
    lines.push(
      '## Sweeps under IAM throttling (fresh process each run)',
      '',
      'Time against the rate bound: (users + ListUsers pages) / rate; a ratio of 1 is a sweep exactly at the rate IAM allows.',
      '',
      '| Users | IAM calls/s (burst) | Runs complete | Median time | Bound | Median ratio (worst) | Throttled calls | Evaluations lost |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const row of throttled) {
      lines.push(
        `| ${n(row.users)} | ${n(row.rate)} (${n(row.burst)}) | ${n(row.runsComplete)} of ${n(row.runs)} | ${n(row.medianSeconds)} s | ${n(row.boundSeconds)} s | ${n(row.medianRatioToBound)} (${n(row.worstRatioToBound)}) | ${percent(row.medianThrottledShare)} | ${n(row.evaluationsLost)} |`,
      );
    }
    lines.push('');
  }
  const rateLimited = results.rateLimited as Figures | undefined;
  if (rateLimited) {
    lines.push(
      '## Rate-limited sweep',
      '',
      '| Figure | Value | Target |',
      '| --- | --- | --- |',
      `| ${n(rateLimited.users)} users at ${n(rateLimited.iamRatePerSecond)} IAM calls/s, ${n(rateLimited.latencyMs)} ms a call | ${n(rateLimited.seconds)} s against a bound of ${n(rateLimited.boundSeconds)} s: ratio ${n(rateLimited.ratioToBound)} | ${String(rateLimited.target)} |`,
      `| Throttled calls | ${n(rateLimited.throttled)} of ${n(rateLimited.iamCalls)} (${percent(rateLimited.throttledShare)}) | ${String(rateLimited.throttledTarget)} |`,
      `| First PutEvaluations after the first IAM call | ${n(rateLimited.firstReportAfterSeconds)} s | |`,
      `| Evaluations lost | ${n(rateLimited.evaluationsLost)} | 0 |`,
      '',
    );
  }
  if (latency) {
    lines.push(
      '## Warm (the same container again, code optimised)',
      '',
      '| Figure | Value | Target |',
      '| --- | --- | --- |',
      `| Periodic sweep of ${n(latency.users)} users at ${n(latency.latencyMs)} ms a call | ${n(latency.seconds)} s, ${n(latency.speedup)}x the sequential loop | ${String(latency.target)} |`,
      `| Function CPU per IAM call | ${n(latency.cpuMsPerIamCall)} ms | |`,
      '',
    );
  }
  const warm = results.warmAfterThrottling as Figures | undefined;
  if (warm) {
    lines.push(
      '## A warm container after throttling',
      '',
      `${n(warm.users)} users at ${n(warm.latencyMs)} ms a call, no rate limit: a fresh process against the same container after a sweep throttled at 20 calls/s (${n(warm.throttledSweepSeconds)} s, ${percent(warm.throttledShare)} throttled) and ${n(warm.quietSeconds)} s without calls.`,
      '',
      '| Fresh process | Warm, after throttling | Ratio | Target |',
      '| --- | --- | --- | --- |',
      `| ${n(warm.freshProcessSeconds)} s | ${n(warm.warmAfterThrottlingSeconds)} s | ${n(warm.warmOverFresh)} | ${String(warm.target)} |`,
      '',
    );
  }
  const remediation = results.remediation as Figures | undefined;
  if (remediation) {
    const one = remediation.uncontended as Figures;
    const together = remediation.threeTogether as Figures;
    const afterFailed = remediation.afterFailed as Figures;
    const throttled = remediation.throttled as Figures;
    const failedOtherwise = (throttled.failedOtherwise as string[] | undefined) ?? [];
    lines.push(
      '## Remediation and its lock',
      '',
      `The packaged remediate function (remediate.zip) on a user with two active keys, at ${n(remediation.latencyMs)} ms a call, its lock in the stand-in's DynamoDB table created as the packaged template declares it.`,
      '',
      '| Figure | Value | Target |',
      '| --- | --- | --- |',
      `| One run, nobody else (cold: a fresh process, bundle load included) | ${n(one.coldSeconds)} s (warm ${n(one.warmSeconds)} s); ${n(one.iamCalls)} IAM, ${n(one.configCalls)} Config, ${n(one.dynamodbCalls)} DynamoDB calls | ${String(one.target)} |`,
      `| Three runs started together, ${n(together.rounds)} rounds | exactly one acted in ${n(together.roundsWithExactlyOneActing)} of ${n(together.rounds)}; the others: ${n(together.refusedNamingHolder)} refused naming the holder, ${n(together.foundNothingToDo)} found nothing to do; locks left ${n(together.locksLeft)} | ${String(together.target)} |`,
      `| A run right after one that failed | ${afterFailed.nextRemediated === true ? 'remediated' : 'NOT remediated'} in ${n(afterFailed.nextSeconds)} s | ${String(afterFailed.target)} |`,
      `| ${n(throttled.runs)} runs under ${percent(throttled.share)} IAM throttling (${n(throttled.throttledCalls)} of ${n(throttled.iamCalls)} IAM calls throttled), one after another | ${n(throttled.remediated)} remediated, ${failedOtherwise.length} failed for another reason, ${n(throttled.refusedByLock)} refused by the lock; median ${n(throttled.medianSeconds)} s a run | ${String(throttled.target)} |`,
      '',
    );
    if (failedOtherwise.length > 0) {
      lines.push('The runs under throttling that failed, and why (the SDK retries each call up to 8 times):', '');
      for (const reason of failedOtherwise) lines.push(`- ${reason}`);
      lines.push('');
    }
  }
  const cost = results.costModel as { assumptions: Figures; prices: Figures; rows: CostRow[] } | undefined;
  if (cost) {
    const a = cost.assumptions;
    lines.push(
      '## Cost of hourly sweeps (model)',
      '',
      `Computed by bench/costModel.ts, not measured: ${n(a.sweepsPerHour)} sweep an hour, ${percent(a.changingPerDay)} of users changing a day, ${percent(a.nonCompliantShare)} non-compliant, ` +
        `IAM at ${n(a.iamCallsPerSecond)} calls/s plus ${n(a.overheadSeconds)} s a sweep, ${n(a.memoryMB)} MB arm64, ${n(cost.prices.hoursPerMonth)} hours a month. ` +
        `Config: ${String(cost.prices.configPerEvaluation)}. Lambda: ${String(cost.prices.lambdaArm64)}. Change-triggered evaluations (the same either way) are left out.`,
      '',
      '| Users | IAM calls an hour | Sweep | Lambda GB-s a month | Lambda $ a month | Config evaluations a month (`recordUnchanged` false / true) | Config $ a month (false / true) |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const row of cost.rows) {
      lines.push(
        `| ${n(row.users)} | ${n(row.iamCallsPerHour)} | ${n(row.sweepSeconds)} s | ${n(row.lambdaGbSecondsPerMonth)} | $${dollars(row.lambdaDollarsPerMonth)} | ${n(row.configEvaluationsPerMonth.changedOnly)} / ${n(row.configEvaluationsPerMonth.recordUnchanged)} | $${dollars(row.configDollarsPerMonth.changedOnly)} / $${dollars(row.configDollarsPerMonth.recordUnchanged)} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

function dollars(value: unknown): string {
  return typeof value === 'number' ? value.toFixed(2) : '-';
}

function n(value: unknown): string {
  return typeof value === 'number' ? String(value) : String(value ?? '-');
}

function percent(share: unknown): string {
  return typeof share === 'number' ? `${Number((share * 100).toFixed(1))}%` : '-';
}
