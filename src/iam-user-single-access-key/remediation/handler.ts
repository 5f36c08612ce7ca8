import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { IAMClient } from '@aws-sdk/client-iam';
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { clientsFor } from '../../config/awsClients';
import { logger } from '../../config/logger';
import { IamAccessKeyChanges } from './IamAccessKeyChanges';
import { parseRemediationRequest } from './RemediationRequest';
import { remediateAccessKeys, type RemediationResult } from './remediateAccessKeys';
import { ruleNameFromEnv, rulePolicy } from './remediationPolicy';
import { resolveIamUser } from './resolveIamUser';

/** In-flight calls are aborted this long before the Lambda timeout, so a cut-short run still reports. */
const ABORT_MARGIN_MS = 5_000;

/** How long the function may run when no Lambda context says (the function's timeout, remediation-function.yml). */
const DEFAULT_RUN_MS = 120_000;

/**
 * How long a run waits between writing its lock tag on the user and reading it back
 * (acquireUserLock): long enough for IAM's eventual consistency to show a concurrent run's tag.
 */
export const LOCK_SETTLE_MS = 6_000;

/** Whether this deployment lets the function delete keys (ALLOW_DELETE, set by the stack). */
export function allowDeleteFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.ALLOW_DELETE ?? 'false').trim().toLowerCase();
  if (value !== 'true' && value !== 'false') throw new Error(`Environment variable ALLOW_DELETE must be true or false, got ${JSON.stringify(env.ALLOW_DELETE)}`);
  return value === 'true';
}

/** The remediation handler with its lock timing (tests shorten it; see acquireUserLock). */
export function createRemediationHandler(options: { lockSettleMs: number; lockMaxTakeMs: number } = { lockSettleMs: LOCK_SETTLE_MS, lockMaxTakeMs: LOCK_SETTLE_MS / 2 }) {
  return async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<RemediationResult> => {
    const remaining = context?.getRemainingTimeInMillis();
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
      const clients = clientsFor(undefined, 'remediation');
      const iam = new IamAccessKeyChanges(clients.get(IAMClient), abortSignal);
      return await remediateAccessKeys(request, {
        iam,
        resolveUser: (userId) => resolveIamUser(userId, clients.get(ConfigServiceClient), iam, abortSignal),
        rulePolicy: () => rulePolicy(ruleNameFromEnv(), clients.get(ConfigServiceClient), abortSignal),
        allowDelete: allowDeleteFromEnv(),
        lock: { runId: randomUUID(), ttlMs: remaining ?? DEFAULT_RUN_MS, settleMs: options.lockSettleMs, maxTakeMs: options.lockMaxTakeMs },
      });
    } catch (error) {
      logger.error('Remediation failed', { error });
      throw error;
    } finally {
      logger.resetKeys();
    }
  };
}

/**
 * The remediation function the SSM document invokes (aws:invokeLambdaFunction) with its
 * parameters as the payload; its return value is the document's output.
 */
export const handler = createRemediationHandler();
