/**
 * CSV per RFC 4180: a header row, then one row per record; a field holding a comma, a double quote
 * or a line break is quoted, its quotes doubled. Written here rather than taken from a library:
 * these few lines are the whole of what the CLI needs, and the Lambda bundles never see them.
 * https://www.rfc-editor.org/rfc/rfc4180
 */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
