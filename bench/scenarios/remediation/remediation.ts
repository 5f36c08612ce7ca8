import type { Bench } from '../../Bench';
import { round } from '../../measure';
import { answer, remediated, REMEDIATION_LATENCY_MS, RemediationRig } from './RemediationRig';
import { threeTogether, underThrottling } from './remediationContention';

/**
 * Remediation (issue 18): the packaged remediate function and its lock in the stand-in's DynamoDB,
 * at 10 ms a call: an uncontended run (cold, then warm), three runs started together, a run right
 * after one that failed, and runs under IAM throttling. Adds to `failures` what is wrong with the
 * lock (never a timing).
 */
export async function remediation(bench: Bench): Promise<Record<string, unknown>> {
  const rig = await RemediationRig.prepare(bench);
  return {
    latencyMs: REMEDIATION_LATENCY_MS,
    uncontended: await uncontended(bench, rig),
    threeTogether: await threeTogether(bench, rig),
    afterFailed: await afterFailed(bench, rig),
    throttled: await underThrottling(bench, rig),
  };
}

/** One run, nobody else: cold (fresh process, bundle load included), then warm. */
async function uncontended({ fake, failures }: Bench, rig: RemediationRig): Promise<Record<string, unknown>> {
  await rig.fresh();
  const container = rig.container();
  const cold = await container.invoke(rig.payload('bench-uncontended-cold'));
  const coldStats = await fake.stats();
  await rig.fresh();
  const warm = await container.invoke(rig.payload('bench-uncontended-warm'));
  await container.stop();
  for (const [name, invocation] of [
    ['cold', cold],
    ['warm', warm],
  ] as const) {
    if (!remediated(invocation))
      failures.add(`remediation, uncontended ${name}: ${invocation.error ?? JSON.stringify(answer(invocation))}`);
  }
  console.log(
    `remediation, one run at ${REMEDIATION_LATENCY_MS} ms a call: cold ${round(cold.seconds, 2)} s (bundle load ${round(cold.loadSeconds ?? 0, 2)} s), warm ${round(warm.seconds, 2)} s (target < 2 s); ${coldStats.iamCalls} IAM, ${coldStats.configCalls} Config, ${coldStats.dynamodbCalls} DynamoDB calls`,
  );
  return {
    coldSeconds: round(cold.seconds),
    coldLoadSeconds: round(cold.loadSeconds ?? 0),
    warmSeconds: round(warm.seconds),
    target: '< 2 s (with the tag lock: over 6 s)',
    iamCalls: coldStats.iamCalls,
    configCalls: coldStats.configCalls,
    dynamodbCalls: coldStats.dynamodbCalls,
  };
}

/** A run right after a run that failed (its key change refused): it succeeds at once, taking over nothing. */
async function afterFailed({ fake, failures }: Bench, rig: RemediationRig): Promise<Record<string, unknown>> {
  await rig.fresh();
  await fake.request('failAlways', { action: 'UpdateAccessKey', error: { status: 403, code: 'AccessDenied' } });
  const container = rig.container();
  const failed = await container.invoke(rig.payload('bench-failing-run'));
  await fake.request('clearFaults');
  const next = await container.invoke(rig.payload('bench-next-run'));
  await container.stop();
  if (!failed.error || !remediated(next) || answer(next)?.lock?.tookOverFrom !== undefined) {
    failures.add(
      `remediation after a failed run: first ${failed.error ? 'failed' : 'did not fail'}, next ${next.error ?? JSON.stringify(answer(next))}`,
    );
  }
  console.log(
    `remediation right after a failed run: the failed run ${round(failed.seconds, 2)} s, the next ${round(next.seconds, 2)} s, ${remediated(next) ? 'remediated' : `NOT remediated: ${next.error}`}`,
  );
  return {
    failedSeconds: round(failed.seconds),
    nextSeconds: round(next.seconds),
    nextRemediated: remediated(next),
    target: 'succeeds at once',
  };
}
