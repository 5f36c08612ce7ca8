import { storedFingerprint } from '../../src/config/resultFingerprint';
import { type Bench, coldSweep } from '../Bench';
import { round } from '../measure';
import { scaled } from '../options';
import { changeOnePercent, EVENT_RULE_NAME, scheduledEvent, users } from '../workload';

/** A result Config holds. */
type Held = { resourceId: string; complianceType: string; annotation?: string };

/**
 * Two consecutive sweeps (issue 9), each cold: the second, after 1% of the users changed, records
 * only those; what Config then holds is compared, user by user, with a full recording
 * (recordUnchanged=true) of the same account into a rule of its own.
 */
export async function recordChanged(bench: Bench): Promise<Record<string, unknown>> {
  const { fake, failures, options } = bench;
  const n = scaled(options, options.quick ? 500 : 5000);
  const rule = EVENT_RULE_NAME;
  const token = 'bench-record-token';
  const fullToken = 'bench-full-recording-token';
  const fullRule = 'bench-full-recording';
  const before = users(n, 20);
  await fake.setUsers(before);
  await fake.request('configure', { latencyMs: 10 });
  for (const [resultToken, ruleName] of [
    [token, rule],
    [fullToken, fullRule],
  ] as const) {
    await fake.request('setComplianceResults', { ruleName });
    await fake.request('storeEvaluations', { resultToken, ruleName });
  }
  const first = await coldSweep(bench, scheduledEvent({ resultToken: token, at: '2026-11-21T00:00:00.000Z' }));
  failures.checkSweep('two sweeps: first', n, first.invocation, first.stats);
  const { after, changed, deleted } = changeOnePercent(before);
  await fake.setUsers(after);
  const second = await coldSweep(bench, scheduledEvent({ resultToken: token, at: '2026-11-21T01:00:00.000Z' }));
  if (second.invocation.error) failures.add(`two sweeps: second: ${second.invocation.error}`);
  const fullEvent = scheduledEvent({
    resultToken: fullToken,
    at: '2026-11-21T01:00:00.000Z',
    ruleParameters: { maxAccessKeys: '1', recordUnchanged: 'true' },
  });
  const full = await coldSweep(bench, fullEvent);
  if (full.invocation.error) failures.add(`two sweeps: full recording: ${full.invocation.error}`);
  const held = new Map((await fake.request<Held[]>('complianceResults', { ruleName: rule })).map((result) => [result.resourceId, result]));
  const fullRecording = await fake.request<Held[]>('complianceResults', { ruleName: fullRule });
  const mismatches = differences(held, fullRecording, deleted);
  if (fullRecording.length !== after.length)
    mismatches.push(`the full recording has ${fullRecording.length} results for ${after.length} users`);
  if (held.size !== after.length + deleted.size)
    mismatches.push(`Config holds ${held.size} results for ${after.length} users and ${deleted.size} deleted`);
  const recordedSecond = second.stats.evaluations;
  const expectedRecorded = changed.size + deleted.size;
  if (mismatches.length > 0)
    failures.add(`two sweeps: ${mismatches.length} result(s) differ from a full recording: ${mismatches.slice(0, 3).join('; ')}`);
  // The later scenarios start from a rule that holds no result, so that every sweep records every user.
  await fake.request('setComplianceResults', { ruleName: rule });
  const unchanged = (second.invocation.summary as { unchanged?: number } | undefined)?.unchanged;
  console.log(
    `two sweeps of ${n} users (cold, 10 ms a call), the second after ${changed.size} changed and ${deleted.size} deleted: first ${round(first.invocation.seconds, 2)} s recorded ${first.stats.evaluations}; second ${round(second.invocation.seconds, 2)} s = ${round(second.invocation.seconds / first.invocation.seconds, 2)}x (target <= 1.1) recorded ${recordedSecond} (target ${expectedRecorded}, <= 60), left ${unchanged ?? '?'} unchanged; results differing from a full recording: ${mismatches.length}`,
  );
  return {
    users: n,
    latencyMs: 10,
    changedUsers: changed.size,
    deletedUsers: deleted.size,
    firstSweepSeconds: round(first.invocation.seconds),
    firstRecorded: first.stats.evaluations,
    secondSweepSeconds: round(second.invocation.seconds),
    secondRecorded: recordedSecond,
    secondUnchanged: unchanged ?? null,
    expectedRecorded,
    recordedTarget: `changed + deleted (${expectedRecorded}), <= 60`,
    secondOverFirst: round(second.invocation.seconds / first.invocation.seconds, 2),
    timeTarget: '<= 1.1',
    storedResultPages: second.stats.byAction?.GetComplianceDetailsByConfigRule ?? null,
    resultsDifferingFromFullRecording: mismatches.length,
  };
}

/** Where what Config holds differs from the full recording, and deleted users not NOT_APPLICABLE. */
function differences(held: Map<string, Held>, fullRecording: Held[], deleted: Set<string>): string[] {
  const mismatches: string[] = [];
  for (const expected of fullRecording) {
    const actual = held.get(expected.resourceId);
    if (
      !actual ||
      actual.complianceType !== expected.complianceType ||
      storedFingerprint(actual.complianceType, actual.annotation ?? '') !==
        storedFingerprint(expected.complianceType, expected.annotation ?? '')
    ) {
      mismatches.push(
        `${expected.resourceId}: holds ${actual ? `${actual.complianceType} "${actual.annotation}"` : 'nothing'}, a full recording ${expected.complianceType} "${expected.annotation}"`,
      );
    }
  }
  for (const id of deleted) {
    if (held.get(id)?.complianceType !== 'NOT_APPLICABLE')
      mismatches.push(`${id}: deleted, but holds ${held.get(id)?.complianceType ?? 'nothing'}`);
  }
  return mismatches;
}
