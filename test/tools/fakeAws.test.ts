import { AccountClient, ListRegionsCommand, paginateListRegions } from '@aws-sdk/client-account';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
  type ComplianceType,
  type Evaluation,
} from '@aws-sdk/client-config-service';
import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  paginateListUsers,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { expect } from 'chai';
import { FakeAws, type FakeUser } from '../../tools/fakeAws';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** What the SDK's service exceptions carry. */
interface SdkError extends Error {
  $fault?: string;
  $metadata: { httpStatusCode?: number; attempts?: number };
}

const TEST_CREDENTIALS: Credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' };
const OTHER_ACCOUNT = '222222222222';

/** Client settings pointing at the fake, with the standard retry strategy at a short fixed delay. */
function settings(fake: FakeAws, credentials: Credentials = TEST_CREDENTIALS, maxAttempts = 4, delayMs = 5) {
  return { region: 'us-east-1', endpoint: fake.url, credentials, retryStrategy: new ConfiguredRetryStrategy(maxAttempts, delayMs) };
}

async function rejectionOf(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail');
}

function user(n: number, extra: Partial<FakeUser> = {}): FakeUser {
  const id = String(n).padStart(5, '0');
  return { userName: `user-${id}`, userId: `AIDA${id}`, ...extra };
}

function evaluation(resourceId: string, complianceType: ComplianceType = 'COMPLIANT'): Evaluation {
  return {
    ComplianceResourceType: 'AWS::IAM::User',
    ComplianceResourceId: resourceId,
    ComplianceType: complianceType,
    Annotation: `${resourceId} is ${complianceType}`,
    OrderingTimestamp: new Date('2024-03-01T10:00:00.250Z'),
  };
}

describe('FakeAws', () => {
  let fake: FakeAws;
  let iam: IAMClient;
  let config: ConfigServiceClient;
  let sts: STSClient;

  beforeEach(async () => {
    fake = await FakeAws.start();
    iam = new IAMClient(settings(fake));
    config = new ConfigServiceClient(settings(fake));
    sts = new STSClient(settings(fake));
  });

  afterEach(async () => {
    iam.destroy();
    config.destroy();
    sts.destroy();
    await fake.close();
  });

  describe('IAM (awsQuery)', () => {
    it('pages 2,500 users through paginateListUsers in pages of 1,000', async () => {
      // Prepare
      fake.addUsers(Array.from({ length: 2500 }, (_, i) => user(i)));

      // Act
      const pages: string[][] = [];
      for await (const page of paginateListUsers({ client: iam }, { MaxItems: 1000 })) {
        pages.push(page.Users!.map((u) => u.UserName!));
      }

      // Assess
      expect(pages.map((p) => p.length)).to.deep.equal([1000, 1000, 500]);
      expect(pages.flat()).to.deep.equal(Array.from({ length: 2500 }, (_, i) => user(i).userName));
      const listCalls = fake.callsOf('ListUsers');
      expect(listCalls).to.have.length(3);
      expect(listCalls[0]!.params).to.deep.equal({ MaxItems: '1000' });
      expect(listCalls[1]!.params).to.have.property('Marker').that.is.a('string');
    });

    it('answers ListUsers with 100 users, IsTruncated and a Marker by default, filtered by PathPrefix', async () => {
      // Prepare
      fake.addUsers(Array.from({ length: 150 }, (_, i) => user(i, { path: i % 2 ? '/odd/' : '/' })));

      // Act
      const first = await iam.send(new ListUsersCommand({}));
      const odd = await iam.send(new ListUsersCommand({ PathPrefix: '/odd/', MaxItems: 1000 }));

      // Assess
      expect(first.Users).to.have.length(100);
      expect(first.IsTruncated).to.equal(true);
      expect(first.Marker).to.be.a('string');
      expect(first.Users![1]).to.deep.include({
        UserName: 'user-00001',
        Path: '/odd/',
        Arn: 'arn:aws:iam::123456789012:user/odd/user-00001',
      });
      expect(first.Users![1]!.CreateDate).to.be.instanceOf(Date);
      expect(odd.Users).to.have.length(75);
      expect(odd.IsTruncated).to.equal(false);
      expect(odd.Marker).to.equal(undefined);
    });

    it('caps ListUsers pages and lists repeated users a second time on a later page (setListUsersPaging)', async () => {
      // Prepare: pages of at most 2, user 1 listed again
      fake.addUsers([user(0), user(1), user(2)]);
      fake.setListUsersPaging({ maxItems: 2, repeat: ['user-00001'] });

      // Act
      const pages: string[][] = [];
      for await (const page of paginateListUsers({ client: iam, pageSize: 1000 }, {}))
        pages.push((page.Users ?? []).map((u) => u.UserName!));
      fake.reset();
      const afterReset = await iam.send(new ListUsersCommand({ MaxItems: 1000 }));

      // Assess
      expect(pages).to.deep.equal([
        ['user-00000', 'user-00001'],
        ['user-00002', 'user-00001'],
      ]);
      expect(afterReset.Users?.map((u) => u.UserName)).to.deep.equal(['user-00000', 'user-00001', 'user-00002']);
    });

    it('refuses MaxItems above 1000 with ValidationError', async () => {
      // Act
      const error = await rejectionOf(iam.send(new ListUsersCommand({ MaxItems: 1001 })));

      // Assess
      expect(error.name).to.equal('ValidationError');
      expect(error.$metadata.httpStatusCode).to.equal(400);
    });

    it('returns a user with its tags from GetUser and pages ListUserTags', async () => {
      // Prepare
      fake.addUser(user(1, { tags: { team: 'a&b <c>', owner: 'ops' }, createDate: new Date('2019-05-06T07:08:09Z') }));

      // Act
      const got = await iam.send(new GetUserCommand({ UserName: 'user-00001' }));
      const firstTags = await iam.send(new ListUserTagsCommand({ UserName: 'user-00001', MaxItems: 1 }));
      const restTags = await iam.send(new ListUserTagsCommand({ UserName: 'user-00001', Marker: firstTags.Marker }));

      // Assess
      expect(got.User).to.deep.include({ UserName: 'user-00001', UserId: 'AIDA00001', Path: '/' });
      expect(got.User!.CreateDate).to.deep.equal(new Date('2019-05-06T07:08:09Z'));
      expect(got.User!.Tags).to.deep.equal([
        { Key: 'team', Value: 'a&b <c>' },
        { Key: 'owner', Value: 'ops' },
      ]);
      expect(firstTags).to.deep.include({ Tags: [{ Key: 'team', Value: 'a&b <c>' }], IsTruncated: true });
      expect(restTags).to.deep.include({ Tags: [{ Key: 'owner', Value: 'ops' }], IsTruncated: false });
    });

    it('lists access keys with their statuses and CreateDate as a Date', async () => {
      // Prepare
      fake.addUser(
        user(1, {
          accessKeys: [
            { accessKeyId: 'AKIAONE', status: 'Active', createDate: new Date('2023-01-02T03:04:05Z') },
            { accessKeyId: 'AKIATWO', status: 'Inactive', createDate: new Date('2024-06-07T08:09:10.500Z') },
          ],
        }),
      );

      // Act
      const { AccessKeyMetadata, IsTruncated } = await iam.send(new ListAccessKeysCommand({ UserName: 'user-00001' }));

      // Assess
      expect(IsTruncated).to.equal(false);
      expect(AccessKeyMetadata).to.deep.equal([
        { UserName: 'user-00001', AccessKeyId: 'AKIAONE', Status: 'Active', CreateDate: new Date('2023-01-02T03:04:05Z') },
        { UserName: 'user-00001', AccessKeyId: 'AKIATWO', Status: 'Inactive', CreateDate: new Date('2024-06-07T08:09:10.500Z') },
      ]);
      expect(AccessKeyMetadata![0]!.CreateDate).to.be.instanceOf(Date);
    });

    it('answers GetAccessKeyLastUsed with the date when used and N/A without a date when never used', async () => {
      // Prepare
      const lastUsed = { date: new Date('2024-02-03T04:05:06Z'), serviceName: 's3', region: 'eu-west-1' };
      fake.addUser(
        user(1, {
          accessKeys: [
            { accessKeyId: 'AKIAUSED', status: 'Active', createDate: new Date('2023-01-01T00:00:00Z'), lastUsed },
            { accessKeyId: 'AKIANEVER', status: 'Active', createDate: new Date('2023-01-01T00:00:00Z') },
          ],
        }),
      );

      // Act
      const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIAUSED' }));
      const never = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIANEVER' }));

      // Assess
      expect(used.UserName).to.equal('user-00001');
      expect(used.AccessKeyLastUsed).to.deep.equal({ LastUsedDate: lastUsed.date, ServiceName: 's3', Region: 'eu-west-1' });
      expect(never.AccessKeyLastUsed).to.deep.equal({ ServiceName: 'N/A', Region: 'N/A' });
    });

    it("refuses a UserName outside IAM's pattern with ValidationError, not NoSuchEntity", async () => {
      // Act
      const error = await rejectionOf(iam.send(new GetUserCommand({ UserName: 'not a user/name' })));

      // Assess
      expect(error.name).to.equal('ValidationError');
      expect(error.message).to.match(/at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    });

    it('surfaces a missing user as NoSuchEntityException (404) without retrying', async () => {
      // Act
      const error = await rejectionOf(iam.send(new ListAccessKeysCommand({ UserName: 'nobody' })));

      // Assess
      expect(error.name).to.equal('NoSuchEntityException');
      expect(error.message).to.equal('The user with name nobody cannot be found.');
      expect(error.$fault).to.equal('client');
      expect(error.$metadata).to.include({ httpStatusCode: 404, attempts: 1 });
    });

    it('applies UpdateAccessKey and DeleteAccessKey to its state', async () => {
      // Prepare
      const createDate = new Date('2023-01-01T00:00:00Z');
      fake.addUser(
        user(1, {
          accessKeys: [
            { accessKeyId: 'AKIAONE', status: 'Active', createDate },
            { accessKeyId: 'AKIATWO', status: 'Active', createDate },
          ],
        }),
      );

      // Act
      await iam.send(new UpdateAccessKeyCommand({ UserName: 'user-00001', AccessKeyId: 'AKIAONE', Status: 'Inactive' }));
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'user-00001', AccessKeyId: 'AKIATWO' }));
      const missing = await rejectionOf(iam.send(new DeleteAccessKeyCommand({ UserName: 'user-00001', AccessKeyId: 'AKIATWO' })));

      // Assess
      expect(fake.getUser('user-00001')!.accessKeys).to.deep.equal([
        { accessKeyId: 'AKIAONE', status: 'Inactive', createDate, lastUsed: undefined },
      ]);
      expect(missing.name).to.equal('NoSuchEntityException');
      expect(fake.callsOf('UpdateAccessKey')[0]!.params).to.deep.equal({
        UserName: 'user-00001',
        AccessKeyId: 'AKIAONE',
        Status: 'Inactive',
      });
    });
  });

  describe('throttling and injected errors', () => {
    it('throttles IAM calls over the token bucket; the SDK retries them until they succeed and stats() counts them', async () => {
      // Prepare
      fake.setRateLimit({ perSecond: 50, burst: 1 });
      fake.addUser(user(1));
      const patient = new IAMClient(settings(fake, TEST_CREDENTIALS, 20, 25));

      // Act
      const results = await Promise.all(Array.from({ length: 5 }, () => patient.send(new GetUserCommand({ UserName: 'user-00001' }))));
      patient.destroy();

      // Assess
      expect(results.every((r) => r.User?.UserName === 'user-00001')).to.equal(true);
      expect(Math.max(...results.map((r) => r.$metadata.attempts!))).to.be.greaterThan(1);
      const stats = fake.stats();
      expect(stats.throttled).to.be.greaterThan(0);
      expect(stats.iamCalls).to.equal(5 + stats.throttled);
      expect(stats.byAction.GetUser).to.equal(stats.iamCalls);
      const throttledCalls = fake.calls.filter((c) => c.errorCode === 'Throttling');
      expect(throttledCalls).to.have.length(stats.throttled);
      expect(throttledCalls.every((c) => c.status === 400)).to.equal(true);
    });

    it('is retried on Throttling by a client with the SDK default retry settings', async () => {
      // Prepare
      fake.addUser(user(1));
      fake.failNext('GetUser', { status: 400, code: 'Throttling' });
      const defaults = new IAMClient({ region: 'us-east-1', endpoint: fake.url, credentials: TEST_CREDENTIALS });

      // Act
      const result = await defaults.send(new GetUserCommand({ UserName: 'user-00001' }));
      defaults.destroy();

      // Assess
      expect(result.$metadata.attempts).to.equal(2);
      expect(fake.calls.map((c) => c.status)).to.deep.equal([400, 200]);
      expect(fake.stats()).to.include({ injected: 1, throttled: 0 });
    });

    it('injects 500 errors that the SDK retries', async () => {
      // Prepare
      fake.addUser(user(1));
      fake.failNext('ListAccessKeys', { status: 500, code: 'ServiceFailure' }, 2);

      // Act
      const result = await iam.send(new ListAccessKeysCommand({ UserName: 'user-00001' }));

      // Assess
      expect(result.$metadata.attempts).to.equal(3);
      expect(fake.calls.map((c) => [c.status, c.errorCode])).to.deep.equal([
        [500, 'ServiceFailure'],
        [500, 'ServiceFailure'],
        [200, undefined],
      ]);
    });

    it('injects AccessDenied (403), which the SDK does not retry', async () => {
      // Prepare
      fake.addUser(user(1));
      fake.failAlways('iam:*', { status: 403, code: 'AccessDenied', message: 'not allowed' });

      // Act
      const error = await rejectionOf(iam.send(new GetUserCommand({ UserName: 'user-00001' })));

      // Assess
      expect(error.name).to.equal('AccessDenied');
      expect(error.message).to.equal('not allowed');
      expect(error.$metadata).to.include({ httpStatusCode: 403, attempts: 1 });
      expect(fake.calls).to.have.length(1);
    });

    it('injects errors only into requests whose parameters match `when`', async () => {
      // Prepare
      fake.addUsers([user(1), user(2)]);
      fake.failAlways('ListAccessKeys', { status: 404, code: 'NoSuchEntity' }, { UserName: 'user-00002' });

      // Act
      const ok = await iam.send(new ListAccessKeysCommand({ UserName: 'user-00001' }));
      const error = await rejectionOf(iam.send(new ListAccessKeysCommand({ UserName: 'user-00002' })));

      // Assess
      expect(ok.AccessKeyMetadata).to.deep.equal([]);
      expect(error.name).to.equal('NoSuchEntityException');
    });

    it('fails one request in every n with failEvery, answering the others', async () => {
      // Prepare: no retries, so that each send is one request
      const once = new IAMClient(settings(fake, TEST_CREDENTIALS, 1));
      fake.addUsers([user(1)]);
      fake.failEvery('GetUser', { status: 400, code: 'Throttling' }, 2);

      // Act
      const outcomes: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        outcomes.push(
          await once.send(new GetUserCommand({ UserName: 'user-00001' })).then(
            () => 'ok',
            (error: Error) => error.name,
          ),
        );
      }
      once.destroy();

      // Assess
      expect(outcomes).to.deep.equal(['Throttling', 'ok', 'Throttling', 'ok', 'Throttling']);
      expect(fake.stats().injected).to.equal(3);
    });

    it('holds back the answers to an action until released, having handled each request on arrival', async () => {
      // Prepare
      fake.addUsers([user(1)]);
      const release = fake.holdAnswers('GetUser');

      // Act
      let answered = false;
      const held = iam.send(new GetUserCommand({ UserName: 'user-00001' })).then((response) => {
        answered = true;
        return response;
      });
      while (fake.callsOf('GetUser').length === 0) await new Promise((resolve) => setImmediate(resolve));
      // A whole round trip after the held request arrived: an answer sent at once would be in by now.
      const other = await iam.send(new ListUsersCommand({}));
      const answeredBeforeRelease = answered;
      release();
      const response = await held;

      // Assess
      expect(other.Users).to.have.length(1);
      expect(answeredBeforeRelease).to.equal(false);
      expect(response.User?.UserName).to.equal('user-00001');
    });

    it('adds latencyMs to every response', async () => {
      // Prepare
      fake.latencyMs = 40;
      const started = performance.now();

      // Act
      await iam.send(new ListUsersCommand({}));

      // Assess
      expect(performance.now() - started).to.be.at.least(39);
    });

    it('reset() clears traffic and faults but keeps users', async () => {
      // Prepare
      fake.addUser(user(1));
      fake.failAlways('*', { status: 403, code: 'AccessDenied' });
      await rejectionOf(iam.send(new GetUserCommand({ UserName: 'user-00001' })));

      // Act
      fake.reset();
      const result = await iam.send(new GetUserCommand({ UserName: 'user-00001' }));

      // Assess
      expect(result.User!.UserName).to.equal('user-00001');
      expect(fake.calls).to.have.length(1);
      expect(fake.stats()).to.deep.include({ iamCalls: 1, injected: 0, byAction: { GetUser: 1 } });
    });
  });

  describe('AWS Config (awsJson1_1)', () => {
    it('records accepted PutEvaluations calls with OrderingTimestamp as a Date', async () => {
      // Act
      const result = await config.send(
        new PutEvaluationsCommand({
          ResultToken: 'token-1',
          Evaluations: [evaluation('AIDA1'), evaluation('AIDA2', 'NON_COMPLIANT')],
          TestMode: false,
        }),
      );

      // Assess
      expect(result.FailedEvaluations).to.deep.equal([]);
      expect(fake.putEvaluations).to.deep.equal([
        {
          Evaluations: [evaluation('AIDA1'), evaluation('AIDA2', 'NON_COMPLIANT')],
          ResultToken: 'token-1',
          TestMode: false,
          accessKeyId: 'AKIDTEST',
          accountId: '123456789012',
        },
      ]);
    });

    it('answers injected rejections as FailedEvaluations and records only the accepted ones', async () => {
      // Prepare
      fake.rejectEvaluationsNext(1, 1);

      // Act
      const first = await config.send(
        new PutEvaluationsCommand({ ResultToken: 't', Evaluations: [evaluation('AIDA1'), evaluation('AIDA2')] }),
      );
      const second = await config.send(new PutEvaluationsCommand({ ResultToken: 't', Evaluations: [evaluation('AIDA3')] }));

      // Assess
      expect(first.FailedEvaluations).to.deep.equal([evaluation('AIDA1')]);
      expect(second.FailedEvaluations).to.deep.equal([]);
      expect(fake.putEvaluations.map((p) => p.Evaluations.map((e) => e.ComplianceResourceId))).to.deep.equal([['AIDA2'], ['AIDA3']]);
      expect(fake.rejectedEvaluations.map((e) => e.ComplianceResourceId)).to.deep.equal(['AIDA1']);
    });

    it('refuses evaluations Config would refuse: more than 100, an empty annotation, INSUFFICIENT_DATA', async () => {
      // Act
      const tooMany = await rejectionOf(
        config.send(
          new PutEvaluationsCommand({ ResultToken: 't', Evaluations: Array.from({ length: 101 }, (_, i) => evaluation(`AIDA${i}`)) }),
        ),
      );
      const emptyAnnotation = await rejectionOf(
        config.send(new PutEvaluationsCommand({ ResultToken: 't', Evaluations: [{ ...evaluation('AIDA1'), Annotation: '' }] })),
      );
      const insufficient = await rejectionOf(
        config.send(new PutEvaluationsCommand({ ResultToken: 't', Evaluations: [evaluation('AIDA1', 'INSUFFICIENT_DATA')] })),
      );

      // Assess
      expect([tooMany.name, emptyAnnotation.name, insufficient.name]).to.deep.equal([
        'ValidationException',
        'ValidationException',
        'InvalidParameterValueException',
      ]);
      expect(fake.putEvaluations).to.deep.equal([]);
    });

    it('surfaces JSON errors by their __type: ThrottlingException is retried, AccessDeniedException is not', async () => {
      // Prepare
      fake.failNext('PutEvaluations', { status: 400, code: 'ThrottlingException' });
      fake.failNext('GetResourceConfigHistory', { status: 400, code: 'AccessDeniedException' });

      // Act
      const put = await config.send(new PutEvaluationsCommand({ ResultToken: 't', Evaluations: [evaluation('AIDA1')] }));
      const denied = await rejectionOf(
        config.send(new GetResourceConfigHistoryCommand({ resourceType: 'AWS::IAM::User', resourceId: 'AIDA1' })),
      );

      // Assess
      expect(put.$metadata.attempts).to.equal(2);
      expect(fake.putEvaluations).to.have.length(1);
      expect(denied.name).to.equal('AccessDeniedException');
      expect(denied.$metadata).to.include({ httpStatusCode: 400, attempts: 1 });
    });

    it('returns GetResourceConfigHistory items in the API shape, the capture time parsed to a Date by the SDK', async () => {
      // Prepare
      const configuration = JSON.stringify({ userName: 'bob', userId: 'AIDABOB' });
      fake.setConfigHistory('AIDABOB', [
        {
          version: '1.3',
          accountId: '123456789012',
          configurationItemCaptureTime: 1717243200.5,
          configurationItemStatus: 'OK',
          configurationStateId: '1717243200500',
          arn: 'arn:aws:iam::123456789012:user/bob',
          resourceType: 'AWS::IAM::User',
          resourceId: 'AIDABOB',
          resourceName: 'bob',
          awsRegion: 'global',
          resourceCreationTime: new Date('2020-02-02T00:00:00Z'),
          tags: { team: 'a' },
          relationships: [],
          configuration,
          supplementaryConfiguration: {},
        },
      ]);

      // Act
      const { configurationItems } = await config.send(
        new GetResourceConfigHistoryCommand({ resourceType: 'AWS::IAM::User', resourceId: 'AIDABOB', limit: 1 }),
      );
      const unknown = await rejectionOf(
        config.send(new GetResourceConfigHistoryCommand({ resourceType: 'AWS::IAM::User', resourceId: 'AIDANOBODY' })),
      );

      // Assess
      expect(configurationItems).to.have.length(1);
      const item = configurationItems![0]!;
      expect(item.configurationItemCaptureTime).to.deep.equal(new Date('2024-06-01T12:00:00.500Z'));
      expect(item.resourceCreationTime).to.deep.equal(new Date('2020-02-02T00:00:00Z'));
      expect(item).to.deep.include({
        accountId: '123456789012',
        configurationItemStatus: 'OK',
        configurationStateId: '1717243200500',
        resourceType: 'AWS::IAM::User',
        resourceId: 'AIDABOB',
        resourceName: 'bob',
        tags: { team: 'a' },
        configuration,
      });
      expect(unknown.name).to.equal('ResourceNotDiscoveredException');
    });

    it("stores a rule's PutEvaluations as its results: per resource the latest OrderingTimestamp, TestMode never", async () => {
      // Prepare
      fake.setComplianceResults('stored-rule', []);
      fake.storeEvaluations('stored-token', 'stored-rule');
      const evaluation = (id: string, complianceType: 'COMPLIANT' | 'NON_COMPLIANT', at: string) => ({
        ComplianceResourceType: 'AWS::IAM::User',
        ComplianceResourceId: id,
        ComplianceType: complianceType,
        Annotation: `${complianceType} at ${at}`,
        OrderingTimestamp: new Date(at),
      });

      // Act
      await config.send(
        new PutEvaluationsCommand({
          ResultToken: 'stored-token',
          Evaluations: [evaluation('AIDA1', 'COMPLIANT', '2026-11-21T01:00:00Z'), evaluation('AIDA2', 'COMPLIANT', '2026-11-21T01:00:00Z')],
        }),
      );
      await config.send(
        new PutEvaluationsCommand({
          ResultToken: 'stored-token',
          Evaluations: [
            evaluation('AIDA1', 'NON_COMPLIANT', '2026-11-21T00:00:00Z'),
            evaluation('AIDA2', 'NON_COMPLIANT', '2026-11-21T02:00:00Z'),
          ],
        }),
      );
      await config.send(
        new PutEvaluationsCommand({
          ResultToken: 'stored-token',
          TestMode: true,
          Evaluations: [evaluation('AIDA3', 'COMPLIANT', '2026-11-21T03:00:00Z')],
        }),
      );
      await config.send(
        new PutEvaluationsCommand({ ResultToken: 'other-token', Evaluations: [evaluation('AIDA4', 'COMPLIANT', '2026-11-21T03:00:00Z')] }),
      );
      const page = await config.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'stored-rule' }));

      // Assess
      expect(fake.complianceResults('stored-rule').map((result) => [result.resourceId, result.complianceType])).to.deep.equal([
        ['AIDA1', 'COMPLIANT'],
        ['AIDA2', 'NON_COMPLIANT'],
      ]);
      expect(page.EvaluationResults!.map((result) => result.Annotation)).to.deep.equal([
        'COMPLIANT at 2026-11-21T01:00:00Z',
        'NON_COMPLIANT at 2026-11-21T02:00:00Z',
      ]);
    });

    it('pages GetComplianceDetailsByConfigRule with NextToken, filtered by ComplianceTypes', async () => {
      // Prepare
      fake.setComplianceResults(
        'single-access-key',
        Array.from({ length: 25 }, (_, i) => ({ resourceId: `AIDA${i}`, complianceType: i % 5 === 0 ? 'COMPLIANT' : 'NON_COMPLIANT' })),
      );

      // Act
      const pages: string[][] = [];
      let token: string | undefined;
      do {
        const page = await config.send(
          new GetComplianceDetailsByConfigRuleCommand({
            ConfigRuleName: 'single-access-key',
            ComplianceTypes: ['NON_COMPLIANT'],
            Limit: 8,
            NextToken: token,
          }),
        );
        pages.push(page.EvaluationResults!.map((r) => r.EvaluationResultIdentifier!.EvaluationResultQualifier!.ResourceId!));
        token = page.NextToken;
      } while (token);
      const missing = await rejectionOf(config.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'nope' })));

      // Assess
      expect(pages.map((p) => p.length)).to.deep.equal([8, 8, 4]);
      expect(pages.flat()).to.not.include('AIDA0');
      expect(fake.callsOf('GetComplianceDetailsByConfigRule')[1]!.params).to.have.property('NextToken').that.is.a('string');
      const first = await config.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'single-access-key', Limit: 1 }));
      expect(first.EvaluationResults![0]).to.deep.include({ ComplianceType: 'COMPLIANT' });
      expect(first.EvaluationResults![0]!.EvaluationResultIdentifier!.OrderingTimestamp).to.be.instanceOf(Date);
      expect(first.EvaluationResults![0]!.EvaluationResultIdentifier!.EvaluationResultQualifier).to.deep.include({
        ConfigRuleName: 'single-access-key',
        ResourceType: 'AWS::IAM::User',
        ResourceId: 'AIDA0',
      });
      expect(missing.name).to.equal('NoSuchConfigRuleException');
    });

    it('lists IAM users as discovered AWS::IAM::User resources, all or by id', async () => {
      // Prepare
      fake.addUsers([user(1), user(2), user(3)]);

      // Act
      const all = await config.send(new ListDiscoveredResourcesCommand({ resourceType: 'AWS::IAM::User', limit: 2 }));
      const byId = await config.send(
        new ListDiscoveredResourcesCommand({ resourceType: 'AWS::IAM::User', resourceIds: ['AIDA00003', 'AIDA99999'] }),
      );

      // Assess
      expect(all.resourceIdentifiers).to.deep.equal([
        { resourceType: 'AWS::IAM::User', resourceId: 'AIDA00001', resourceName: 'user-00001' },
        { resourceType: 'AWS::IAM::User', resourceId: 'AIDA00002', resourceName: 'user-00002' },
      ]);
      expect(all.nextToken).to.be.a('string');
      expect(byId.resourceIdentifiers).to.deep.equal([
        { resourceType: 'AWS::IAM::User', resourceId: 'AIDA00003', resourceName: 'user-00003' },
      ]);
    });
  });

  describe('the recording region (Config recorders per region, Account regions)', () => {
    it('answers DescribeConfigurationRecorders per region, by the region the request is signed for', async () => {
      // Prepare
      const west = new ConfigServiceClient({ ...settings(fake), region: 'eu-west-1' });
      fake.setConfigurationRecorders('eu-west-1', [
        { name: 'west', recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } },
      ]);

      // Act
      const east = await config.send(new DescribeConfigurationRecordersCommand({}));
      const westRecorders = await west.send(new DescribeConfigurationRecordersCommand({}));
      const elsewhere = new ConfigServiceClient({ ...settings(fake), region: 'us-west-2' });
      const none = await elsewhere.send(new DescribeConfigurationRecordersCommand({}));
      west.destroy();
      elsewhere.destroy();

      // Assess
      expect(east.ConfigurationRecorders?.[0]).to.deep.include({
        name: 'default',
        recordingGroup: {
          allSupported: true,
          includeGlobalResourceTypes: true,
          resourceTypes: [],
          exclusionByResourceTypes: { resourceTypes: [] },
          recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' },
        },
      });
      expect(westRecorders.ConfigurationRecorders?.map((recorder) => recorder.name)).to.deep.equal(['west']);
      expect(none.ConfigurationRecorders).to.deep.equal([]);
      expect(fake.callsOf('DescribeConfigurationRecorders').map((call) => call.region)).to.deep.equal([
        'us-east-1',
        'eu-west-1',
        'us-west-2',
      ]);
    });

    it('holds back the answers to an Account action (restJson1, named by its path) until released', async () => {
      // Prepare
      const account = new AccountClient(settings(fake));
      const release = fake.holdAnswers('ListRegions');

      // Act
      let answered = false;
      const held = account.send(new ListRegionsCommand({})).then((response) => {
        answered = true;
        return response;
      });
      while (fake.callsOf('ListRegions').length === 0) await new Promise((resolve) => setImmediate(resolve));
      await iam.send(new ListUsersCommand({}));
      const answeredBeforeRelease = answered;
      release();
      const response = await held;
      account.destroy();

      // Assess
      expect(answeredBeforeRelease).to.equal(false);
      expect(response.Regions?.length).to.be.greaterThan(0);
    });

    it("lists the account's regions with ListRegions, filtered by opt-in status and paged", async () => {
      // Prepare
      const account = new AccountClient(settings(fake));
      fake.setRegions([
        'us-east-1',
        'eu-west-1',
        { RegionName: 'ap-east-1', RegionOptStatus: 'ENABLED' },
        { RegionName: 'me-south-1', RegionOptStatus: 'DISABLED' },
      ]);

      // Act
      const names: string[] = [];
      for await (const page of paginateListRegions(
        { client: account, pageSize: 2 },
        { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] },
      )) {
        names.push(...(page.Regions ?? []).map((region) => region.RegionName!));
      }
      account.destroy();

      // Assess
      expect(names).to.deep.equal(['us-east-1', 'eu-west-1', 'ap-east-1']);
      expect(fake.callsOf('ListRegions')).to.have.length(2);
      expect(fake.stats().accountCalls).to.equal(2);
    });
  });

  describe('STS and accounts', () => {
    it('hands out credentials with AssumeRole whose calls act on the role account', async () => {
      // Prepare
      fake.addUser(user(1));
      fake.addUsers([user(7), user(8)], OTHER_ACCOUNT);
      const roleArn = `arn:aws:iam::${OTHER_ACCOUNT}:role/config-rule-execution`;

      // Act
      const { Credentials, AssumedRoleUser } = await sts.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'rule-1', DurationSeconds: 900 }),
      );
      const assumed = {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      };
      const otherIam = new IAMClient(settings(fake, assumed));
      const otherConfig = new ConfigServiceClient(settings(fake, assumed));
      const otherSts = new STSClient(settings(fake, assumed));
      const otherUsers = await otherIam.send(new ListUsersCommand({}));
      const ownUsers = await iam.send(new ListUsersCommand({}));
      await otherConfig.send(new PutEvaluationsCommand({ ResultToken: 't', Evaluations: [evaluation('AIDA00007')] }));
      const identity = await otherSts.send(new GetCallerIdentityCommand({}));
      [otherIam, otherConfig, otherSts].forEach((c) => c.destroy());

      // Assess
      expect(Credentials!.AccessKeyId).to.match(/^ASIA/);
      expect(Credentials!.Expiration).to.be.instanceOf(Date);
      expect(Credentials!.Expiration!.getTime() - Date.now()).to.be.within(890_000, 901_000);
      expect(AssumedRoleUser!.Arn).to.equal(`arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/config-rule-execution/rule-1`);
      expect(fake.assumedRoles).to.deep.equal([roleArn]);
      expect(fake.credentials(Credentials!.AccessKeyId!)).to.include({ roleArn, accountId: OTHER_ACCOUNT, roleSessionName: 'rule-1' });
      expect(otherUsers.Users!.map((u) => u.UserName)).to.deep.equal(['user-00007', 'user-00008']);
      expect(otherUsers.Users![0]!.Arn).to.equal(`arn:aws:iam::${OTHER_ACCOUNT}:user/user-00007`);
      expect(ownUsers.Users!.map((u) => u.UserName)).to.deep.equal(['user-00001']);
      expect(identity.Account).to.equal(OTHER_ACCOUNT);
      const listCalls = fake.callsOf('ListUsers');
      expect(listCalls.map((c) => [c.accessKeyId, c.accountId])).to.deep.equal([
        [Credentials!.AccessKeyId, OTHER_ACCOUNT],
        ['AKIDTEST', '123456789012'],
      ]);
      expect(fake.putEvaluations[0]).to.include({ accessKeyId: Credentials!.AccessKeyId, accountId: OTHER_ACCOUNT });
    });

    it('refuses assumed credentials without their session token, and once expired', async () => {
      // Prepare
      const { Credentials } = await sts.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/x`, RoleSessionName: 'rule' }),
      );
      const withoutToken = new IAMClient(
        settings(fake, { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey! }),
      );
      const withToken = new IAMClient(
        settings(fake, {
          accessKeyId: Credentials!.AccessKeyId!,
          secretAccessKey: Credentials!.SecretAccessKey!,
          sessionToken: Credentials!.SessionToken!,
        }),
      );

      // Act
      const invalid = await rejectionOf(withoutToken.send(new ListUsersCommand({})));
      fake.expireCredentials(Credentials!.AccessKeyId!);
      const expired = await rejectionOf(withToken.send(new ListUsersCommand({})));
      withoutToken.destroy();
      withToken.destroy();

      // Assess
      expect(invalid.name).to.equal('InvalidClientTokenId');
      expect(invalid.$metadata.httpStatusCode).to.equal(403);
      expect(expired.name).to.equal('ExpiredToken');
    });

    it('refuses AssumeRole with a malformed role ARN or DurationSeconds above the role maximum', async () => {
      // Act
      const badArn = await rejectionOf(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::12:role/x', RoleSessionName: 'rule' })));
      const tooLong = await rejectionOf(
        sts.send(
          new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/x`, RoleSessionName: 'rule', DurationSeconds: 7200 }),
        ),
      );

      // Assess
      expect([badArn.name, tooLong.name]).to.deep.equal(['ValidationError', 'ValidationError']);
      expect(fake.assumedRoles).to.deep.equal([]);
    });

    it('is reached by clients configured only through AWS_ENDPOINT_URL', async () => {
      // Prepare
      const saved = process.env.AWS_ENDPOINT_URL;
      process.env.AWS_ENDPOINT_URL = fake.url;
      fake.addUser(user(1));
      try {
        const client = new IAMClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS });

        // Act
        const result = await client.send(new ListUsersCommand({}));
        client.destroy();

        // Assess
        expect(result.Users!.map((u) => u.UserName)).to.deep.equal(['user-00001']);
      } finally {
        process.env.AWS_ENDPOINT_URL = saved;
      }
    });
  });
});
