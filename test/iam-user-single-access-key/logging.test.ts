import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { GetAccessKeyLastUsedCommand, GetUserCommand, IAMClient, ListAccessKeysCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { resetClients } from '../../src/config/awsClients';
import { logger } from '../../src/config/logger';
import { handler } from '../../src/iam-user-single-access-key/handler';
import { ALICE, changeEvent, scheduledEvent, serialize } from '../fixtures/events';

const KEY_IDS = ['AKIAIOSFODNN7EXAMPLE', 'AKIAI44QH8DHBEXAMPL2'];

/** Runs `act` with the logger at `level`, returning every JSON line it wrote. */
async function captureLogs(level: 'INFO' | 'DEBUG', act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const write = process.stdout.write;
  const writeErr = process.stderr.write;
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  logger.setLogLevel(level);
  try {
    await act().catch(() => undefined);
  } finally {
    logger.setLogLevel('SILENT');
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  return lines
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line));
}

describe('logs', () => {
  let iam: AwsClientStub<IAMClient>;
  let config: AwsClientStub<ConfigServiceClient>;

  before(() => {
    iam = mockClient(IAMClient);
    config = mockClient(ConfigServiceClient);
  });
  after(() => {
    iam.restore();
    config.restore();
    resetClients();
  });

  beforeEach(() => {
    iam.reset();
    config.reset();
    resetClients();
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
    iam
      .on(GetUserCommand)
      .resolves({ User: { UserName: 'alice', UserId: ALICE.userId, Path: '/', Arn: 'arn', CreateDate: new Date(), Tags: [] } });
    iam
      .on(ListUsersCommand)
      .resolves({ Users: [{ UserName: 'alice', UserId: ALICE.userId, Path: '/', Arn: 'arn', CreateDate: new Date() }] });
    iam.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: KEY_IDS.map((id) => ({ UserName: 'alice', AccessKeyId: id, Status: 'Active', CreateDate: new Date() })),
    });
    iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
  });

  for (const [name, event] of [
    ['a change notification', changeEvent],
    ['a periodic sweep', scheduledEvent],
  ] as const) {
    it(`are structured JSON with rule, account and message type, and never carry the event or a whole key id (${name})`, async () => {
      // Act
      const logs = await captureLogs('DEBUG', () => handler(serialize(event())));

      // Assess
      expect(logs.length).to.be.greaterThan(0);
      for (const entry of logs) {
        expect(entry).to.include({ configRuleName: 'iam-user-single-access-key', accountId: '123456789012' });
        expect(entry.messageType).to.be.a('string');
        const text = JSON.stringify(entry);
        for (const keyId of KEY_IDS) expect(text).not.to.include(keyId);
        expect(text).not.to.include('resultToken');
        expect(text).not.to.include('invokingEvent');
      }
      expect(
        logs.some(
          (entry) =>
            entry.message === 'Invocation complete' &&
            entry.recorded === 1 &&
            (entry.recordedByCompliance as Record<string, number>).NON_COMPLIANT === 1,
        ),
      ).to.equal(true);
    });
  }

  it("logs a failure once, at ERROR, with its stack and its cause (with the cause's own stack)", async () => {
    // Prepare
    iam.on(ListAccessKeysCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));

    // Act
    const logs = await captureLogs('INFO', () => handler(serialize(changeEvent())));

    // Assess
    const errors = logs.filter((entry) => entry.level === 'ERROR');
    expect(errors).to.have.length(1);
    expect(errors[0].message).to.equal('Invocation failed');
    const error = errors[0].error as {
      name: string;
      message: string;
      stack: string;
      cause: { name: string; message: string; stack: string };
    };
    expect(error).to.include({
      name: 'AwsCallError',
      message: 'iam:ListAccessKeys failed for IAM user alice: AccessDenied: denied',
    });
    expect(error.stack).to.match(/^AwsCallError: iam:ListAccessKeys failed[\s\S]*IamAccessKeys\.ts/);
    expect(error.cause).to.include({ name: 'AccessDenied', message: 'denied' });
    expect(error.cause.stack).to.match(/^AccessDenied: denied\n\s+at /);
  });

  it('logs both errors when reporting after a failure fails too, each with its cause', async () => {
    // Prepare: the second user's keys cannot be read, then Config answers 500 to the report
    iam.on(ListUsersCommand).resolves({
      Users: [
        { UserName: 'alice', UserId: ALICE.userId, Path: '/', Arn: 'arn', CreateDate: new Date() },
        { UserName: 'bob', UserId: 'AIDABOB00000000000001', Path: '/', Arn: 'arn', CreateDate: new Date() },
      ],
    });
    iam.on(ListAccessKeysCommand, { UserName: 'bob' }).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    config.on(PutEvaluationsCommand).rejects(Object.assign(new Error('Unexpected token'), { name: 'SyntaxError' }));

    // Act
    const logs = await captureLogs('INFO', () => handler(serialize(scheduledEvent())));

    // Assess
    const errors = logs.filter((entry) => entry.level === 'ERROR');
    expect(errors).to.have.length(1);
    const error = errors[0].error as Record<string, { name: string; message: string; cause?: { name: string } }> & {
      name: string;
      message: string;
    };
    expect(error.name).to.equal('FailedAndUnreportedError');
    expect(error.message).to.match(/^iam:ListAccessKeys failed for IAM user bob: AccessDenied: denied \(then reporting/);
    expect(error.cause).to.include({ name: 'AwsCallError' });
    expect(error.reportingError).to.include({
      name: 'AwsCallError',
      message: `config:PutEvaluations failed for a batch of 1 evaluation(s) of rule iam-user-single-access-key: SyntaxError: Unexpected token`,
    });
    expect(error.reportingError.cause).to.include({ name: 'SyntaxError' });
  });
});
