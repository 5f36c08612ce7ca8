import { describeCause, InvalidParameterError } from '../../config/errors';
import { describeHolder, type LockHolder } from './LockHolder';

/** The remediation payload is malformed or asks for something this deployment does not allow. */
export class InvalidRemediationRequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`Invalid remediation request field "${field}": ${message}. Nothing was changed.`);
    this.name = 'InvalidRemediationRequestError';
  }
}

/**
 * The function's deployment is broken: an environment variable the stack sets is missing or
 * malformed. Not the request's fault; every run fails alike until the stack is deployed again.
 */
export class DeploymentConfigurationError extends Error {
  constructor(
    readonly variable: string,
    expected: string,
    got: string | undefined,
  ) {
    super(`Environment variable ${variable} must ${expected} (the stack sets it), got ${JSON.stringify(got)}`);
    this.name = 'DeploymentConfigurationError';
  }
}

/** No IAM user has the id the remediation was asked to fix. */
export class UnknownIamUserError extends Error {
  constructor(
    readonly userId: string,
    reason: string,
  ) {
    super(`No IAM user with id ${userId}: ${reason}. Nothing was changed.`);
    this.name = 'UnknownIamUserError';
  }
}

/**
 * Someone else changed the user or its keys while this run was working on it: the run stopped
 * rather than act on what it read before.
 */
export class ConcurrentChangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConcurrentChangeError';
  }
}

/** Another remediation run holds the lock on this user (RemediationLockTable), or took it at the same moment. */
export class RemediationInProgressError extends Error {
  constructor(
    readonly user: string,
    readonly resourceId: string,
    readonly table: string,
    /** The holder, as its item says; undefined when DynamoDB returned no item. */
    readonly holder: LockHolder | undefined,
  ) {
    const until = holder?.expiresAt
      ? `until ${holder.expiresAt.toISOString()}, when its lock expires`
      : 'with a lock that names no expiry (not written by a remediation run: delete the item)';
    super(
      `${user} (${resourceId}) is being remediated by ${holder ? describeHolder(holder) : 'another run'} ${until} (remediation lock table ${table}); run again after that`,
    );
    this.name = 'RemediationInProgressError';
  }
}

/**
 * A run failed after taking the lock on a user, and releasing the lock failed too: the message is
 * the failure's, followed by what became of the lock (it expires by itself); `cause` is the failure.
 */
export class LockNotReleasedError extends Error {
  constructor(failure: unknown, lockNote: string) {
    super(`${failure instanceof Error ? failure.message : String(failure)} ${lockNote}`, { cause: failure });
    this.name = 'LockNotReleasedError';
  }
}

/** One change the remediation planned and could not make. */
export interface FailedChange {
  /** `reactivate`: undoing this run's own deactivation after a kept key was taken away. */
  change: 'deactivate' | 'delete' | 'reactivate';
  /** Masked access key id. */
  accessKeyId: string;
  /** Why; `skipped` when an earlier failure made it unsafe to try. */
  reason: string;
}

/**
 * The remediation failed: before any change (`done` empty), or part-way, with what was done and
 * what was not, so a person knows the state the user was left in.
 */
export class RemediationError extends Error {
  constructor(
    readonly user: string,
    readonly done: readonly string[],
    readonly notDone: readonly FailedChange[],
    options?: { cause: unknown },
  ) {
    super(remediationErrorMessage(user, done, notDone, options?.cause), options);
    this.name = 'RemediationError';
  }
}

function remediationErrorMessage(user: string, done: readonly string[], notDone: readonly FailedChange[], cause: unknown): string {
  if (done.length === 0 && notDone.length === 0) {
    return `Remediation of ${user} failed before any change; nothing was changed: ${describeCause(cause)}`;
  }
  const doneText = done.length > 0 ? done.join(', ') : 'nothing';
  const notDoneText =
    notDone.length > 0 ? notDone.map((failed) => `${failed.change} ${failed.accessKeyId} (${failed.reason})`).join(', ') : 'nothing';
  const why = cause === undefined ? '' : ` Stopped: ${describeCause(cause)}.`;
  return `Remediation of ${user} stopped part-way. Done: ${doneText}. Not done: ${notDoneText}.${why}`;
}

/**
 * Runs a step that comes before any change: a failure of its own kind (an unknown user, an invalid
 * request or rule parameter) is rethrown as it is, any other becomes a RemediationError of `who`
 * saying that nothing was changed.
 */
export async function beforeAnyChange<T>(who: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof UnknownIamUserError || error instanceof InvalidRemediationRequestError || error instanceof InvalidParameterError)
      throw error;
    throw new RemediationError(who, [], [], { cause: error });
  }
}
