import Table from 'cli-table3';
import type { AuditReport } from './audit';
import { toCsv } from './csv';
import type { PlanReport } from './plan';
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

/**
 * The plan in `format`: every NON_COMPLIANT user, one row per key with what the remediation would
 * do to it and why (CSV and table); a user it would leave as it is says why, and what would help.
 */
export function renderPlan(report: PlanReport, format: Format, width = DEFAULT_WIDTH): string {
  if (format === 'json') return json(report);
  if (format === 'csv') {
    return toCsv(
      ['userName', 'userId', 'arn', 'outcome', 'accessKeyId', 'status', 'createDate', 'lastUsed', 'change', 'reason'],
      report.users.flatMap((user) =>
        // A user without a key left (deleted since it was judged) still has its row.
        (user.keys.length > 0 ? user.keys : [undefined]).map((key) => [
          user.userName,
          user.userId,
          user.arn,
          user.outcome,
          key?.accessKeyId,
          key?.status,
          key?.createDate,
          key?.lastUsed,
          key?.change ?? 'none',
          key?.reason ?? user.summary,
        ]),
      ),
    );
  }
  if (report.users.length === 0)
    return `Account ${report.accountId}: no IAM user is NON_COMPLIANT; the remediation would change nothing.\n`;
  const userWidth = columnWidth(
    report.users.map((user) => user.userName),
    'User',
    40,
  );
  const widths = [userWidth, 12, 10, LAST_USED_WIDTH, 20];
  const table = newTable(['User', 'Access key', 'Status', 'Last used (UTC)', 'Change', 'Why'], [...widths, rest(width, widths, 6)]);
  for (const user of report.users) {
    // What the remediation would do for a user it leaves as it is, and what would help, above its keys.
    if (user.outcome !== 'change') table.push([user.userName, { colSpan: 5, content: user.summary }]);
    for (const key of user.keys) {
      table.push([user.userName, key.accessKeyId, key.status, lastUsedText(key.lastUsed), key.change, key.reason]);
    }
  }
  return `${table.toString()}\n${planFooter(report)}\n`;
}

/** The plan's last line: how many NON_COMPLIANT users, and what the remediation would do for each kind. */
function planFooter(report: PlanReport): string {
  const { counts, action } = report;
  const total = report.users.length;
  const parts = [`${counts.change} to change with Action=${action}`];
  if (counts['cannot-comply'] > 0)
    parts.push(
      `${counts['cannot-comply']} that Action=${action} cannot bring within the limit (countInactiveKeys=true: only Action=Delete can)`,
    );
  if (counts['within-limit'] > 0) parts.push(`${counts['within-limit']} within the limit now (keys changed since judged)`);
  if (counts.gone > 0) parts.push(`${counts.gone} deleted since judged`);
  return `Account ${report.accountId}: ${total} NON_COMPLIANT user${total === 1 ? '' : 's'}: ${parts.join('; ')}. Nothing was changed.`;
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

/** `YYYY-MM-DD HH:MM:SS`: to the second, as the answer gives it (the Why column says what decided between two keys). */
function lastUsedText(lastUsed: string | undefined): string {
  if (lastUsed === undefined) return '-';
  return lastUsed === 'never' ? 'never' : lastUsed.slice(0, 19).replace('T', ' ');
}

const LAST_USED_WIDTH = 'YYYY-MM-DD HH:MM:SS'.length + 2;

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
