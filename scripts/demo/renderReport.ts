import { type EmfDocument, emfValues } from '../../tools/lambda/emfDocuments';
import type { DemoReport, RemediationRun, ShownExecution, ShownInvocation, ShownKey, ShownResult } from './DemoReport';

/** The first line of the demo's text output. */
export const DEMO_TITLE = 'iam-user-single-access-key demo: the packaged rule and remediation against a sample account';

/** The demo's report as text for a person, one line per string (after DEMO_TITLE and the progress lines). */
export function renderReport(report: DemoReport): string[] {
  const out: string[] = [];
  const section = (title: string) => out.push('', title, '-'.repeat(Math.min(title.length, 100)));
  const zips = Object.entries(report.package.zipBytes)
    .map(([zip, bytes]) => `${zip} ${Math.round(bytes / 1024)} KiB`)
    .join(', ');

  out.push(
    `AWS stand-in: ${report.endpoint} (loopback only, account ${report.accountId}, dummy credentials; nothing reaches AWS)`,
    `Package:      ${report.package.directory}/ (${report.package.packagedNow ? 'packaged now' : 'up to date, reused'}): ${zips}`,
    `Rule:         ${report.rule.configRuleName}, InputParameters ${JSON.stringify(report.rule.inputParameters)}`,
  );

  section(
    `Sample account: ${report.sampleAccount.users.length} IAM users, ${report.sampleAccount.deletedUsers.length} deleted since the last run`,
  );
  out.push(
    ...table(
      ['user', 'path', 'case', 'access keys (ids masked)'],
      [
        ...report.sampleAccount.users.map((user) => [user.userName, user.path, user.case, keysText(user.keys) || 'none']),
        ...report.sampleAccount.deletedUsers.map((user) => [
          user.userName,
          '-',
          user.case,
          `none (Config holds ${user.storedResult.complianceType})`,
        ]),
      ],
    ),
  );

  section(`1. Periodic evaluation: ScheduledNotification (every ${report.rule.maximumExecutionFrequency ?? '?'} once deployed)`);
  out.push(
    invocationLine(report.periodic.invocation),
    `What AWS Config now holds for the rule (${report.periodic.evaluationsRecorded} evaluations recorded):`,
    '',
  );
  out.push(...resultsTable(report.periodic.results));
  const counts = report.periodic.counts;
  out.push('', `${counts.COMPLIANT} COMPLIANT, ${counts.NON_COMPLIANT} NON_COMPLIANT, ${counts.NOT_APPLICABLE} NOT_APPLICABLE`);
  out.push(
    '',
    `Metrics: the sweep printed ${report.periodic.invocation.metrics.length} EMF document(s); CloudWatch Logs makes them metrics, with no API call (docs/monitoring.md):`,
    ...report.periodic.invocation.metrics.flatMap((document) => [`  ${metricsText(document)}`, `  ${JSON.stringify(document)}`]),
  );

  section(`2. Change notification: ConfigurationItemChangeNotification for ${report.change.userName}`);
  out.push(
    `${report.change.userName} changed: ${report.change.what}. Config sends the new configuration item; the rule judges that one user.`,
    '(Creating or deleting an access key changes no configuration item: the periodic run is what finds a second key.)',
    invocationLine(report.change.invocation),
    ...report.change.invocation.metrics.map((document) => `Metrics: ${metricsText(document)}`),
    '',
    ...resultsTable([report.change.result]),
  );

  const remediation = report.remediation;
  section(`3. Remediation of ${remediation.userName}: SSM document ${remediation.document}, run as Automation would`);
  out.push(
    `Parameters as Config passes them: ${Object.entries(remediation.parameters)
      .map(([name, value]) => `${name}=${value === '' ? '""' : value}`)
      .join(', ')}`,
    `Keys before:  ${keysText(remediation.keysBefore)}`,
    '',
    ...runLines('Dry run (DryRun=true)', remediation.dryRun),
    '',
    ...runLines('Run', remediation.run),
    ...(remediation.lockTable
      ? [
          `  Lock on the user: the table ${remediation.lockTable.name} (PutItem to take it, DeleteItem to release it) holds ${remediation.lockTable.itemsAfter} lock(s) afterwards`,
        ]
      : []),
  );

  const failed = report.checks.filter((check) => !check.ok);
  section('Checks against the sample account');
  out.push(
    failed.length === 0
      ? `All ${report.checks.length} expected outcomes seen.`
      : `${failed.length} of ${report.checks.length} checks FAILED:`,
  );
  for (const check of failed) out.push(`  FAILED ${check.name}: ${check.detail}`);

  section('4. Next');
  out.push(...report.next);
  return out;
}

function runLines(title: string, run: RemediationRun): string[] {
  const answer = run.answer as { summary?: string; errorType?: string; errorMessage?: string } | null;
  return [
    `${title}: Payload ${JSON.stringify(run.payload)}`,
    `  ${invocationLine(run.invocation)}`,
    run.functionError
      ? `  FunctionError ${run.functionError}: ${answer?.errorType ?? ''}: ${answer?.errorMessage ?? ''}`
      : `  Answer (the step's Payload): ${answer?.summary ?? JSON.stringify(run.answer)}`,
    ...executionLines(run.execution),
    `  Keys after: ${keysText(run.keysAfter)}`,
  ];
}

/** The steps after the invoke step, then the execution's status as Automation (and Config) would show it. */
function executionLines(execution: ShownExecution): string[] {
  if (execution.status === 'Unknown') return [`  Execution: not known here: ${execution.failureMessage ?? ''}`];
  const steps = execution.steps
    .filter((step) => step.action !== 'aws:invokeLambdaFunction')
    .map(
      (step) =>
        `  ${step.name} (${step.action}${step.python ? `, run by local Python ${step.python}` : ''}): ${step.status}${step.failureMessage ? `: ${step.failureMessage}` : ''}`,
    );
  const outcome = Object.entries(execution.outputs).find(([name]) => name.endsWith('.Outcome'));
  const status =
    execution.status === 'Success'
      ? `  Execution: Success${outcome ? ` (${outcome[0]} ${String(outcome[1])})` : ''}`
      : `  Execution: Failed, as Config would show it: ${execution.failureMessage ?? ''}`;
  return [...steps, status];
}

/** An EMF document's namespace, dimensions and values, in a line. */
function metricsText(document: EmfDocument): string {
  const directives = document._aws.CloudWatchMetrics.map(
    ({ Namespace, Dimensions }) =>
      `${Namespace} by ${Dimensions.map((set) => set.map((name) => `${name}=${String(document[name])}`).join(',')).join('; ')}`,
  );
  const values = Object.entries(emfValues(document)).map(([name, value]) => `${name} ${String(value)}`);
  return `${directives.join('; ')}: ${values.join(', ')}`;
}

function invocationLine(invocation: ShownInvocation): string {
  const calls = Object.entries(invocation.calls)
    .map(([action, count]) => `${action} ${count}`)
    .join(', ');
  const outcome = invocation.functionError ? `FunctionError ${invocation.functionError}` : 'succeeded';
  return `${invocation.function} (process ${invocation.pid}) ${outcome} in ${(invocation.durationMs / 1000).toFixed(2)} s; calls: ${calls || 'none'}`;
}

function resultsTable(results: readonly ShownResult[]): string[] {
  return table(
    ['user', 'resource id', 'compliance', 'annotation'],
    results.map((result) => [result.userName, result.userId, result.complianceType, result.annotation ?? '']),
  );
}

function keysText(keys: readonly ShownKey[]): string {
  return keys.map((key) => `${key.accessKeyId} ${key.status} (created ${key.created}, last used ${key.lastUsed})`).join('; ');
}

/** Rows padded into columns; the last column is never padded or cut. */
function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return all.map(line);
}
