import { MalformedEventError } from './errors';

/**
 * A configuration item in the shape Config puts in change notifications (the "event shape"),
 * which is also what items fetched with GetResourceConfigHistory (the "API shape") are
 * converted to. Only the fields rules use are typed.
 */
export interface ConfigurationItem {
  awsAccountId: string;
  configurationItemCaptureTime: string;
  configurationItemStatus: string;
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  ARN?: string;
  configuration: Record<string, unknown> | null;
  tags: Record<string, string>;
}

/** The fields of an oversized item's summary that the runtime reads. */
export interface ConfigurationItemSummary {
  awsAccountId?: string;
  configurationItemCaptureTime: string;
  configurationItemStatus: string;
  resourceType: string;
  resourceId: string;
  resourceName?: string;
}

/** Statuses of items whose resource no longer exists; rdklib's `is_applicable_status`. */
const DELETED_STATUSES = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded']);

/**
 * Why an item with this status cannot be judged, or undefined when it can.
 * `ResourceNotRecorded` appears for global types in regions that do not record them.
 */
export function unjudgeableStatusReason(status: string): string | undefined {
  if (DELETED_STATUSES.has(status)) return `Resource deleted (${status}): nothing to evaluate.`;
  if (status === 'ResourceNotRecorded') {
    return 'Resource not recorded in this region (ResourceNotRecorded); it is evaluated where global resources are recorded.';
  }
  return undefined;
}

/** Validates an event-shape configuration item from a change notification. */
export function parseEventConfigurationItem(raw: unknown): ConfigurationItem {
  const item = requireObject(raw, 'invokingEvent.configurationItem');
  const where = (field: string) => `invokingEvent.configurationItem.${field}`;
  return {
    awsAccountId: requireString(item.awsAccountId, where('awsAccountId')),
    configurationItemCaptureTime: requireTimestamp(item.configurationItemCaptureTime, where('configurationItemCaptureTime')),
    configurationItemStatus: requireString(item.configurationItemStatus, where('configurationItemStatus')),
    resourceType: requireString(item.resourceType, where('resourceType')),
    resourceId: requireString(item.resourceId, where('resourceId')),
    resourceName: optionalString(item.resourceName, where('resourceName')),
    ARN: optionalString(item.ARN, where('ARN')),
    configuration: optionalObject(item.configuration, where('configuration')),
    tags: parseTags(item.tags, where('tags')),
  };
}

/** Validates the summary of an oversized configuration item. */
export function parseConfigurationItemSummary(raw: unknown): ConfigurationItemSummary {
  const summary = requireObject(raw, 'invokingEvent.configurationItemSummary');
  const where = (field: string) => `invokingEvent.configurationItemSummary.${field}`;
  return {
    awsAccountId: optionalString(summary.awsAccountId, where('awsAccountId')),
    configurationItemCaptureTime: requireTimestamp(summary.configurationItemCaptureTime, where('configurationItemCaptureTime')),
    configurationItemStatus: requireString(summary.configurationItemStatus, where('configurationItemStatus')),
    resourceType: requireString(summary.resourceType, where('resourceType')),
    resourceId: requireString(summary.resourceId, where('resourceId')),
    resourceName: optionalString(summary.resourceName, where('resourceName')),
  };
}

/** An item as `GetResourceConfigHistory` returns it (the SDK's `ConfigurationItem`). */
export interface ApiConfigurationItem {
  accountId?: string;
  configurationItemCaptureTime?: Date;
  configurationItemStatus?: string;
  resourceType?: string;
  resourceId?: string;
  resourceName?: string;
  arn?: string;
  configuration?: string;
  tags?: Record<string, string>;
}

/**
 * Converts an API-shape item to the event shape: `accountId` -> `awsAccountId`, `arn` -> `ARN`,
 * the capture time from a Date to an ISO string, and `configuration` from a JSON string to an object.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationItem.html
 */
export function fromApiConfigurationItem(item: ApiConfigurationItem): ConfigurationItem {
  const where = (field: string) => `GetResourceConfigHistory configurationItems[0].${field}`;
  const captureTime = item.configurationItemCaptureTime;
  if (!(captureTime instanceof Date) || Number.isNaN(captureTime.getTime())) {
    throw new MalformedEventError(`${where('configurationItemCaptureTime')} is missing or not a timestamp`);
  }
  let configuration: Record<string, unknown> | null = null;
  if (item.configuration !== undefined && item.configuration !== null && item.configuration !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(item.configuration);
    } catch (cause) {
      throw new MalformedEventError(`${where('configuration')} is not valid JSON`, { cause });
    }
    configuration = optionalObject(parsed, where('configuration'));
  }
  return {
    awsAccountId: requireString(item.accountId, where('accountId')),
    configurationItemCaptureTime: captureTime.toISOString(),
    configurationItemStatus: requireString(item.configurationItemStatus, where('configurationItemStatus')),
    resourceType: requireString(item.resourceType, where('resourceType')),
    resourceId: requireString(item.resourceId, where('resourceId')),
    resourceName: optionalString(item.resourceName, where('resourceName')),
    ARN: optionalString(item.arn, where('arn')),
    configuration,
    tags: parseTags(item.tags ?? {}, where('tags')),
  };
}

/** The object at `where`, or a MalformedEventError naming it. */
export function requireObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedEventError(`${where} must be an object`);
  }
  return value as Record<string, unknown>;
}

/** The non-empty string at `where`, or a MalformedEventError naming it. */
export function requireString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new MalformedEventError(`${where} must be a non-empty string`);
  }
  return value;
}

/**
 * A full ISO 8601 date and time with its zone, as Config writes them (2026-11-20T08:15:00.123Z).
 * Date.parse alone takes "7" (the year 2001) and zone-less times (local time).
 */
const ISO_8601_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A valid ISO 8601 timestamp at `where`, normalised, or a MalformedEventError naming it. */
export function requireTimestamp(value: unknown, where: string): string {
  const text = requireString(value, where);
  const time = ISO_8601_TIMESTAMP.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(time)) throw new MalformedEventError(`${where} is not an ISO 8601 timestamp with a time zone: ${JSON.stringify(text)}`);
  return new Date(time).toISOString();
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new MalformedEventError(`${where} must be a string`);
  return value;
}

function optionalObject(value: unknown, where: string): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  return requireObject(value, where);
}

function parseTags(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const tags = requireObject(value, where);
  for (const [key, tagValue] of Object.entries(tags)) {
    if (typeof tagValue !== 'string') throw new MalformedEventError(`${where}.${key} must be a string`);
  }
  return tags as Record<string, string>;
}
