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
  constructor(
    readonly api: string,
    readonly subject: string,
    options: { cause: unknown },
  ) {
    super(`${api} failed for ${subject}: ${describeCause(options.cause)}`, options);
    this.name = 'AwsCallError';
  }
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

/** `Name: message` of an error-like value, for messages that name their cause. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
