import { InvalidRemediationRequestError } from './errors';
import { DEFAULT_REMEDIATION_ACTION, REMEDIATION_ACTIONS, type RemediationAction } from './RemediationAction';

/** The remediation function's input, parsed: the SSM document's parameters. */
export interface RemediationRequest {
  /** The IAM user id (`AIDA…`) Config passes as RESOURCE_ID. */
  iamResourceId: string;
  /** Active keys to keep; undefined: follow the Config rule's current parameters. */
  maxAccessKeys?: number;
  action: RemediationAction;
  /** Change nothing; return the plan. */
  dryRun: boolean;
  /** The Automation execution that invoked the function, for the logs. */
  automationExecutionId?: string;
}

/**
 * An IAM user's unique id: `AIDA` then upper-case letters and digits, 16 to 128 characters in
 * all (IAM's id constraints). The SSM document's `allowedPattern` is the same expression.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
export const IAM_USER_ID_PATTERN = /^AIDA[A-Z0-9]{12,124}$/;

const FIELDS = ['IAMResourceId', 'MaxAccessKeys', 'Action', 'DryRun', 'AutomationExecutionId'];

/**
 * Parses the payload the SSM document sends. Automation substitutes `{{ Parameter }}` as text,
 * so the document quotes every value: numbers and booleans arrive as strings or, from a hand-made
 * payload, as JSON numbers and booleans; both are taken. Anything else, and any unknown field
 * (a misspelt `DryRun` must not mean a live run), is an error naming the field.
 */
export function parseRemediationRequest(raw: unknown): RemediationRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidRemediationRequestError('(payload)', `expected a JSON object, got ${describe(raw)}`);
  }
  const payload = raw as Record<string, unknown>;
  for (const field of Object.keys(payload)) {
    if (!FIELDS.includes(field)) throw new InvalidRemediationRequestError(field, `unknown field; the function takes ${FIELDS.join(', ')}`);
  }
  const iamResourceId = payload.IAMResourceId;
  if (typeof iamResourceId !== 'string' || !IAM_USER_ID_PATTERN.test(iamResourceId)) {
    throw new InvalidRemediationRequestError('IAMResourceId', `expected an IAM user id (AIDA…), got ${describe(iamResourceId)}`);
  }
  const request: RemediationRequest = {
    iamResourceId,
    action: payload.Action === undefined ? DEFAULT_REMEDIATION_ACTION : action(payload.Action),
    dryRun: payload.DryRun === undefined ? false : boolean(payload.DryRun),
  };
  // The document's default is empty: the function then reads the rule's own parameters.
  if (payload.MaxAccessKeys !== undefined && payload.MaxAccessKeys !== '') request.maxAccessKeys = positiveInteger(payload.MaxAccessKeys);
  const executionId = payload.AutomationExecutionId;
  if (executionId !== undefined) {
    if (typeof executionId !== 'string' || !/^[\w-]{1,64}$/.test(executionId)) {
      throw new InvalidRemediationRequestError('AutomationExecutionId', `expected an execution id, got ${describe(executionId)}`);
    }
    request.automationExecutionId = executionId;
  }
  return request;
}

function positiveInteger(value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new InvalidRemediationRequestError('MaxAccessKeys', `expected a whole number of at least 1, got ${describe(value)}`);
  }
  return number;
}

function action(value: unknown): RemediationAction {
  const found = REMEDIATION_ACTIONS.find((candidate) => candidate === value);
  if (!found) throw new InvalidRemediationRequestError('Action', `expected ${REMEDIATION_ACTIONS.join(' or ')}, got ${describe(value)}`);
  return found;
}

function boolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw new InvalidRemediationRequestError('DryRun', `expected true or false, got ${describe(value)}`);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
