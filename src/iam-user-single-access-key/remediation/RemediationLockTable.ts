import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { AwsCallError } from '../../config/errors';
import { logger } from '../../config/logger';
import { RemediationInProgressError } from './errors';
import type { LockHolder } from './LockHolder';

/**
 * The table's partition key and TTL attribute, as rules/_shared/remediation.yml declares them (a
 * test holds the two together). One item per resource: its id is the IAM user id.
 */
export const LOCK_KEY_ATTRIBUTE = 'resourceId';
export const LOCK_EXPIRY_ATTRIBUTE = 'expiresAt';

/** What a run asks for. */
export interface LockRequest {
  /** The IAM user id. */
  resourceId: string;
  /** The user as people know it, stored for whoever reads the table, e.g. `IAM user alice`. */
  description: string;
  /** This run's id: only this run may release the lock. */
  runId: string;
  /** The Automation execution that invoked this run, if one did. */
  automationExecutionId?: string;
  /** When the lock expires if the run dies holding it. */
  expiresAt: Date;
}

/** A lock this run took. */
export interface TakenLock {
  table: string;
  resourceId: string;
  runId: string;
  expiresAt: Date;
  /** The holder whose expired lock this run took over (a run that did not finish). */
  tookOverFrom?: LockHolder;
}

/**
 * The remediation lock: an item per resource in a DynamoDB table of the stack, taken with a
 * conditional PutItem (no item, or an expired one) and released with a conditional DeleteItem (only
 * by the run that took it). Single-item writes are strongly consistent and serialized per item, so
 * of two runs racing for a user exactly one takes it, at once, with no read-back. Expiry is decided
 * by the condition on `expiresAt`, never by TTL: TTL deletes expired items in the background, up
 * to days later; it only keeps the table small.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
export class RemediationLockTable {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /**
   * Takes the lock; RemediationInProgressError naming the holder and its expiry when another run's
   * lock is live, AwsCallError naming the table and the call when the table cannot be
   * written (then the run has not taken the lock, or, if the outcome is unknown, has released it).
   */
  async take(request: LockRequest, abortSignal?: AbortSignal): Promise<TakenLock> {
    // The expiry as stored: whole seconds, rounded up.
    const expiresAt = new Date(epochSeconds(request.expiresAt, 'up') * 1000);
    const lock: TakenLock = { table: this.tableName, resourceId: request.resourceId, runId: request.runId, expiresAt };
    let previous: Record<string, AttributeValue> | undefined;
    try {
      ({ Attributes: previous } = await this.dynamodb.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            [LOCK_KEY_ATTRIBUTE]: { S: request.resourceId },
            runId: { S: request.runId },
            ...(request.automationExecutionId ? { automationExecutionId: { S: request.automationExecutionId } } : {}),
            description: { S: request.description },
            acquiredAt: { S: new Date().toISOString() },
            [LOCK_EXPIRY_ATTRIBUTE]: { N: String(expiresAt.getTime() / 1000) },
          },
          ConditionExpression: 'attribute_not_exists(#key) OR #expiresAt < :now',
          ExpressionAttributeNames: { '#key': LOCK_KEY_ATTRIBUTE, '#expiresAt': LOCK_EXPIRY_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': { N: String(epochSeconds(new Date(), 'down')) } },
          // The expired holder this run replaces, and the live one that refuses it: no extra read.
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        { abortSignal },
      ));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const holder = holderOf(error.Item);
        // The SDK retried a write whose first answer was lost: the item is this run's own.
        if (holder?.runId === request.runId) return lock;
        throw new RemediationInProgressError(request.description, request.resourceId, this.tableName, holder);
      }
      if (outcomeUnknown(error)) await this.releaseAfterUnknownOutcome(lock);
      throw new AwsCallError('dynamodb:PutItem', this.where(request.resourceId), { cause: error, abortSignal });
    }
    const tookOverFrom = holderOf(previous);
    return tookOverFrom ? { ...lock, tookOverFrom } : lock;
  }

  /**
   * Deletes the lock if it is still this run's: `released`, or `not-held` when it was not (it
   * expired and another run took it, or someone deleted it). Throws AwsCallError naming
   * the table and the call when the table cannot be written.
   */
  async release(lock: TakenLock, abortSignal?: AbortSignal): Promise<'released' | 'not-held'> {
    try {
      await this.dynamodb.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { [LOCK_KEY_ATTRIBUTE]: { S: lock.resourceId } },
          ConditionExpression: '#runId = :runId',
          ExpressionAttributeNames: { '#runId': 'runId' },
          ExpressionAttributeValues: { ':runId': { S: lock.runId } },
        }),
        { abortSignal },
      );
      return 'released';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'not-held';
      throw new AwsCallError('dynamodb:DeleteItem', this.where(lock.resourceId), { cause: error, abortSignal });
    }
  }

  /** A write that may have gone through (a timeout, a 5xx): the lock may be this run's, so it is released. */
  private async releaseAfterUnknownOutcome(lock: TakenLock): Promise<void> {
    try {
      await this.release(lock, AbortSignal.timeout(UNKNOWN_OUTCOME_RELEASE_MS));
    } catch (error) {
      logger.warn('Could not release a remediation lock this run may hold; it expires by itself', {
        table: this.tableName,
        resourceId: lock.resourceId,
        expiresAt: lock.expiresAt.toISOString(),
        error,
      });
    }
  }

  private where(resourceId: string): string {
    return `remediation lock table ${this.tableName} (item ${resourceId})`;
  }
}

/** How long the release after a write of unknown outcome may take. */
const UNKNOWN_OUTCOME_RELEASE_MS = 2_000;

/** The holder an item names; undefined for no item. */
function holderOf(item: Record<string, AttributeValue> | undefined): LockHolder | undefined {
  if (!item) return undefined;
  const runId = item.runId?.S;
  const automationExecutionId = item.automationExecutionId?.S;
  const seconds = Number(item[LOCK_EXPIRY_ATTRIBUTE]?.N);
  return {
    ...(automationExecutionId === undefined ? {} : { automationExecutionId }),
    ...(runId === undefined ? {} : { runId }),
    ...(Number.isFinite(seconds) ? { expiresAt: new Date(seconds * 1000) } : {}),
  };
}

/**
 * Epoch seconds, the unit of DynamoDB's TTL: an expiry is rounded up (never earlier than asked), the
 * time it is compared with down, so a lock is expired only once its whole second has passed.
 */
function epochSeconds(date: Date, round: 'up' | 'down'): number {
  return round === 'up' ? Math.ceil(date.getTime() / 1000) : Math.floor(date.getTime() / 1000);
}

/** Whether a failed write may still have been applied: anything but an answer from DynamoDB refusing it. */
function outcomeUnknown(error: unknown): boolean {
  const fault = (error as { $fault?: unknown }).$fault;
  return fault !== 'client';
}
