import { maskAccessKeyId } from '../../src/iam-user-single-access-key/maskAccessKeyId';
import type { FakeUser } from '../../tools/fakeAws';
import type { DemoReport, ShownKey } from './DemoReport';
import type { SampleAccount } from './sampleAccount';

/** What the demo shows, checked against the sample account's expectations. */
export function checksOf(report: DemoReport, account: SampleAccount, keysBefore: FakeUser): DemoReport['checks'] {
  const checks: DemoReport['checks'] = [];
  for (const user of [...account.users, ...account.deletedUsers]) {
    const result = report.periodic.results.find((candidate) => candidate.userId === user.userId);
    checks.push({
      name: `periodic: ${user.userName} is ${user.expected}`,
      ok: result?.complianceType === user.expected,
      detail: result ? `Config holds ${result.complianceType}` : 'Config holds no result',
    });
  }
  checks.push({
    name: `change: ${account.change.userName} is ${account.change.expected}`,
    ok: report.change.result.complianceType === account.change.expected,
    detail: `Config holds ${report.change.result.complianceType}`,
  });
  const activeBefore = (keysBefore.accessKeys ?? []).filter((key) => key.status === 'Active');
  const mostRecent = [...activeBefore].sort((a, b) => (b.lastUsed?.date?.getTime() ?? 0) - (a.lastUsed?.date?.getTime() ?? 0))[0];
  const statusAfter = (keys: ShownKey[], masked: string) => keys.find((key) => key.accessKeyId === masked)?.status;
  const dryRunUnchanged = activeBefore.every(
    (key) => statusAfter(report.remediation.dryRun.keysAfter, maskAccessKeyId(key.accessKeyId)) === 'Active',
  );
  checks.push({
    name: 'remediation: the dry run changes no key',
    ok: dryRunUnchanged && !report.remediation.dryRun.functionError,
    detail: describeKeys(report.remediation.dryRun.keysAfter),
  });
  const keptActive =
    mostRecent !== undefined && statusAfter(report.remediation.run.keysAfter, maskAccessKeyId(mostRecent.accessKeyId)) === 'Active';
  const othersInactive = activeBefore
    .filter((key) => key !== mostRecent)
    .every((key) => statusAfter(report.remediation.run.keysAfter, maskAccessKeyId(key.accessKeyId)) !== 'Active');
  checks.push({
    name: 'remediation: keeps the most recently used key active and no other',
    ok: !report.remediation.run.functionError && keptActive && othersInactive,
    detail: `most recently used ${mostRecent ? maskAccessKeyId(mostRecent.accessKeyId) : 'none'}; after: ${describeKeys(report.remediation.run.keysAfter)}`,
  });
  for (const [what, run] of [
    ['the dry run', report.remediation.dryRun],
    ['the run', report.remediation.run],
  ] as const) {
    // Without python3 the document's outcome is not known here; the demo says so rather than guess.
    if (run.execution.status === 'Unknown') continue;
    checks.push({
      name: `remediation: the document's execution for ${what} succeeds`,
      ok: run.execution.status === 'Success',
      detail:
        run.execution.status === 'Success'
          ? `outputs ${JSON.stringify(run.execution.outputs).slice(0, 200)}`
          : `Failed: ${run.execution.failureMessage ?? ''}`,
    });
  }
  const lockTable = report.remediation.lockTable;
  checks.push({
    name: 'remediation: the run released its lock on the user',
    ok: lockTable !== undefined && lockTable.itemsAfter === 0,
    detail: lockTable
      ? `${lockTable.itemsAfter} lock(s) left in ${lockTable.name}`
      : 'the remediate function names no lock table (LOCK_TABLE_NAME)',
  });
  return checks;
}

function describeKeys(keys: readonly ShownKey[]): string {
  return keys.map((key) => `${key.accessKeyId} ${key.status}`).join(', ');
}
