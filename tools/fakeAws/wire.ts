/** Wire helpers of the fake AWS endpoint: errors, XML, JSON, pagination tokens. */

/** An error answered to the client in the protocol of its service; `fields` go into a JSON error body beside the message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** awsQuery ValidationError (IAM/STS request constraint violations). */
export function queryValidation(message: string): ApiError {
  return new ApiError(400, 'ValidationError', message);
}

/** Escapes text for an XML element. */
function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** ISO 8601 as IAM/STS send it: whole seconds without ".000". */
function isoDate(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** `<name>text</name>`, or '' when value is undefined. */
export function el(name: string, value: string | number | boolean | Date | undefined): string {
  if (value === undefined) return '';
  const text = value instanceof Date ? isoDate(value) : esc(String(value));
  return `<${name}>${text}</${name}>`;
}

/** `<name><member>..</member>...</name>`: an awsQuery list (empty -> `<name/>`). */
export function list<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  if (items.length === 0) return `<${name}/>`;
  let out = `<${name}>`;
  for (const item of items) out += `<member>${render(item)}</member>`;
  return `${out}</${name}>`;
}

/** The awsQuery success envelope; `result` undefined for operations with no output. */
export function queryResponse(action: string, xmlns: string, requestId: string, result: string | undefined): string {
  const body = result === undefined ? '' : `<${action}Result>${result}</${action}Result>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** The awsQuery error envelope (Type Sender for 4xx, Receiver for 5xx). */
export function queryError(xmlns: string, requestId: string, error: ApiError): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type>` +
    `${el('Code', error.code)}${el('Message', error.message)}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/** JSON with Dates as epoch seconds, the awsJson timestamp format. */
export function toAwsJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

/** A Date from an awsJson timestamp (epoch seconds) or a Date; undefined otherwise. */
export function fromEpoch(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(Math.round(value * 1000));
  return undefined;
}

/** An opaque pagination token for position `index`. */
export function pageToken(index: number): string {
  return Buffer.from(`fakeaws:${index}`).toString('base64url');
}

/** The position a pageToken stands for, or undefined when it is not one of ours. */
export function readPageToken(token: string): number | undefined {
  const match = /^fakeaws:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  return match ? Number(match[1]) : undefined;
}

/** IAM's MaxItems: integer 1..1000, default 100. */
export function maxItems(raw: string | undefined): number {
  if (raw === undefined) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw queryValidation(
      `1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: ` +
        `Member must have value ${n < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`,
    );
  }
  return n;
}

/** IAM's Marker: a start index (0 when absent). */
export function marker(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const index = readPageToken(raw);
  if (index === undefined) throw queryValidation('Invalid Marker.');
  return index;
}

/** `<IsTruncated>` and `<Marker>` for a page that ended at `end` of `total`. */
export function truncation(end: number, total: number): string {
  return end < total ? `<IsTruncated>true</IsTruncated>${el('Marker', pageToken(end))}` : '<IsTruncated>false</IsTruncated>';
}
