import { isDeepStrictEqual } from 'node:util';
import type { RunSummary } from '../../src/config/createRuleHandler';
import { RULE_METRICS } from '../../src/config/ruleMetrics';
import { maskAccessKeyId } from '../../src/iam-user-single-access-key/maskAccessKeyId';
import type { FakeUser } from '../../tools/fakeAws';
import { emfValues } from '../../tools/lambda/emfDocuments';
import type { DemoReport, ShownInvocation, ShownKey } from './DemoReport';
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
  const periodicSummary = report.periodic.invocation.payload as RunSummary;
  checks.push(
    metricsCheck('periodic', report.periodic.invocation, report.rule.configRuleName, {
      [RULE_METRICS.sweep.completed]: 1,
      [RULE_METRICS.sweep.judged]: periodicSummary.sweep?.judged,
      [RULE_METRICS.sweep.nonCompliant]: periodicSummary.sweep?.nonCompliant,
      [RULE_METRICS.sweep.recorded]: periodicSummary.recorded,
      [RULE_METRICS.sweep.unchanged]: periodicSummary.unchanged,
      [RULE_METRICS.sweep.throttledCalls]: periodicSummary.sweep?.throttledCalls,
      [RULE_METRICS.sweep.durationSeconds]: periodicSummary.sweep?.elapsedSeconds,
    }),
  );
  checks.push({
    name: `change: ${account.change.userName} is ${account.change.expected}`,
    ok: report.change.result.complianceType === account.change.expected,
    detail: `Config holds ${report.change.result.complianceType}`,
  });
  checks.push(
    metricsCheck('change', report.change.invocation, report.rule.configRuleName, {
      [RULE_METRICS.change.recorded]: (report.change.invocation.payload as RunSummary).recorded,
      [RULE_METRICS.change.failed]: 0,
    }),
  );
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

/** The invocation printed one EMF document, of the rule's namespace and one dimension (the rule's name), whose figures are `expected`. */
function metricsCheck(
  what: string,
  invocation: ShownInvocation,
  configRuleName: string,
  expected: Record<string, unknown>,
): DemoReport['checks'][number] {
  const name = `${what}: one EMF document whose figures equal the run summary's counts`;
  if (invocation.metrics.length !== 1) return { name, ok: false, detail: `${invocation.metrics.length} EMF documents printed` };
  const [document] = invocation.metrics;
  const directives = document._aws.CloudWatchMetrics.map(({ Namespace, Dimensions }) => ({ Namespace, Dimensions }));
  const values = emfValues(document);
  return {
    name,
    ok:
      isDeepStrictEqual(directives, [{ Namespace: RULE_METRICS.namespace, Dimensions: [[RULE_METRICS.dimension]] }]) &&
      document[RULE_METRICS.dimension] === configRuleName &&
      isDeepStrictEqual(values, expected),
    detail: `${JSON.stringify(directives)} ${RULE_METRICS.dimension}=${String(document[RULE_METRICS.dimension])}: ${JSON.stringify(values)}; expected ${JSON.stringify(expected)}`,
  };
}

function describeKeys(keys: readonly ShownKey[]): string {
  return keys.map((key) => `${key.accessKeyId} ${key.status}`).join(', ');
}
