import {
  type AttributeValue,
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import sinon from 'sinon';
import { LAMBDA_RUNTIME, remediationHandler } from '../../../src/iam-user-single-access-key/remediation/handler';
import { allowDeleteFromEnv } from '../../../src/iam-user-single-access-key/remediation/remediationEnvironment';
import type { FakeAws, FakeUser } from '../../../tools/fakeAws';
import { remediationOf } from '../../../tools/automation/remediationOf';
import { renderText } from '../../../tools/automation/renderText';
import { TEST_HARNESS_ACCESS_KEY_ID } from '../../support/callJournal';
import { packageService, type Template } from '../../support/packageTemplate';
import { startFakeAws } from '../../support/useFakeAws';
import { ALICE, KEY } from './fixtures';

// What the remediation's wire tests share (remediation.wire.test.ts, remediationLock.wire.test.ts):
// the packaged template and its document's Payload, the fake started with the function's journal,
// alice and her keys, the lock table as the template declares it, staged locks.

/** The packaged template, its document's Payload text, and the fake with the remediate function's journal (DynamoDB forwarded to `dynamoDbEndpoint`). */
export async function startRemediationFake(
  dynamoDbEndpoint?: string,
): Promise<{ fake: FakeAws; template: Template; payloadTemplate: string }> {
  const { template } = await packageService();
  const fake = await startFakeAws({
    accountId: '123456789012',
    maxAttempts: 4,
    journal: {
      function: 'remediate',
      settings: () => ({ allowDelete: allowDeleteFromEnv() }),
      resourceNames: () => ({ LOCK_TABLE_NAME: process.env.LOCK_TABLE_NAME ?? '' }),
    },
    ...(dynamoDbEndpoint ? { dynamoDbEndpoint } : {}),
  });
  return { fake, template, payloadTemplate: remediationOf(template).step.inputs.Payload };
}

export const DAY = 86_400_000;
export const RULE = 'iam-user-single-access-key';
export const FOURTH = 'AKIAK66SJ0FJDGZBFOR4';
export const EXECUTION_ID = '4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab';
export const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => error,
  );
let tables = 0;

/** Retries at once: the SDK's backoff draws its full jitter from Math.random, here 0. Restored by sinon.restore(). */
export function retryAtOnce(): void {
  sinon.stub(Math, 'random').returns(0);
}

/**
 * A handler whose run deadline comes when the test aborts `deadline`: the run's calls are then
 * aborted with the reason the handler gives its deadline, as on Lambda. Its lock release has a
 * budget of its own, which never runs out here.
 */
export function handlerWithDeadline(deadline: AbortController) {
  let runs = 0;
  return remediationHandler({
    ...LAMBDA_RUNTIME,
    abortAfter: (_ms, reason) => {
      const signal = new AbortController();
      if (runs++ === 0) deadline.signal.addEventListener('abort', () => signal.abort(reason), { once: true });
      return signal.signal;
    },
  });
}

/** A lock table as the packaged template declares it, under a name of its own, created through the fake (and so in moto when it forwards). */
export async function createLockTable(fake: FakeAws, template: Template): Promise<string> {
  tables += 1;
  const name = `${RULE}-test-RemediationLockTable-${process.pid}-${tables}`;
  const { BillingMode, KeySchema, AttributeDefinitions } = template.Resources.RemediationLockTable!
    .Properties as unknown as CreateTableCommandInput;
  await lockTableClient(fake).send(new CreateTableCommand({ TableName: name, BillingMode, KeySchema, AttributeDefinitions }));
  return name;
}

function lockTableClient(fake: FakeAws): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: { accessKeyId: TEST_HARNESS_ACCESS_KEY_ID, secretAccessKey: 'x' },
  });
}

/** The lock on alice in a lock table, read through the fake (from moto when it forwards). */
export async function lockOnAlice(fake: FakeAws, table: string): Promise<Record<string, AttributeValue> | undefined> {
  return (
    await lockTableClient(fake).send(
      new GetItemCommand({ TableName: table, Key: { resourceId: { S: ALICE.userId } }, ConsistentRead: true }),
    )
  ).Item;
}

/** Writes a lock on alice as another run would have, expiring at `expiresAt`. */
export async function stageLock(
  fake: FakeAws,
  table: string,
  expiresAt: Date,
  automationExecutionId: string,
): Promise<Record<string, AttributeValue>> {
  const item = {
    resourceId: { S: ALICE.userId },
    runId: { S: `run-of-${automationExecutionId}` },
    automationExecutionId: { S: automationExecutionId },
    description: { S: 'IAM user alice' },
    acquiredAt: { S: new Date(expiresAt.getTime() - 125_000).toISOString() },
    expiresAt: { N: String(Math.ceil(expiresAt.getTime() / 1000)) },
  };
  await lockTableClient(fake).send(new PutItemCommand({ TableName: table, Item: item }));
  return item;
}

export const used = (days: number) => ({ date: new Date(Date.now() - days * DAY), serviceName: 's3', region: 'eu-west-1' });
export const created = (days: number) => new Date(Date.now() - days * DAY);

/** Alice with a key used yesterday, one never used, and an inactive one. */
export function alice(): FakeUser {
  return {
    userName: ALICE.userName,
    userId: ALICE.userId,
    path: ALICE.path,
    accessKeys: [
      { accessKeyId: KEY.old, status: 'Active', createDate: created(400), lastUsed: used(1) },
      { accessKeyId: KEY.new, status: 'Active', createDate: created(2) },
      { accessKeyId: KEY.third, status: 'Inactive', createDate: created(100) },
    ],
  };
}

/** The payload Automation sends for these parameter values, from the packaged document's Payload text. */
export function renderPayload(
  payloadTemplate: string,
  values: { MaxAccessKeys?: number; Action?: string; DryRun?: boolean; executionId?: string } = {},
): unknown {
  const filled: Record<string, string> = {
    IAMResourceId: ALICE.userId,
    MaxAccessKeys: values.MaxAccessKeys === undefined ? '' : String(values.MaxAccessKeys),
    Action: values.Action ?? 'Deactivate',
    DryRun: String(values.DryRun ?? false),
  };
  return JSON.parse(renderText(payloadTemplate, filled, values.executionId ?? EXECUTION_ID));
}

/** What the fake's environment variables were before a suite changed them. */
const SAVED = { allowDelete: process.env.ALLOW_DELETE, ruleName: process.env.CONFIG_RULE_NAME, lockTable: process.env.LOCK_TABLE_NAME };
export function restoreEnvironment(): void {
  for (const [name, value] of [
    ['ALLOW_DELETE', SAVED.allowDelete],
    ['CONFIG_RULE_NAME', SAVED.ruleName],
    ['LOCK_TABLE_NAME', SAVED.lockTable],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

/** The status of each of a user's keys in the fake, by key id. */
export const keyStatuses = (fake: FakeAws, userName = 'alice') =>
  Object.fromEntries((fake.getUser(userName)?.accessKeys ?? []).map((key) => [key.accessKeyId, key.status]));

/** The key writes the fake accepted. */
export const keyWrites = (fake: FakeAws) =>
  [...fake.callsOf('UpdateAccessKey'), ...fake.callsOf('DeleteAccessKey')].filter((call) => call.status === 200);
