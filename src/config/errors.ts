import type { SweepProgress } from './SweepProgress';

/** The invocation event is not a Config rule event this runtime understands. */
export class MalformedEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`Malformed Config rule event: ${message}`, options);
    this.name = 'MalformedEventError';
  }
}

/** A rule parameter (Config InputParameters) is unknown or has a malformed value. */
export class InvalidParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`Invalid rule parameter "${parameter}": ${message}`);
    this.name = 'InvalidParameterError';
  }
}

/**
 * A call to AWS failed (after the SDK's retries): names the API (`iam:ListAccessKeys`) and what it
 * was called for (`IAM user alice`, `a batch of 100 evaluation(s) of rule r`). Judging a resource,
 * reporting to Config, assuming a role's session, reading an aggregator: whatever the call was for,
 * nothing is concluded from it.
 */
export class AwsCallError extends Error {
  /** `abortSignal`: the signal the call was sent with; when it aborted the call, its reason says why. */
  constructor(
    readonly api: string,
    readonly subject: string,
    options: { cause: unknown; abortSignal?: AbortSignal | undefined },
  ) {
    const cause = withAbortReason(options.cause, options.abortSignal);
    super(`${api} failed for ${subject}: ${describeCause(cause)}`, { cause });
    this.name = 'AwsCallError';
  }
}

/**
 * An AbortError of a call whose signal aborted with a reason, given that reason as its cause: the
 * SDK's HTTP handler keeps it, but its retry middleware's wait between attempts drops it.
 */
function withAbortReason(error: unknown, signal: AbortSignal | undefined): unknown {
  if (!(error instanceof Error) || error.name !== 'AbortError' || error.cause !== undefined) return error;
  if (!signal?.aborted || !(signal.reason instanceof Error)) return error;
  return Object.assign(new Error(error.message, { cause: signal.reason }), { name: 'AbortError' });
}

/** Config did not accept some evaluations, even after resubmitting them. */
export class EvaluationsRejectedError extends Error {
  constructor(readonly resourceIds: string[]) {
    const shown = resourceIds.slice(0, 10).join(', ');
    const more = resourceIds.length > 10 ? ` and ${resourceIds.length - 10} more` : '';
    super(`config:PutEvaluations rejected ${resourceIds.length} evaluation(s) after resubmission: ${shown}${more}`);
    this.name = 'EvaluationsRejectedError';
  }
}

/** The execution role in the evaluated account could not be assumed. */
export class ExecutionRoleError extends Error {
  /** The account of the role (organization deployments run in many). */
  readonly accountId: string;

  constructor(
    readonly roleArn: string,
    options: { cause: unknown },
  ) {
    const accountId = roleArn.split(':')[4] ?? '';
    super(`sts:AssumeRole failed for execution role ${roleArn} in account ${accountId}: ${describeCause(options.cause)}`, options);
    this.name = 'ExecutionRoleError';
    this.accountId = accountId;
  }
}

/** A run the Lambda timeout cut off: resources left unjudged, or evaluations Config had not accepted yet. */
export class DeadlineExceededError extends Error {
  /** How far a periodic run got, when one was cut off. */
  readonly progress?: SweepProgress;

  constructor(message: string, options?: ErrorOptions & { progress?: SweepProgress }) {
    super(message, options);
    this.name = 'DeadlineExceededError';
    if (options?.progress) this.progress = options.progress;
  }
}

/**
 * A run failed, and reporting what it had judged before the failure failed as well: the first
 * error is the message and the `cause`, the reporting error is kept in `errors` and in
 * `reportingError` (which the logger prints with its own cause).
 */
export class FailedAndUnreportedError extends AggregateError {
  readonly reportingError: unknown;

  constructor(failure: unknown, reportingError: unknown) {
    super(
      [failure, reportingError],
      `${failure instanceof Error ? failure.message : String(failure)} (then reporting the evaluations judged before it failed too: ${describeCause(reportingError)})`,
      { cause: failure },
    );
    this.name = 'FailedAndUnreportedError';
    this.reportingError = reportingError;
  }
}

/**
 * `Name: message` of an error-like value, for messages that name their cause. An answer the SDK
 * could not read as the service's (an endpoint that does not implement the API, a proxy's error
 * page) is said as such, with its HTTP status and content type, instead of the SDK's advice to
 * inspect a hidden field.
 */
export function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // The SDK's AbortError says only "Request aborted"; the signal's reason, its cause, says why.
  if (cause.name === 'AbortError' && cause.cause instanceof Error) return `${cause.name}: ${cause.message} (${describeCause(cause.cause)})`;
  return unreadableAnswer(cause) ?? `${cause.name}: ${cause.message}`;
}

/** Whether an error is the SDK's on an answer it could not read as the service's response. */
export function isUnreadableAnswer(error: unknown): boolean {
  return error instanceof Error && unreadableAnswer(error) !== undefined;
}

/** The SDK's hint on a response it could not deserialize, which it appends to the error's message. */
const DESERIALIZATION_HINT =
  /\s*Deserialization error: to see the raw response, inspect the hidden field \{error\}\.\$response on this object\.?/;

/** What an error of a response the SDK could not deserialize says, or undefined for any other error. */
function unreadableAnswer(error: Error): string | undefined {
  const response = (error as { $response?: { statusCode?: number; headers?: Record<string, string> } }).$response;
  if (!response || !DESERIALIZATION_HINT.test(error.message)) return undefined;
  const contentType = Object.entries(response.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const what = [response.statusCode === undefined ? undefined : `HTTP ${response.statusCode}`, contentType].filter(Boolean).join(', ');
  const reason = `${error.name}: ${error.message.replace(DESERIALIZATION_HINT, '')}`;
  return `the endpoint's answer${what ? ` (${what})` : ''} is not a response of this API (${reason})`;
}

/** An error and each of its causes in turn (at most 10: a cycle of causes ends there). */
export function* causesOf(error: unknown): Generator<unknown> {
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 10; depth += 1) {
    yield current;
    current = current instanceof Error ? current.cause : undefined;
  }
}
