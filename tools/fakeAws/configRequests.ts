/** How AWS Config checks a request: its validation errors, page sizes and tokens. */
import { EPOCH_2020 } from './state';
import type { FakeComplianceResult } from './types';
import { ApiError, pageToken, readPageToken } from './wire';

/** The resource type the rule evaluates. */
export const USER_TYPE = 'AWS::IAM::User';

/** Config's ValidationException. */
export function validation(message: string): ApiError {
  return new ApiError(400, 'ValidationException', message);
}

/** A member that fails a constraint, in Config's words. */
export function constraint(value: unknown, member: string, rule: string): ApiError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return validation(`1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${rule}`);
}

/** A required non-empty string parameter. */
export function requiredString(params: Record<string, unknown>, name: string, member = name): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') throw constraint(value, member, 'Member must not be null');
  return value;
}

/** A page size: 0/absent -> `fallback`; above `max` -> InvalidLimitException. */
export function pageSize(value: unknown, member: string, fallback: number, max: number, code = 'InvalidLimitException'): number {
  if (value === undefined || value === null || value === 0) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new ApiError(
      400,
      code,
      `Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  }
  return value;
}

/** Where a page starts: the index a NextToken holds (0 without one). */
export function startOf(token: unknown): number {
  if (token === undefined || token === null || token === '') return 0;
  const index = typeof token === 'string' ? readPageToken(token) : undefined;
  if (index === undefined) throw new ApiError(400, 'InvalidNextTokenException', 'The nextToken provided is invalid');
  return index;
}

/** `items[start, start+size)` and the token of the next page, if any. */
export function paginate<T>(items: readonly T[], start: number, size: number): { page: T[]; next?: string } {
  const end = Math.min(items.length, start + size);
  return { page: items.slice(start, end), next: end < items.length ? pageToken(end) : undefined };
}

/** An EvaluationResult as Config answers it for a result a rule holds. */
export function evaluationResult(ruleName: string, result: FakeComplianceResult): Record<string, unknown> {
  const ordering = result.orderingTimestamp ?? EPOCH_2020;
  return {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: {
        ConfigRuleName: ruleName,
        ResourceType: result.resourceType ?? USER_TYPE,
        ResourceId: result.resourceId,
        EvaluationMode: 'DETECTIVE',
      },
      OrderingTimestamp: ordering,
    },
    ComplianceType: result.complianceType,
    ResultRecordedTime: result.resultRecordedTime ?? ordering,
    ConfigRuleInvokedTime: result.resultRecordedTime ?? ordering,
    ...(result.annotation === undefined ? {} : { Annotation: result.annotation }),
  };
}
