import { ConfigServiceClient, ListDiscoveredResourcesCommand } from '@aws-sdk/client-config-service';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import sinon from 'sinon';
import { resetClients } from '../../../src/config/awsClients';
import { logger } from '../../../src/config/logger';
import { ALICE, daysAgo, KEY, NOW } from './fixtures';

// What the remediate handler's unit tests share (handler.test.ts, userLock.test.ts): the SDK
// clients mocked (aws-sdk-client-mock), the clock at NOW, the function's environment as the stack
// sets it, alice known to Config and IAM, her keys changed by the writes as IAM would.

/** A key as the mocked IAM lists it: days since creation and since last use (null: never). */
export type KeySpec = { id: string; status?: 'Active' | 'Inactive'; created: number; used: number | null };

export const LOCK_TABLE = 'iam-user-single-access-key-dev-RemediationLockTable-1A2B3C4D5E6F';
export const RULE = 'iam-user-single-access-key';
export const EXECUTION_ID = '4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab';

/** Alice's key in use and her key never used. */
export const TWO_KEYS: KeySpec[] = [
  { id: KEY.old, created: 400, used: 1 },
  { id: KEY.new, created: 2, used: null },
];

export function accessDenied(api: string): Error {
  return Object.assign(new Error(`not authorized to perform: ${api}`), {
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
  });
}
export const noSuchEntity = () => new NoSuchEntityException({ message: 'cannot be found', $metadata: {} });
export const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => error,
  );

/** The payload the document sends for alice, with MaxAccessKeys 1 unless overridden. */
export const payload = (overrides: Record<string, string> = {}) => ({
  IAMResourceId: ALICE.userId,
  MaxAccessKeys: '1',
  Action: 'Deactivate',
  DryRun: 'false',
  AutomationExecutionId: EXECUTION_ID,
  ...overrides,
});

/** The mocks of one suite, and what the tests do with them. */
export interface MockedAws {
  readonly iam: AwsClientStub<IAMClient>;
  readonly config: AwsClientStub<ConfigServiceClient>;
  readonly dynamodb: AwsClientStub<DynamoDBClient>;
  readonly logs: { info: sinon.SinonSpy; warn: sinon.SinonSpy; error: sinon.SinonSpy };
  /** Alice's keys as ListAccessKeys and GetAccessKeyLastUsed answer. */
  aliceKeys(keys: KeySpec[]): void;
  /** Removes a key of alice's, as someone else would. */
  removeAliceKey(accessKeyId: string): void;
  /** GetUser for `name` answers this user. */
  answerGetUser(name: string, userId: string, path: string): void;
  /** The key writes sent to IAM, in order. */
  writes(): string[];
}

/** Mocks the clients for the suite it is called in (a mock stubs every client of its class until restored after the suite). */
export function useMockedAws(): MockedAws {
  let iam: AwsClientStub<IAMClient>;
  let config: AwsClientStub<ConfigServiceClient>;
  let dynamodb: AwsClientStub<DynamoDBClient>;
  let logs: MockedAws['logs'];
  let clock: sinon.SinonFakeTimers;
  let aliceState: { UserName: string; AccessKeyId: string; Status: string; CreateDate: Date }[] = [];
  const saved = {
    ALLOW_DELETE: process.env.ALLOW_DELETE,
    LOCK_TABLE_NAME: process.env.LOCK_TABLE_NAME,
    CONFIG_RULE_NAME: process.env.CONFIG_RULE_NAME,
  };
  const answerGetUser = (name: string, userId: string, path: string) =>
    iam
      .on(GetUserCommand, { UserName: name })
      .resolves({ User: { UserName: name, UserId: userId, Path: path, Arn: 'arn', CreateDate: daysAgo(900) } });

  before(() => {
    iam = mockClient(IAMClient);
    config = mockClient(ConfigServiceClient);
    dynamodb = mockClient(DynamoDBClient);
  });
  after(() => {
    iam.restore();
    config.restore();
    dynamodb.restore();
  });

  beforeEach(() => {
    iam.reset();
    config.reset();
    dynamodb.reset();
    resetClients();
    delete process.env.ALLOW_DELETE;
    process.env.LOCK_TABLE_NAME = LOCK_TABLE;
    process.env.CONFIG_RULE_NAME = RULE;
    // The lock is free: taken and released.
    dynamodb.on(PutItemCommand).resolves({});
    dynamodb.on(DeleteItemCommand).resolves({});
    clock = sinon.useFakeTimers({ now: NOW, toFake: ['Date'] });
    logs = { info: sinon.spy(logger, 'info'), warn: sinon.spy(logger, 'warn'), error: sinon.spy(logger, 'error') };
    // Config knows alice by her id; IAM confirms the name.
    config
      .on(ListDiscoveredResourcesCommand)
      .resolves({ resourceIdentifiers: [{ resourceType: 'AWS::IAM::User', resourceId: ALICE.userId, resourceName: 'alice' }] });
    answerGetUser('alice', ALICE.userId, ALICE.path);
    // Writes change alice's keys as IAM would, so the checks after a change see it.
    iam.on(UpdateAccessKeyCommand).callsFake((input: { AccessKeyId: string; Status: 'Active' | 'Inactive' }) => {
      const key = aliceState.find((candidate) => candidate.AccessKeyId === input.AccessKeyId);
      if (key) key.Status = input.Status;
      return {};
    });
    iam.on(DeleteAccessKeyCommand).callsFake((input: { AccessKeyId: string }) => {
      aliceState = aliceState.filter((candidate) => candidate.AccessKeyId !== input.AccessKeyId);
      return {};
    });
  });

  afterEach(() => {
    clock.restore();
    sinon.restore();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  return {
    get iam() {
      return iam;
    },
    get config() {
      return config;
    },
    get dynamodb() {
      return dynamodb;
    },
    get logs() {
      return logs;
    },
    aliceKeys(keys) {
      aliceState = keys.map((k) => ({
        UserName: 'alice',
        AccessKeyId: k.id,
        Status: k.status ?? 'Active',
        CreateDate: daysAgo(k.created),
      }));
      iam.on(ListAccessKeysCommand, { UserName: 'alice' }).callsFake(() => ({ AccessKeyMetadata: aliceState.map((key) => ({ ...key })) }));
      for (const k of keys) {
        iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: k.id }).resolves({
          UserName: 'alice',
          AccessKeyLastUsed:
            k.used === null
              ? { ServiceName: 'N/A', Region: 'N/A' }
              : { LastUsedDate: daysAgo(k.used), ServiceName: 's3', Region: 'eu-west-1' },
        });
      }
    },
    removeAliceKey(accessKeyId) {
      aliceState = aliceState.filter((candidate) => candidate.AccessKeyId !== accessKeyId);
    },
    answerGetUser,
    writes: () =>
      iam
        .calls()
        .map((call) => call.args[0])
        .filter((command) => command instanceof UpdateAccessKeyCommand || command instanceof DeleteAccessKeyCommand)
        .map((command) => `${command.constructor.name} ${JSON.stringify(command.input)}`),
  };
}
