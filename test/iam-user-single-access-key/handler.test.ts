import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  type Evaluation,
} from '@aws-sdk/client-config-service';
import {
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
// The STS client the SDK's fromTemporaryCredentials (the runtime's execution role) sends AssumeRole with.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/nested-clients/sts';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import { resetClients } from '../../src/config/awsClients';
import type { VerdictFacts } from '../../src/config/ComplianceType';
import { recordedAnnotation } from '../../src/config/resultFingerprint';
import { handler } from '../../src/iam-user-single-access-key/handler';
import { ALICE, changeEvent, type EditableEvent, oversizedEvent, scheduledEvent, serialize } from '../fixtures/events';

const NOW = new Date('2026-11-23T12:00:00Z');
const CAPTURE_TIME = new Date('2026-11-20T08:15:00.123Z');
const NOTIFICATION_TIME = new Date('2026-11-21T00:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

// Created per suite and restored after it: a module-level mock would stub every client of the
// test run, the wire-level tests' real ones included.
let iam: AwsClientStub<IAMClient>;
let config: AwsClientStub<ConfigServiceClient>;
let sts: AwsClientStub<STSClient>;

function accessDenied(message = 'not authorized'): Error {
  return Object.assign(new Error(message), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } });
}
function noSuchEntity(): NoSuchEntityException {
  return new NoSuchEntityException({ message: 'The user cannot be found.', $metadata: {} });
}

/** Every evaluation sent in PutEvaluations calls, with each call's token and test mode. */
function putCalls(): { Evaluations: Evaluation[]; ResultToken: string | undefined; TestMode: boolean | undefined }[] {
  return config.commandCalls(PutEvaluationsCommand).map((call) => ({
    Evaluations: call.args[0].input.Evaluations ?? [],
    ResultToken: call.args[0].input.ResultToken,
    TestMode: call.args[0].input.TestMode,
  }));
}

/** Alice as GetUser returns her, with two keys: one used yesterday, one never used. */
function aliceWithTwoKeys(tags: { Key: string; Value: string }[] = []): void {
  iam.on(GetUserCommand, { UserName: 'alice' }).resolves({
    User: {
      UserName: 'alice',
      UserId: ALICE.userId,
      Path: ALICE.path,
      Arn: 'arn:aws:iam::123456789012:user/team/ops/alice',
      CreateDate: daysAgo(900),
      Tags: tags,
    },
  });
  iam.on(ListAccessKeysCommand, { UserName: 'alice' }).resolves({
    AccessKeyMetadata: [
      { UserName: 'alice', AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Active', CreateDate: daysAgo(400) },
      { UserName: 'alice', AccessKeyId: 'AKIAI44QH8DHBEXAMPL2', Status: 'Active', CreateDate: daysAgo(2) },
    ],
  });
  iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }).resolves({
    UserName: 'alice',
    AccessKeyLastUsed: { LastUsedDate: new Date('2026-11-22T17:00:00Z'), ServiceName: 's3', Region: 'eu-west-1' },
  });
  iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAI44QH8DHBEXAMPL2' }).resolves({
    UserName: 'alice',
    AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' },
  });
}

/** An annotation as Config records it: followed by the marker of the verdict's facts, which these tests state in full. */
const withFacts = (annotation: string, facts: VerdictFacts) => recordedAnnotation({ complianceType: 'NOT_APPLICABLE', annotation, facts });
/** The facts of a judgement of keys under the default parameters. */
const keyFacts = (compliance: string, counted: [string, string][], inactive = 0): VerdictFacts => ({
  judged: 'keys',
  compliance,
  limit: 1,
  counting: 'active',
  counted: counted.map(([key, status]) => ({ key, status })),
  notCounted: { inactive, inGrace: 0, graceHours: null },
});
const ALICE_NON_COMPLIANT = withFacts(
  '2 active access keys (limit 1): ****MPLE, 400d old, last used 2026-11-22 (s3); ****MPL2, 2d old, never used. Deactivate or delete all but 1.',
  keyFacts('NON_COMPLIANT', [
    ['****MPLE', 'Active'],
    ['****MPL2', 'Active'],
  ]),
);

async function invoke(event: EditableEvent, context?: { getRemainingTimeInMillis(): number }) {
  return handler(serialize(event), context);
}

describe('handler (iam-user-single-access-key)', () => {
  let clock: sinon.SinonFakeTimers;

  before(() => {
    iam = mockClient(IAMClient);
    config = mockClient(ConfigServiceClient);
    sts = mockClient(STSClient);
  });

  after(() => {
    iam.restore();
    config.restore();
    sts.restore();
    resetClients();
  });

  beforeEach(() => {
    iam.reset();
    config.reset();
    sts.reset();
    resetClients();
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
    clock = sinon.useFakeTimers({ now: NOW, toFake: ['Date'] });
  });

  afterEach(() => clock.restore());

  describe('ConfigurationItemChangeNotification', () => {
    it('reports a user with two active keys NON_COMPLIANT, by user id, at the item capture time', async () => {
      // Prepare
      aliceWithTwoKeys();

      // Act
      const summary = await invoke(changeEvent());

      // Assess
      expect(putCalls()).to.deep.equal([
        {
          ResultToken: 'result-token-change',
          TestMode: false,
          Evaluations: [
            {
              ComplianceResourceType: 'AWS::IAM::User',
              ComplianceResourceId: ALICE.userId,
              ComplianceType: 'NON_COMPLIANT',
              Annotation: ALICE_NON_COMPLIANT,
              OrderingTimestamp: CAPTURE_TIME,
            },
          ],
        },
      ]);
      expect(iam.commandCalls(ListAccessKeysCommand)[0].args[0].input).to.include({ UserName: 'alice' });
      expect(summary).to.deep.include({
        toRecord: 1,
        recorded: 1,
        recordedByCompliance: { COMPLIANT: 0, NON_COMPLIANT: 1, NOT_APPLICABLE: 0 },
      });
    });

    it('reports a user with one active key COMPLIANT without looking up last use', async () => {
      // Prepare
      aliceWithTwoKeys();
      iam.on(ListAccessKeysCommand, { UserName: 'alice' }).resolves({
        AccessKeyMetadata: [
          { UserName: 'alice', AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Active', CreateDate: daysAgo(400) },
          { UserName: 'alice', AccessKeyId: 'AKIAI44QH8DHBEXAMPL2', Status: 'Inactive', CreateDate: daysAgo(2) },
        ],
      });

      // Act
      await invoke(changeEvent());

      // Assess
      expect(putCalls()[0].Evaluations).to.deep.equal([
        {
          ComplianceResourceType: 'AWS::IAM::User',
          ComplianceResourceId: ALICE.userId,
          ComplianceType: 'COMPLIANT',
          Annotation: withFacts(
            '1 active access key (limit 1): ****MPLE, 400d old. 1 inactive not counted.',
            keyFacts('COMPLIANT', [['****MPLE', 'Active']], 1),
          ),
          OrderingTimestamp: CAPTURE_TIME,
        },
      ]);
      expect(iam.commandCalls(GetAccessKeyLastUsedCommand)).to.have.length(0);
    });

    it('sets TestMode for the TESTMODE result token', async () => {
      aliceWithTwoKeys();
      const event = changeEvent();
      event.resultToken = 'TESTMODE';

      await invoke(event);

      expect(putCalls()[0]).to.include({ ResultToken: 'TESTMODE', TestMode: true });
    });

    it('applies the rule parameters', async () => {
      aliceWithTwoKeys();
      const event = changeEvent();
      event.ruleParameters = { maxAccessKeys: '2' };

      await invoke(event);

      expect(putCalls()[0].Evaluations[0]).to.include({ ComplianceType: 'COMPLIANT' });
    });

    const notApplicable: {
      name: string;
      edit: (event: EditableEvent, item: Record<string, unknown>) => void;
      annotation: string;
      resourceType?: string;
    }[] = [
      {
        name: 'a deleted user (ResourceDeleted)',
        edit: (_event, item) => (item.configurationItemStatus = 'ResourceDeleted'),
        annotation: 'Resource deleted (ResourceDeleted): nothing to evaluate.',
      },
      {
        name: 'a deleted user (ResourceDeletedNotRecorded)',
        edit: (_event, item) => (item.configurationItemStatus = 'ResourceDeletedNotRecorded'),
        annotation: 'Resource deleted (ResourceDeletedNotRecorded): nothing to evaluate.',
      },
      {
        name: 'a user not recorded in this region (ResourceNotRecorded)',
        edit: (_event, item) => (item.configurationItemStatus = 'ResourceNotRecorded'),
        annotation: 'Resource not recorded in this region (ResourceNotRecorded); it is evaluated where global resources are recorded.',
      },
      {
        name: 'a resource that left the rule scope (eventLeftScope)',
        edit: (event) => (event.eventLeftScope = true),
        annotation: 'Resource left the scope of this rule (eventLeftScope).',
      },
      {
        name: 'a resource of another type',
        edit: (_event, item) => (item.resourceType = 'AWS::IAM::Role'),
        annotation: 'This rule evaluates AWS::IAM::User only, not AWS::IAM::Role.',
        resourceType: 'AWS::IAM::Role',
      },
    ];
    for (const { name, edit, annotation, resourceType } of notApplicable) {
      it(`reports ${name} NOT_APPLICABLE without calling IAM`, async () => {
        // Prepare
        const event = changeEvent();
        edit(event, event.invokingEvent.configurationItem as Record<string, unknown>);

        // Act
        await invoke(event);

        // Assess
        expect(putCalls()[0].Evaluations).to.deep.equal([
          {
            ComplianceResourceType: resourceType ?? 'AWS::IAM::User',
            ComplianceResourceId: ALICE.userId,
            ComplianceType: 'NOT_APPLICABLE',
            Annotation: annotation,
            OrderingTimestamp: CAPTURE_TIME,
          },
        ]);
        expect(iam.calls()).to.have.length(0);
      });
    }

    it('reports NOT_APPLICABLE "no longer exists" a user whose name and id are both gone from IAM', async () => {
      iam.on(GetUserCommand).rejects(noSuchEntity());
      iam
        .on(ListUsersCommand)
        .resolves({ Users: [{ UserName: 'bob', UserId: 'AIDABOBBOBBOBBOBBOB01', Path: '/', Arn: 'arn', CreateDate: NOW }] });

      await invoke(changeEvent());

      expect(putCalls()[0].Evaluations[0]).to.deep.include({
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: withFacts(
          `IAM user alice (${ALICE.userId}) no longer exists: no user has this id in a complete listing of the account's users.`,
          { judged: 'gone', userName: 'alice', nameTakenBy: null },
        ),
      });
      expect(iam.commandCalls(ListUsersCommand)).to.have.length(1);
    });

    it('does not judge another user who took the name since the item was recorded, and says the name now belongs to that user id', async () => {
      iam
        .on(GetUserCommand)
        .resolves({ User: { UserName: 'alice', UserId: 'AIDANEWUSERWITHTHESAMENAME', Path: '/', Arn: 'arn', CreateDate: NOW } });
      iam
        .on(ListUsersCommand)
        .resolves({ Users: [{ UserName: 'alice', UserId: 'AIDANEWUSERWITHTHESAMENAME', Path: '/', Arn: 'arn', CreateDate: NOW }] });

      await invoke(changeEvent());

      expect(putCalls()[0].Evaluations[0]).to.include({
        ComplianceType: 'NOT_APPLICABLE',
        ComplianceResourceId: ALICE.userId,
        Annotation: withFacts(
          `IAM user alice (${ALICE.userId}) no longer exists: no user has this id in a complete listing of the account's users. The name alice now belongs to user id AIDANEWUSERWITHTHESAMENAME.`,
          { judged: 'gone', userName: 'alice', nameTakenBy: 'AIDANEWUSERWITHTHESAMENAME' },
        ),
      });
      expect(iam.commandCalls(ListAccessKeysCommand)).to.have.length(0);
    });

    it('reports a user listed in exemptUserNames NOT_APPLICABLE', async () => {
      aliceWithTwoKeys();
      const event = changeEvent();
      event.ruleParameters = { exemptUserNames: 'bob,alice' };

      await invoke(event);

      expect(putCalls()[0].Evaluations[0]).to.include({
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: withFacts('User alice is exempt: listed in exemptUserNames.', {
          judged: 'exempt',
          userName: 'alice',
          exemption: { by: 'exemptUserNames' },
        }),
      });
      expect(iam.commandCalls(ListAccessKeysCommand)).to.have.length(0);
    });

    it('reports a user carrying the exempt tag NOT_APPLICABLE, from the tags IAM has now', async () => {
      aliceWithTwoKeys([{ Key: 'cis-exempt', Value: 'approved' }]);
      const event = changeEvent();
      event.ruleParameters = { exemptTag: 'cis-exempt=approved' };

      await invoke(event);

      expect(putCalls()[0].Evaluations[0]).to.include({
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: withFacts('User alice is exempt: tagged cis-exempt=approved (exemptTag).', {
          judged: 'exempt',
          userName: 'alice',
          exemption: { by: 'exemptTag', tag: 'cis-exempt=approved' },
        }),
      });
      expect(iam.commandCalls(ListUserTagsCommand)).to.have.length(0);
    });

    it('fails naming the API and the user when IAM denies access, and reports nothing', async () => {
      aliceWithTwoKeys();
      iam
        .on(ListAccessKeysCommand)
        .rejects(accessDenied('User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: iam:ListAccessKeys'));

      const error = await invoke(changeEvent()).then(
        () => undefined,
        (caught: Error) => caught,
      );

      expect(error).to.be.instanceOf(Error);
      expect(error?.message).to.match(/^iam:ListAccessKeys failed for IAM user alice: AccessDenied: User: .* is not authorized/);
      expect(putCalls()).to.deep.equal([]);
    });
  });

  describe('OversizedConfigurationItemChangeNotification', () => {
    it('reports a deleted user NOT_APPLICABLE without fetching the item', async () => {
      const event = oversizedEvent();
      (event.invokingEvent.configurationItemSummary as Record<string, unknown>).configurationItemStatus = 'ResourceDeleted';

      await invoke(event);

      expect(config.commandCalls(GetResourceConfigHistoryCommand)).to.have.length(0);
      expect(putCalls()[0].Evaluations[0]).to.include({ ComplianceType: 'NOT_APPLICABLE', ComplianceResourceId: ALICE.userId });
    });

    it('fails, reporting nothing, when Config has no item for the resource', async () => {
      config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });

      const error = await invoke(oversizedEvent()).then(
        () => undefined,
        (caught: Error) => caught,
      );

      expect(error?.message).to.include(`GetResourceConfigHistory returned no configuration item for AWS::IAM::User ${ALICE.userId}`);
      expect(putCalls()).to.deep.equal([]);
    });
  });

  describe('ScheduledNotification', () => {
    /** `count` users named user-0000…, two keys for every third user, split in ListUsers pages of `pageSize`. */
    function account(count: number, pageSize = 1000): void {
      const users = Array.from({ length: count }, (_, index) => ({
        UserName: `user-${String(index).padStart(4, '0')}`,
        UserId: `AIDAUSER${String(index).padStart(12, '0')}`,
        Path: index % 2 === 0 ? '/' : '/team/',
        Arn: `arn:aws:iam::123456789012:user/user-${index}`,
        CreateDate: daysAgo(1000),
      }));
      iam.on(ListUsersCommand).callsFake((input: { Marker?: string }) => {
        const start = input.Marker ? Number(input.Marker) : 0;
        const end = Math.min(start + pageSize, users.length);
        return { Users: users.slice(start, end), IsTruncated: end < users.length, Marker: end < users.length ? String(end) : undefined };
      });
      iam.on(ListAccessKeysCommand).callsFake((input: { UserName: string }) => {
        const index = Number(input.UserName.slice(5));
        const keys = [
          {
            UserName: input.UserName,
            AccessKeyId: `AKIAKEYA${String(index).padStart(12, '0')}`,
            Status: 'Active',
            CreateDate: daysAgo(100),
          },
        ];
        if (index % 3 === 0)
          keys.push({
            UserName: input.UserName,
            AccessKeyId: `AKIAKEYB${String(index).padStart(12, '0')}`,
            Status: 'Active',
            CreateDate: daysAgo(10),
          });
        return { AccessKeyMetadata: keys };
      });
      iam
        .on(GetAccessKeyLastUsedCommand)
        .resolves({ AccessKeyLastUsed: { LastUsedDate: daysAgo(1), ServiceName: 'sts', Region: 'us-east-1' } });
    }

    it('judges every user over every ListUsers page and reports in calls of at most 100, at the notification time', async () => {
      // Prepare
      account(250, 100);

      // Act
      const summary = await invoke(scheduledEvent());

      // Assess
      expect(iam.commandCalls(ListUsersCommand)).to.have.length(3);
      const calls = putCalls();
      expect(calls.map((call) => call.Evaluations.length)).to.deep.equal([100, 100, 50]);
      expect(calls.every((call) => call.ResultToken === 'result-token-scheduled' && call.TestMode === false)).to.equal(true);
      const evaluations = calls.flatMap((call) => call.Evaluations);
      expect(new Set(evaluations.map((evaluation) => evaluation.ComplianceResourceId)).size).to.equal(250);
      expect(evaluations.every((evaluation) => (evaluation.OrderingTimestamp as Date).getTime() === NOTIFICATION_TIME.getTime())).to.equal(
        true,
      );
      const user3 = evaluations.find((evaluation) => evaluation.ComplianceResourceId === 'AIDAUSER000000000003');
      expect(user3).to.deep.equal({
        ComplianceResourceType: 'AWS::IAM::User',
        ComplianceResourceId: 'AIDAUSER000000000003',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: withFacts(
          '2 active access keys (limit 1): ****0003, 100d old, last used 2026-11-22 (sts); ****0003, 10d old, last used 2026-11-22 (sts). Deactivate or delete all but 1.',
          keyFacts('NON_COMPLIANT', [
            ['****0003', 'Active'],
            ['****0003', 'Active'],
          ]),
        ),
        OrderingTimestamp: NOTIFICATION_TIME,
      });
      expect(summary.recordedByCompliance).to.deep.equal({ COMPLIANT: 166, NON_COMPLIANT: 84, NOT_APPLICABLE: 0 });
    });

    it('reports NOT_APPLICABLE every user it judged before that no longer exists (all compliance pages)', async () => {
      // Prepare
      account(3);
      config.on(GetComplianceDetailsByConfigRuleCommand).callsFake((input: { NextToken?: string }) => {
        const result = (id: string, type = 'AWS::IAM::User') => ({
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: { ConfigRuleName: 'iam-user-single-access-key', ResourceType: type, ResourceId: id },
          },
          ComplianceType: 'NON_COMPLIANT',
        });
        return input.NextToken
          ? { EvaluationResults: [result('AIDAGONEUSER00000000002'), result('some-other-type', 'AWS::IAM::Role')] }
          : { EvaluationResults: [result('AIDAUSER000000000001'), result('AIDAGONEUSER00000000001')], NextToken: 'page-2' };
      });

      // Act
      await invoke(scheduledEvent());

      // Assess
      expect(config.commandCalls(GetComplianceDetailsByConfigRuleCommand)[0].args[0].input).to.deep.include({
        ConfigRuleName: 'iam-user-single-access-key',
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'],
      });
      const evaluations = putCalls().flatMap((call) => call.Evaluations);
      const gone = evaluations.filter((evaluation) => evaluation.ComplianceType === 'NOT_APPLICABLE');
      expect(gone).to.deep.equal(
        ['AIDAGONEUSER00000000001', 'AIDAGONEUSER00000000002'].map((id) => ({
          ComplianceResourceType: 'AWS::IAM::User',
          ComplianceResourceId: id,
          ComplianceType: 'NOT_APPLICABLE',
          Annotation: 'Resource no longer exists: not found in a full listing of the account.',
          OrderingTimestamp: NOTIFICATION_TIME,
        })),
      );
      expect(evaluations).to.have.length(5);
    });

    it('looks up tags only when exemptTag is set, and exempts tagged users', async () => {
      account(4);
      iam.on(ListUserTagsCommand).callsFake((input: { UserName: string }) => ({
        Tags: input.UserName === 'user-0003' ? [{ Key: 'cis-exempt', Value: '' }] : [{ Key: 'team', Value: 'x' }],
      }));
      const event = scheduledEvent();
      event.ruleParameters = { exemptTag: 'cis-exempt' };

      await invoke(event);

      expect(iam.commandCalls(ListUserTagsCommand)).to.have.length(4);
      const byId = new Map(
        putCalls()
          .flatMap((call) => call.Evaluations)
          .map((evaluation) => [evaluation.ComplianceResourceId, evaluation.ComplianceType]),
      );
      expect(byId.get('AIDAUSER000000000003')).to.equal('NOT_APPLICABLE');
      expect(byId.get('AIDAUSER000000000000')).to.equal('NON_COMPLIANT');
    });

    it('reports users judged before an IAM failure, then fails naming the API and user; never guesses the rest', async () => {
      // Prepare
      account(30);
      iam.on(ListAccessKeysCommand, { UserName: 'user-0012' }).rejects(accessDenied());

      // Act
      const error = await invoke(scheduledEvent()).then(
        () => undefined,
        (caught: Error) => caught,
      );

      // Assess
      expect(error?.message).to.match(/^iam:ListAccessKeys failed for IAM user user-0012: AccessDenied/);
      const evaluations = putCalls().flatMap((call) => call.Evaluations);
      expect(evaluations.length).to.be.greaterThan(0).and.lessThan(30);
      expect(evaluations.map((evaluation) => evaluation.ComplianceResourceId)).not.to.include('AIDAUSER000000000012');
      expect(evaluations.every((evaluation) => evaluation.ComplianceType !== 'NOT_APPLICABLE')).to.equal(true);
    });

    it('resubmits evaluations Config lists in FailedEvaluations', async () => {
      account(3);
      config
        .on(PutEvaluationsCommand)
        .resolvesOnce({
          FailedEvaluations: [
            {
              ComplianceResourceId: 'AIDAUSER000000000001',
              ComplianceResourceType: 'AWS::IAM::User',
              ComplianceType: 'COMPLIANT',
              OrderingTimestamp: NOTIFICATION_TIME,
            },
          ],
        })
        .resolves({ FailedEvaluations: [] });

      const summary = await invoke(scheduledEvent());

      expect(putCalls().map((call) => call.Evaluations.map((evaluation) => evaluation.ComplianceResourceId))).to.deep.equal([
        ['AIDAUSER000000000000', 'AIDAUSER000000000001', 'AIDAUSER000000000002'],
        ['AIDAUSER000000000001'],
      ]);
      expect(summary).to.deep.include({ toRecord: 3, recorded: 3 });
    });

    it('fails naming the resources when Config keeps rejecting evaluations', async () => {
      account(2);
      config.on(PutEvaluationsCommand).callsFake((input: { Evaluations: Evaluation[] }) => ({
        FailedEvaluations: input.Evaluations.filter((evaluation) => evaluation.ComplianceResourceId === 'AIDAUSER000000000001'),
      }));

      const error = await invoke(scheduledEvent()).then(
        () => undefined,
        (caught: Error) => caught,
      );

      expect(error?.message).to.equal('config:PutEvaluations rejected 1 evaluation(s) after resubmission: AIDAUSER000000000001');
      expect(config.commandCalls(PutEvaluationsCommand)).to.have.length(3);
    });
  });

  describe('executionRoleName', () => {
    it('assumes the role in the event account, in the rule partition', async () => {
      aliceWithTwoKeys();
      sts.on(AssumeRoleCommand).resolves({
        Credentials: {
          AccessKeyId: 'ASIAASSUMED',
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date(NOW.getTime() + 3_600_000),
        },
      });
      const event = changeEvent();
      event.ruleParameters = { executionRoleName: 'ConfigRuleAccessKeyReader' };
      event.configRuleArn = 'arn:aws-us-gov:config:us-gov-west-1:123456789012:config-rule/config-rule-abc123';

      await invoke(event);

      // The mocked clients never resolve credentials, so call the provider the IAM client was given.
      const credentials = await (iam.send.thisValues[0] as IAMClient).config.credentials();
      expect(credentials.accessKeyId).to.equal('ASIAASSUMED');
      expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleArn).to.equal(
        'arn:aws-us-gov:iam::123456789012:role/ConfigRuleAccessKeyReader',
      );
    });

    it('fails naming the role and account when it cannot be assumed, before any other call, and reports nothing', async () => {
      aliceWithTwoKeys();
      sts.on(AssumeRoleCommand).rejects(accessDenied('not authorized to perform sts:AssumeRole'));
      const event = changeEvent();
      event.ruleParameters = { executionRoleName: 'Missing' };

      const error = await invoke(event).then(
        () => undefined,
        (caught: Error) => caught,
      );

      expect(error?.message).to.equal(
        'sts:AssumeRole failed for execution role arn:aws:iam::123456789012:role/Missing in account 123456789012: AccessDenied: not authorized to perform sts:AssumeRole',
      );
      expect(iam.calls()).to.have.length(0);
      expect(putCalls()).to.deep.equal([]);
    });

    it('names the assume-role session after the rule, with characters STS refuses replaced', async () => {
      aliceWithTwoKeys();
      sts.on(AssumeRoleCommand).resolves({
        Credentials: {
          AccessKeyId: 'ASIAASSUMED',
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date(NOW.getTime() + 3_600_000),
        },
      });
      const event = changeEvent();
      event.ruleParameters = { executionRoleName: 'Reader' };
      event.configRuleName = 'cis 1.13: access keys';

      await invoke(event);

      expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleSessionName).to.match(/^cis-1\.13--access-keys-\d+$/);
    });

    it('rejects a malformed role name, naming the parameter', async () => {
      const event = changeEvent();
      event.ruleParameters = { executionRoleName: 'role/with/slashes' };

      const error = await invoke(event).then(
        () => undefined,
        (caught: Error) => caught,
      );

      expect(error?.message).to.equal('Invalid rule parameter "executionRoleName": "role/with/slashes" is not an IAM role name');
      expect(putCalls()).to.deep.equal([]);
    });
  });

  describe('bad input', () => {
    const malformed: { name: string; event: () => unknown; message: RegExp }[] = [
      { name: 'a non-object event', event: () => 'hello', message: /event must be an object/ },
      {
        name: 'invokingEvent that is not JSON',
        event: () => ({ ...serialize(changeEvent()), invokingEvent: '{oops' }),
        message: /invokingEvent is not valid JSON/,
      },
      {
        name: 'an unknown messageType',
        event: () => serialize({ ...changeEvent(), invokingEvent: { messageType: 'ConfigurationSnapshotDeliveryCompleted' } }),
        message: /messageType "ConfigurationSnapshotDeliveryCompleted" is not one of ConfigurationItemChangeNotification, /,
      },
      {
        name: 'a missing resultToken',
        event: () => ({ ...serialize(changeEvent()), resultToken: undefined }),
        message: /resultToken must be a non-empty string/,
      },
      {
        name: 'a missing configRuleName',
        event: () => ({ ...serialize(changeEvent()), configRuleName: undefined }),
        message: /configRuleName must be a non-empty string/,
      },
      {
        name: 'a missing configuration item',
        event: () => serialize({ ...changeEvent(), invokingEvent: { messageType: 'ConfigurationItemChangeNotification' } }),
        message: /invokingEvent.configurationItem must be an object/,
      },
      {
        name: 'a capture time that is not a timestamp',
        event: () => {
          const event = changeEvent();
          (event.invokingEvent.configurationItem as Record<string, unknown>).configurationItemCaptureTime = 'yesterday';
          return serialize(event);
        },
        message: /configurationItemCaptureTime is not an ISO 8601 timestamp with a time zone: "yesterday"/,
      },
      ...['7', '2026-11-20', '2026-11-20T08:15:00', 'Fri, 20 Nov 2026 08:15:00 GMT'].map((time) => ({
        name: `a capture time that is not a full ISO 8601 timestamp with its zone (${time})`,
        event: () => {
          const event = changeEvent();
          (event.invokingEvent.configurationItem as Record<string, unknown>).configurationItemCaptureTime = time;
          return serialize(event);
        },
        message: new RegExp(`configurationItemCaptureTime is not an ISO 8601 timestamp with a time zone: "${time}"`),
      })),
      {
        name: "a scheduled notification whose awsAccountId is not the event's accountId",
        event: () => serialize({ ...scheduledEvent(), accountId: '210987654321' }),
        message: /invokingEvent.awsAccountId "123456789012" is not the event's accountId "210987654321"/,
      },
      {
        name: 'a scheduled notification without its time',
        event: () =>
          serialize({ ...scheduledEvent(), invokingEvent: { messageType: 'ScheduledNotification', awsAccountId: '123456789012' } }),
        message: /invokingEvent.notificationCreationTime must be a non-empty string/,
      },
      {
        name: 'ruleParameters that are not JSON',
        event: () => ({ ...serialize(changeEvent()), ruleParameters: '{' }),
        message: /ruleParameters is not valid JSON/,
      },
      {
        name: 'a bad account id',
        event: () => ({ ...serialize(changeEvent()), accountId: '12345' }),
        message: /accountId is not an AWS account id: "12345"/,
      },
    ];
    for (const { name, event, message } of malformed) {
      it(`fails on ${name} with a clear message and reports nothing`, async () => {
        const error = await handler(event()).then(
          () => undefined,
          (caught: Error) => caught,
        );

        expect(error?.name).to.equal('MalformedEventError');
        expect(error?.message)
          .to.match(/^Malformed Config rule event: /)
          .and.match(message);
        expect(putCalls()).to.deep.equal([]);
        expect(iam.calls()).to.have.length(0);
      });
    }

    it('fails on an unknown rule parameter, naming it, and reports nothing', async () => {
      const event = scheduledEvent();
      event.ruleParameters = { maxAccessKey: '2' };

      const error = await invoke(event).then(
        () => undefined,
        (caught: Error) => caught,
      );

      expect(error?.message).to.match(/^Invalid rule parameter "maxAccessKey": unknown parameter/);
      expect(putCalls()).to.deep.equal([]);
      expect(iam.calls()).to.have.length(0);
    });
  });
});
