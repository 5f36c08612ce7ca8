import type { Bench } from '../../Bench';
import { median, round } from '../../measure';
import { answer, remediated, type RemediationRig } from './RemediationRig';

/** Three runs started together, in three warm containers, round after round: exactly one acts in each. */
export async function threeTogether({ fake, failures, options }: Bench, rig: RemediationRig): Promise<Record<string, unknown>> {
  const rounds = options.quick ? 3 : 10;
  const containers = [0, 1, 2].map(() => rig.container());
  await rig.fresh();
  await Promise.all(containers.map((each, index) => each.invoke(rig.payload(`bench-warm-up-${index}`, true))));
  const together = {
    rounds,
    roundsWithExactlyOneActing: 0,
    acted: 0,
    refusedNamingHolder: 0,
    foundNothingToDo: 0,
    other: [] as string[],
    keyChanges: 0,
    locksLeft: 0,
  };
  for (let round = 0; round < rounds; round += 1) {
    await rig.fresh();
    const ids = containers.map((_, index) => `bench-round-${round}-run-${index}`);
    const runs = await Promise.all(containers.map((each, index) => each.invoke(rig.payload(ids[index]!))));
    const actors = runs.flatMap((invocation, index) => (remediated(invocation) && answer(invocation)?.changed ? [ids[index]!] : []));
    const changes = (await fake.stats()).byAction?.UpdateAccessKey ?? 0;
    together.acted += actors.length;
    together.keyChanges += changes;
    if (actors.length === 1 && changes === 1) together.roundsWithExactlyOneActing += 1;
    for (const invocation of runs) {
      if (remediated(invocation) && answer(invocation)?.changed) continue;
      if (answer(invocation)?.outcome === 'nothing-to-do') together.foundNothingToDo += 1;
      else if (actors.length === 1 && invocation.error?.includes(`is being remediated by Automation execution ${actors[0]} until `))
        together.refusedNamingHolder += 1;
      else together.other.push(invocation.error ?? JSON.stringify(answer(invocation)));
    }
    together.locksLeft += await rig.locksLeft();
  }
  await Promise.all(containers.map((each) => each.stop()));
  if (together.roundsWithExactlyOneActing !== rounds || together.other.length > 0 || together.locksLeft > 0) {
    failures.add(
      `remediation, three runs together: ${together.roundsWithExactlyOneActing} of ${rounds} rounds with exactly one run acting; other outcomes: ${together.other.slice(0, 3).join('; ')}; locks left ${together.locksLeft}`,
    );
  }
  console.log(
    `remediation, three runs started together x${rounds}: exactly one acted in ${together.roundsWithExactlyOneActing} of ${rounds} rounds; the others: ${together.refusedNamingHolder} refused naming the holder, ${together.foundNothingToDo} found nothing to do, ${together.other.length} other; key changes ${together.keyChanges}; locks left ${together.locksLeft}`,
  );
  return { ...together, target: 'exactly one acts in every round; the others change nothing and name the holder' };
}

/** Runs under 60% IAM throttling, one after another, each in a fresh process: none refused by the lock. */
export async function underThrottling({ fake, failures, options }: Bench, rig: RemediationRig): Promise<Record<string, unknown>> {
  const runs = options.quick ? 3 : 12;
  const throttled = {
    runs,
    share: 0.6,
    remediated: 0,
    refusedByLock: 0,
    failedOtherwise: [] as string[],
    seconds: [] as number[],
    throttledCalls: 0,
    iamCalls: 0,
  };
  for (let index = 0; index < runs; index += 1) {
    await rig.fresh();
    const error = { status: 400, code: 'Throttling', message: 'Rate exceeded' };
    await fake.request('failRandomly', { action: 'iam:*', error, share: throttled.share, seed: index + 1 });
    const container = rig.container();
    const invocation = await container.invoke(rig.payload(`bench-throttled-${index}`));
    await container.stop();
    const stats = await fake.stats();
    throttled.throttledCalls += stats.injected;
    throttled.iamCalls += stats.iamCalls;
    throttled.seconds.push(round(invocation.seconds, 2));
    if (remediated(invocation)) throttled.remediated += 1;
    else if (/RemediationInProgressError|remediation lock|dynamodb:/.test(invocation.error ?? '')) throttled.refusedByLock += 1;
    else throttled.failedOtherwise.push(invocation.error ?? JSON.stringify(answer(invocation)));
  }
  await fake.request('clearFaults');
  if (throttled.refusedByLock > 0)
    failures.add(`remediation under ${throttled.share * 100}% IAM throttling: ${throttled.refusedByLock} run(s) refused by the lock`);
  console.log(
    `remediation under ${throttled.share * 100}% IAM throttling, ${runs} runs: ${throttled.remediated} remediated, ${throttled.failedOtherwise.length} failed for another reason, ${throttled.refusedByLock} refused by the lock (target 0); median ${median(throttled.seconds)} s a run; ${throttled.throttledCalls} of ${throttled.iamCalls} IAM calls throttled`,
  );
  return {
    ...throttled,
    medianSeconds: median(throttled.seconds),
    throttledShare: round(throttled.throttledCalls / throttled.iamCalls),
    target: 'no run refused by the lock',
  };
}
