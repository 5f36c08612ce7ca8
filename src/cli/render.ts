import Table from 'cli-table3';
import type { AuditReport } from './audit';
import { toCsv } from './csv';
import type { PlannedUser, PlanReport } from './plan';
import type { SummaryReport } from './summary';

/** The output formats, the first being the default on a terminal. */
export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** `table` when stdout is a terminal (a person reads it), `json` otherwise (a program does). */
export function defaultFormat(stdoutIsTerminal: boolean): Format {
  return stdoutIsTerminal ? 'table' : 'json';
}

/** Width the tables are fitted to when stdout is not a terminal. */
const DEFAULT_WIDTH = 120;

/** The audit in `format`. */
export function renderAudit(report: AuditReport, format: Format, width = DEFAULT_WIDTH): string {
  if (format === 'json') return json(report);
  if (format === 'csv') {
    return toCsv(
      ['userName', 'userId', 'arn', 'complianceType', 'annotation'],
      report.users.map((user) => [user.userName, user.userId, user.arn, user.complianceType, user.annotation]),
    );
  }
  const userWidth = columnWidth(
    report.users.map((user) => user.userName),
    'User',
    40,
  );
  const resultWidth = 'NOT_APPLICABLE'.length + 2;
  const table = newTable(['User', 'Result', 'Annotation'], [userWidth, resultWidth, rest(width, [userWidth, resultWidth], 3)]);
  for (const user of report.users) table.push([user.userName, user.complianceType, user.annotation]);
  const { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE } = report.counts;
  const total = report.users.length;
  const footer =
    `Account ${report.accountId}: ${total} IAM user${total === 1 ? '' : 's'}, ` +
    `${NON_COMPLIANT} NON_COMPLIANT, ${COMPLIANT} COMPLIANT, ${NOT_APPLICABLE} NOT_APPLICABLE.`;
  return total === 0 ? `Account ${report.accountId} has no IAM users.\n` : `${table.toString()}\n${footer}\n`;
}

/** The plan in `format`: one row per key of each NON_COMPLIANT user (CSV and table). */
export function renderPlan(report: PlanReport, format: Format): string {
  if (format === 'json') return json(report);
  const rows = report.users.flatMap((user) => planRows(user));
  if (format === 'csv') {
    return toCsv(
      ['userName', 'userId', 'arn', 'accessKeyId', 'status', 'createDate', 'lastUsed', 'change'],
      rows.map(({ user, key, change }) => [
        user.userName,
        user.userId,
        user.arn,
        key.accessKeyId,
        key.status,
        key.createDate,
        key.lastUsed,
        change,
      ]),
    );
  }
  if (report.users.length === 0)
    return `Account ${report.accountId}: no IAM user is NON_COMPLIANT; the remediation would change nothing.\n`;
  const userWidth = columnWidth(
    report.users.map((user) => user.userName),
    'User',
    40,
  );
  const table = newTable(['User', 'Access key', 'Status', 'Last used (UTC)', 'Change'], [userWidth, 12, 10, 18, 20]);
  for (const { user, key, change } of rows) table.push([user.userName, key.accessKeyId, key.status, lastUsedText(key.lastUsed), change]);
  const changing = report.users.filter((user) => user.deactivate.length + user.delete.length > 0).length;
  const footer = `Account ${report.accountId}: ${report.users.length} NON_COMPLIANT user${report.users.length === 1 ? '' : 's'}, ${changing} to change with Action=${report.action}. Nothing was changed.`;
  return `${table.toString()}\n${footer}\n`;
}

/** The summary in `format`; the table shows regions only when there are several. */
export function renderSummary(report: SummaryReport, format: Format): string {
  if (format === 'json') return json(report);
  if (format === 'csv') {
    return toCsv(
      ['accountId', 'awsRegion', 'configRuleName', 'COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'total'],
      report.accounts.map((a) => [a.accountId, a.awsRegion, a.configRuleName, a.COMPLIANT, a.NON_COMPLIANT, a.NOT_APPLICABLE, a.total]),
    );
  }
  const regions = new Set(report.accounts.map((account) => account.awsRegion)).size > 1;
  const head = ['Account', ...(regions ? ['Region'] : []), 'Non-compliant', 'Compliant', 'Not applicable', 'Total'];
  const table = new Table({
    head,
    style: { head: [], border: [], compact: true },
    colAligns: ['left', ...(regions ? ['left' as const] : []), 'right', 'right', 'right', 'right'],
  });
  for (const a of report.accounts)
    table.push([a.accountId, ...(regions ? [a.awsRegion] : []), a.NON_COMPLIANT, a.COMPLIANT, 'n/a', a.total]);
  const c = report.counts;
  table.push(['All accounts', ...(regions ? [''] : []), c.NON_COMPLIANT, c.COMPLIANT, 'n/a', c.total]);
  return (
    `${table.toString()}\n` +
    `Rule ${report.rule} in aggregator ${report.aggregator}. Not applicable: n/a, an aggregator keeps COMPLIANT and NON_COMPLIANT results only.\n`
  );
}

/** Each key of a planned user with what the remediation would do to it. */
function planRows(user: PlannedUser) {
  const deactivated = new Set(user.deactivate.map((key) => key.accessKeyId));
  const deleted = new Set(user.delete.map((key) => key.accessKeyId));
  const keys = [...user.keep, ...user.deactivate, ...user.delete.filter((key) => !deactivated.has(key.accessKeyId))];
  return keys.map((key) => {
    const change = user.keep.includes(key)
      ? 'keep'
      : deactivated.has(key.accessKeyId)
        ? deleted.has(key.accessKeyId)
          ? 'deactivate, delete'
          : 'deactivate'
        : 'delete';
    return { user, key, change };
  });
}

function lastUsedText(lastUsed: string | undefined): string {
  if (lastUsed === undefined) return '-';
  return lastUsed === 'never' ? 'never' : lastUsed.slice(0, 16).replace('T', ' ');
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function newTable(head: string[], colWidths: number[]) {
  // Compact: no rule between rows, so a long account stays readable; wrapped lines have no user.
  return new Table({ head, colWidths, wordWrap: true, style: { head: [], border: [], compact: true } });
}

/** A column as wide as its widest value (and its heading) plus padding, at most `max`. */
function columnWidth(values: readonly string[], heading: string, max: number): number {
  return Math.min(max, Math.max(heading.length, ...values.map((value) => value.length)) + 2);
}

/** What is left of `width` for the last column, after the others and the borders. */
function rest(width: number, others: readonly number[], columns: number): number {
  return Math.max(30, width - others.reduce((sum, w) => sum + w, 0) - (columns + 1));
}
