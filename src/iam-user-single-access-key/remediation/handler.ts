import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { clientsFor } from '../../config/awsClients';
import { describeCause } from '../../config/errors';
import { logger } from '../../config/logger';
import { IamAccessKeyChanges } from './IamAccessKeyChanges';
import { parseRemediationRequest, type RemediationRequest } from './RemediationRequest';
import { lockTableFromEnv, RemediationLockTable } from './RemediationLockTable';
import { remediateAccessKeys, type RemediationResult, type UserLock } from './remediateAccessKeys';
import { ruleNameFromEnv, rulePolicy } from './remediationPolicy';
import { resolveIamUser } from './resolveIamUser';

/** In-flight calls are aborted this long before the Lambda timeout, so a cut-short run still releases its lock and reports. */
const ABORT_MARGIN_MS = 5_000;

/** The release of the lock has this long of its own, within ABORT_MARGIN_MS: it runs after the run's calls were aborted. */
export const RELEASE_BUDGET_MS = 3_000;

/**
 * A lock outlives its run's deadline by this much: the clocks of two Lambda hosts may differ a
 * little, and a call sent just before the run was stopped may still reach IAM.
 */
export const LOCK_EXPIRY_MARGIN_MS = 5_000;

/** How long the function may run when no Lambda context says (the function's timeout, remediation-function.yml). */
const DEFAULT_RUN_MS = 120_000;

/** Whether this deployment lets the function delete keys (ALLOW_DELETE, set by the stack). */
export function allowDeleteFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.ALLOW_DELETE ?? 'false').trim().toLowerCase();
  if (value !== 'true' && value !== 'false')
    throw new Error(`Environment variable ALLOW_DELETE must be true or false, got ${JSON.stringify(env.ALLOW_DELETE)}`);
  return value === 'true';
}

/**
 * The remediation function the SSM document invokes (aws:invokeLambdaFunction) with its
 * parameters as the payload; its return value is the document's output.
 */
export async function handler(event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<RemediationResult> {
  // AbortSignal.timeout takes whole milliseconds only.
  const remaining = context === undefined ? undefined : Math.floor(context.getRemainingTimeInMillis());
  const deadline = Date.now() + (remaining ?? DEFAULT_RUN_MS);
  const abortSignal = remaining === undefined ? undefined : AbortSignal.timeout(Math.max(1, remaining - ABORT_MARGIN_MS));
  try {
    const request = parseRemediationRequest(event);
    logger.appendKeys({
      iamResourceId: request.iamResourceId,
      action: request.action,
      dryRun: request.dryRun,
      maxAccessKeys: request.maxAccessKeys ?? 'rule',
      automationExecutionId: request.automationExecutionId,
    });
    const allowDelete = allowDeleteFromEnv();
    const clients = clientsFor(undefined, 'remediation');
    const iam = new IamAccessKeyChanges(clients.get(IAMClient), abortSignal);
    const lockTable = new RemediationLockTable(clients.get(DynamoDBClient), lockTableFromEnv());
    return await remediateAccessKeys(request, {
      iam,
      resolveUser: (userId) => resolveIamUser(userId, clients.get(ConfigServiceClient), iam, abortSignal),
      rulePolicy: () => rulePolicy(ruleNameFromEnv(), clients.get(ConfigServiceClient), abortSignal),
      allowDelete,
      lock: userLock(lockTable, request, new Date(deadline + LOCK_EXPIRY_MARGIN_MS), abortSignal),
    });
  } catch (error) {
    logger.error('Remediation failed', { error });
    throw error;
  } finally {
    logger.resetKeys();
  }
}

/**
 * The lock of this run: taken with the run's abort signal, released with a budget of its own, so
 * that a run stopped by its deadline (or failing any other way) still releases it.
 */
function userLock(
  table: RemediationLockTable,
  request: RemediationRequest,
  expiresAt: Date,
  abortSignal: AbortSignal | undefined,
): UserLock {
  const runId = randomUUID();
  return {
    take: (user) =>
      table.take(
        {
          resourceId: user.userId,
          description: `IAM user ${user.userName}`,
          runId,
          expiresAt,
          ...(request.automationExecutionId ? { automationExecutionId: request.automationExecutionId } : {}),
        },
        abortSignal,
      ),
    async release(lock) {
      try {
        if ((await table.release(lock, AbortSignal.timeout(RELEASE_BUDGET_MS))) === 'released') return { released: true };
        return {
          released: false,
          reason: `it was no longer this run's: it expired at ${lock.expiresAt.toISOString()} and was taken over, or was deleted`,
        };
      } catch (error) {
        logger.warn('Could not release the remediation lock; it expires by itself', {
          table: lock.table,
          resourceId: lock.resourceId,
          expiresAt: lock.expiresAt.toISOString(),
          error,
        });
        return { released: false, reason: describeCause(error) };
      }
    },
  };
}
