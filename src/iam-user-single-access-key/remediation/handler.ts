import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { type ClientProvider, clientsFor } from '../../config/awsClients';
import { abortAfter } from '../../config/Deadline';
import { DeadlineExceededError } from '../../config/errors';
import { logger } from '../../config/logger';
import { IamAccessKeyChanges } from './IamAccessKeyChanges';
import { remediateAccessKeys } from './remediateAccessKeys';
import { remediationEnvironment } from './remediationEnvironment';
import { RemediationLockTable } from './RemediationLockTable';
import { REMEDIATE_TIMEOUT_SECONDS } from './remediationPackaging';
import { rulePolicy } from './remediationPolicy';
import { parseRemediationRequest } from './RemediationRequest';
import type { RemediationResult } from './RemediationResult';
import { resolveIamUser } from './resolveIamUser';
import { userLockOf } from './UserLock';

/** In-flight calls are aborted this long before the Lambda timeout, so a cut-short run still releases its lock and reports. */
export const ABORT_MARGIN_MS = 5_000;

/** The release of the lock has this long of its own, within ABORT_MARGIN_MS: it runs after the run's calls were aborted. */
export const RELEASE_BUDGET_MS = 3_000;

/**
 * A lock outlives its run's deadline by this much: the clocks of two Lambda hosts may differ a
 * little, and a call sent just before the run was stopped may still reach IAM.
 */
export const LOCK_EXPIRY_MARGIN_MS = 5_000;

/** What a run is given besides its event; tests replace them. */
export interface RemediationRuntime {
  /** The SDK clients (the function's own credentials). */
  clients(): ClientProvider;
  /** A signal that aborts with `reason` after `ms`. */
  abortAfter(ms: number, reason: Error): AbortSignal;
}

/**
 * The clients throttle 'untilAborted': a throttled call is sent again, without spending an
 * attempt, until the run's abort signal, which every call carries (the lock's release its own).
 */
export const LAMBDA_RUNTIME: RemediationRuntime = {
  clients: () => clientsFor(undefined, 'remediation', 'untilAborted'),
  // AbortSignal.timeout's reason says only "The operation was aborted due to timeout"; the SDK's
  // AbortError carries the reason as its cause, and the run's error names it (describeCause).
  abortAfter,
};

/**
 * The remediation function the SSM document invokes (aws:invokeLambdaFunction) with its
 * parameters as the payload; its return value is the document's output.
 */
export function remediationHandler(runtime: RemediationRuntime = LAMBDA_RUNTIME) {
  return async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<RemediationResult> => {
    // AbortSignal.timeout takes whole milliseconds only. Without a Lambda context (a local call),
    // the function's own timeout stands in, so that every call still carries a deadline.
    const remaining = context === undefined ? REMEDIATE_TIMEOUT_SECONDS * 1000 : Math.floor(context.getRemainingTimeInMillis());
    const deadline = Date.now() + remaining;
    const abortSignal = runtime.abortAfter(Math.max(1, remaining - ABORT_MARGIN_MS), runDeadline(remaining));
    try {
      const request = parseRemediationRequest(event);
      logger.appendKeys({
        iamResourceId: request.iamResourceId,
        action: request.action,
        dryRun: request.dryRun,
        maxAccessKeys: request.maxAccessKeys ?? 'rule',
        automationExecutionId: request.automationExecutionId,
      });
      const environment = remediationEnvironment();
      const clients = runtime.clients();
      const iam = new IamAccessKeyChanges(clients.get(IAMClient), abortSignal);
      const lockTable = new RemediationLockTable(clients.get(DynamoDBClient), environment.lockTable);
      const run = {
        runId: randomUUID(),
        expiresAt: new Date(deadline + LOCK_EXPIRY_MARGIN_MS),
        ...(request.automationExecutionId ? { automationExecutionId: request.automationExecutionId } : {}),
      };
      return await remediateAccessKeys(request, {
        iam,
        resolveUser: (userId) => resolveIamUser(userId, clients.get(ConfigServiceClient), iam, abortSignal),
        rulePolicy: () => rulePolicy(environment.ruleName, clients.get(ConfigServiceClient), abortSignal),
        allowDelete: environment.allowDelete,
        lock: userLockOf(lockTable, run, abortSignal, () => runtime.abortAfter(RELEASE_BUDGET_MS, releaseDeadline())),
      });
    } catch (error) {
      logger.error('Remediation failed', { error });
      throw error;
    } finally {
      logger.resetKeys();
    }
  };
}

/** Why the run's calls are aborted: the function's timeout is near (the margin is kept to release the lock and answer). */
function runDeadline(remainingMs: number): DeadlineExceededError {
  return new DeadlineExceededError(
    `the run reached its deadline, ${ABORT_MARGIN_MS / 1000} s before the function's timeout (it had ${(remainingMs / 1000).toFixed(1)} s; IAM may be throttling: run it again)`,
  );
}

/** Why the lock's release is aborted: its own budget ran out. */
function releaseDeadline(): DeadlineExceededError {
  return new DeadlineExceededError(`the lock's release used up its own ${RELEASE_BUDGET_MS / 1000} s`);
}

/** The handler Lambda invokes. */
export const handler = remediationHandler();
