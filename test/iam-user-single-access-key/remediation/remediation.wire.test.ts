import {
  type AttributeValue,
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { startFakeAws, stopFakeAws } from '../../support/useFakeAws';
import { resetClients } from '../../../src/config/awsClients';
import { allowDeleteFromEnv, handler } from '../../../src/iam-user-single-access-key/remediation/handler';
import type { RemediationResult } from '../../../src/iam-user-single-access-key/remediation/remediateAccessKeys';
import type { FakeAccessKey, FakeAws, FakeUser } from '../../../tools/fakeAws';
import { TEST_HARNESS_ACCESS_KEY_ID } from '../../support/callJournal';
import { motoOrSkip } from '../../support/motoServer';
import { packageService, type Template } from '../../support/packageTemplate';
import { remediationOf } from '../../../tools/automation/remediationOf';
import { renderText } from '../../../tools/automation/renderText';
import { ALICE, KEY } from './fixtures';

// The remediate function with the real SDK clients against the local fake IAM/Config/DynamoDB
// endpoint (AWS_ENDPOINT_URL), with the SDK's own retry strategy, fed the payload the packaged SSM
// document renders, its lock table created as the packaged template declares it. Races are
// staged with the fake's beforeAnswering hooks (a change made by "someone else" right before the
// function's next call is answered) and answerTogether (runs that reach the lock at the same
// instant). The lock's scenarios run twice: against the fake's DynamoDB and against moto_server's,
// which the fake forwards to (a third party's reading of DynamoDB's conditions).

const DAY = 86_400_000;
const RULE = 'iam-user-single-access-key';
const FOURTH = 'AKIAK66SJ0FJDGZBFOR4';
const EXECUTION_ID = '4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab';
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => error,
  );
let tables = 0;

/** A lock table as the packaged template declares it, under a name of its own, created through the fake (and so in moto when it forwards). */
async function createLockTable(fake: FakeAws, template: Template): Promise<string> {
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
async function lockOnAlice(fake: FakeAws, table: string): Promise<Record<string, AttributeValue> | undefined> {
  return (
    await lockTableClient(fake).send(
      new GetItemCommand({ TableName: table, Key: { resourceId: { S: ALICE.userId } }, ConsistentRead: true }),
    )
  ).Item;
}

/** Writes a lock on alice as another run would have, expiring at `expiresAt`. */
async function stageLock(
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

const used = (days: number) => ({ date: new Date(Date.now() - days * DAY), serviceName: 's3', region: 'eu-west-1' });
const created = (days: number) => new Date(Date.now() - days * DAY);

/** Alice with a key used yesterday, one never used, and an inactive one. */
function alice(): FakeUser {
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
function renderPayload(
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
function restoreEnvironment(): void {
  for (const [name, value] of [
    ['ALLOW_DELETE', SAVED.allowDelete],
    ['CONFIG_RULE_NAME', SAVED.ruleName],
    ['LOCK_TABLE_NAME', SAVED.lockTable],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

describe('remediation over the wire (real SDK, local endpoint)', function () {
  this.timeout(180_000);
  let fake: FakeAws;
  let template: Template;
  let payloadTemplate: string;
  let lockTable: string;

  const payload = (values: Parameters<typeof renderPayload>[1] = {}) => renderPayload(payloadTemplate, values);
  const statuses = (name = 'alice') =>
    Object.fromEntries((fake.getUser(name)?.accessKeys ?? []).map((key) => [key.accessKeyId, key.status]));
  const writes = () => [...fake.callsOf('UpdateAccessKey'), ...fake.callsOf('DeleteAccessKey')].filter((call) => call.status === 200);
  const ruleParameters = (parameters: Record<string, string>) =>
    fake.setConfigRule({ ConfigRuleName: RULE, InputParameters: JSON.stringify(parameters) });
  /** Changes alice's keys in the fake, as another actor would. */
  function changeAlice(change: (keys: FakeAccessKey[]) => FakeAccessKey[]): void {
    const user = fake.getUser('alice')!;
    fake.addUser({ ...user, accessKeys: change(user.accessKeys ?? []) });
  }

  before(async () => {
    ({ template } = await packageService());
    payloadTemplate = remediationOf(template).step.inputs.Payload;
    fake = await startFakeAws({
      accountId: '123456789012',
      maxAttempts: 4,
      journal: {
        function: 'remediate',
        settings: () => ({ allowDelete: allowDeleteFromEnv() }),
        resourceNames: () => ({ LOCK_TABLE_NAME: process.env.LOCK_TABLE_NAME ?? '' }),
      },
    });
    lockTable = await createLockTable(fake, template);
  });

  after(async () => {
    await stopFakeAws(fake);
  });

  beforeEach(() => {
    fake.reset();
    fake.setRecordsIamUsers(true);
    fake.removeUser('alice');
    fake.addUser(alice());
    ruleParameters({});
    resetClients();
    delete process.env.ALLOW_DELETE;
    process.env.CONFIG_RULE_NAME = RULE;
    process.env.LOCK_TABLE_NAME = lockTable;
  });

  afterEach(restoreEnvironment);

  it('deactivates the unused key under its lock, releases it, writes nothing to the user, and a second run changes nothing', async () => {
    // Act
    const first = await handler(payload());
    const second = await handler(payload());

    // Assess
    expect(statuses()).to.deep.equal({ [KEY.old]: 'Active', [KEY.new]: 'Inactive', [KEY.third]: 'Inactive' });
    expect(first).to.deep.include({ changed: true, succeeded: true, outcome: 'remediated', deactivated: ['****NEW2'] });
    expect(second).to.deep.include({ changed: false, succeeded: true, outcome: 'nothing-to-do', deactivated: [], deleted: [] });
    expect(fake.callsOf('UpdateAccessKey')).to.have.length(1);
    expect(fake.callsOf('PutItem').map((call) => call.status)).to.deep.equal([200]);
    expect(fake.callsOf('DeleteItem').map((call) => call.status)).to.deep.equal([200]);
    expect(fake.tableItems(lockTable)).to.deep.equal([]);
    expect(first.lock).to.deep.include({ table: lockTable, released: true });
    expect(
      fake.calls.filter(
        (call) =>
          call.service === 'iam' &&
          !['GetUser', 'ListUsers', 'ListAccessKeys', 'GetAccessKeyLastUsed', 'UpdateAccessKey'].includes(call.action),
      ),
    ).to.deep.equal([]);
    expect(fake.getUser('alice')?.tags).to.deep.equal({});
    expect(fake.callsOf('ListDiscoveredResources')[0]!.params).to.deep.include({
      resourceType: 'AWS::IAM::User',
      resourceIds: [ALICE.userId],
    });
  });

  it('deletes every key but the one in use with Delete, and a second run changes nothing', async () => {
    // Prepare
    process.env.ALLOW_DELETE = 'true';

    // Act
    const first = await handler(payload({ Action: 'Delete' }));
    const second = await handler(payload({ Action: 'Delete' }));

    // Assess
    expect(statuses()).to.deep.equal({ [KEY.old]: 'Active' });
    expect(first).to.deep.include({ deactivated: ['****NEW2'], deleted: ['****THR3', '****NEW2'], succeeded: true });
    expect(second).to.deep.include({ changed: false });
    expect(fake.callsOf('DeleteAccessKey')).to.have.length(2);
  });

  it("finds a user Config does not record in this region through IAM's ListUsers, and deletes its other keys with Delete", async () => {
    // Prepare: Config here records no IAM user (another region records global resources)
    process.env.ALLOW_DELETE = 'true';
    fake.setRecordsIamUsers(false);

    // Act
    const result = await handler(payload({ Action: 'Delete' }));

    // Assess
    expect(statuses()).to.deep.equal({ [KEY.old]: 'Active' });
    expect(result).to.deep.include({ succeeded: true, deleted: ['****THR3', '****NEW2'] });
    expect(fake.callsOf('ListDiscoveredResources').map((call) => call.status)).to.deep.equal([200]);
    expect(fake.callsOf('ListUsers')).to.have.length(1);
  });

  it('changes nothing on a dry run, and takes no lock', async () => {
    // Act
    const result = await handler(payload({ DryRun: true }));

    // Assess
    expect(statuses()).to.deep.equal({ [KEY.old]: 'Active', [KEY.new]: 'Active', [KEY.third]: 'Inactive' });
    expect(writes()).to.have.length(0);
    expect(fake.stats().dynamodbCalls).to.equal(0);
    expect(result).to.deep.include({ outcome: 'dry-run', succeeded: true });
    expect(result.plan.deactivate.map((key) => key.accessKeyId)).to.deep.equal(['****NEW2']);
  });

  it('retries throttling and 5xx answers from IAM and Config', async () => {
    // Prepare
    fake.failNext('ListDiscoveredResources', { status: 500, code: 'InternalFailure' }, 1);
    fake.failNext('DescribeConfigRules', { status: 400, code: 'ThrottlingException' }, 1);
    fake.failNext('ListAccessKeys', { status: 503, code: 'ServiceUnavailable' }, 1);
    fake.failNext('UpdateAccessKey', { status: 400, code: 'Throttling', message: 'Rate exceeded' }, 2);

    // Act
    const result = await handler(payload());

    // Assess
    expect(result.deactivated).to.deep.equal(['****NEW2']);
    expect(fake.callsOf('UpdateAccessKey').map((call) => call.status)).to.deep.equal([400, 400, 200]);
    expect(fake.callsOf('ListDiscoveredResources').map((call) => call.status)).to.deep.equal([500, 200]);
    expect(fake.callsOf('DescribeConfigRules').map((call) => call.status)).to.deep.equal([400, 200]);
    expect(
      fake
        .callsOf('ListAccessKeys')
        .slice(0, 2)
        .map((call) => call.status),
    ).to.deep.equal([503, 200]);
  });

  it('reports the change it could not make once retries run out, naming the masked key and the error', async () => {
    // Prepare
    fake.failAlways('UpdateAccessKey', { status: 400, code: 'Throttling', message: 'Rate exceeded' });

    // Act
    const error = await rejection(handler(payload()));

    // Assess
    expect(error?.message).to.equal(
      `Remediation of IAM user alice (${ALICE.userId}) stopped part-way. Done: nothing. ` +
        'Not done: deactivate ****NEW2 (ResourceEvaluationError: iam:UpdateAccessKey failed for IAM user alice (access key ****NEW2): Throttling: Rate exceeded).',
    );
    expect(fake.callsOf('UpdateAccessKey')).to.have.length(4);
    expect(statuses()[KEY.new]).to.equal('Active');
    expect(fake.tableItems(lockTable)).to.deep.equal([]);
  });

  it('fails naming an unknown id and changes nothing', async () => {
    // Prepare
    fake.removeUser('alice');

    // Act
    const error = await rejection(handler(payload()));

    // Assess
    expect(error?.message).to.equal(
      `No IAM user with id ${ALICE.userId}: not in AWS Config's discovered resources, and not found in IAM's ListUsers. Nothing was changed.`,
    );
    expect(fake.callsOf('UpdateAccessKey')).to.have.length(0);
  });

  describe("the rule's current parameters (MaxAccessKeys left empty)", () => {
    it("follows maxAccessKeys raised to 2 in the console: the user is compliant and left alone (the runtime's own parameters set aside)", async () => {
      // Prepare: as deployed, InputParameters also carry the runtime's recordUnchanged
      ruleParameters({ maxAccessKeys: '2', recordUnchanged: 'false' });

      // Act
      const result = await handler(payload());

      // Assess
      expect(writes()).to.have.length(0);
      expect(fake.stats().dynamodbCalls).to.equal(0);
      expect(result).to.deep.include({ outcome: 'nothing-to-do', succeeded: true, maxAccessKeys: 2 });
      expect(result.parameters).to.deep.equal({ source: 'rule', ruleName: RULE, countInactiveKeys: false, rotationGraceHours: 0 });
      expect(fake.callsOf('DescribeConfigRules').map((call) => call.params)).to.deep.equal([{ ConfigRuleNames: [RULE] }]);
    });

    it('still lets a person pass MaxAccessKeys by hand, which overrides the rule', async () => {
      // Prepare
      ruleParameters({ maxAccessKeys: '2' });

      // Act
      const result = await handler(payload({ MaxAccessKeys: 1 }));

      // Assess
      expect(result).to.deep.include({ deactivated: ['****NEW2'], maxAccessKeys: 1 });
      expect(result.parameters.source).to.equal('document');
      expect(fake.callsOf('DescribeConfigRules')).to.have.length(0);
    });

    const exemptions: { name: string; parameters: Record<string, string>; tags?: Record<string, string>; says: string }[] = [
      { name: 'listed in exemptUserNames', parameters: { exemptUserNames: 'bob, alice' }, says: 'listed in exemptUserNames' },
      {
        name: 'carrying the exemptTag',
        parameters: { exemptTag: 'break-glass=true' },
        tags: { 'break-glass': 'true' },
        says: 'tagged break-glass=true',
      },
    ];
    for (const { name, parameters, tags, says } of exemptions) {
      it(`never remediates a user ${name}`, async () => {
        // Prepare
        ruleParameters(parameters);
        if (tags) fake.addUser({ ...alice(), tags });

        // Act
        const result = await handler(payload());

        // Assess
        expect(writes()).to.have.length(0);
        expect(result).to.deep.include({ outcome: 'exempt', succeeded: true, changed: false });
        expect(result.summary).to.include(says);
      });
    }

    it('does not count or touch a key younger than rotationGraceHours', async () => {
      // Prepare: a third active key created an hour ago; two older ones over the limit
      ruleParameters({ rotationGraceHours: '24' });
      changeAlice((keys) => [...keys, { accessKeyId: FOURTH, status: 'Active', createDate: new Date(Date.now() - 3_600_000) }]);

      // Act
      const result = await handler(payload());

      // Assess
      expect(statuses()).to.deep.equal({ [KEY.old]: 'Active', [KEY.new]: 'Inactive', [KEY.third]: 'Inactive', [FOURTH]: 'Active' });
      expect(result).to.deep.include({ outcome: 'remediated', succeeded: true });
    });

    it('leaves a user alone whose second key is within rotationGraceHours (the rule calls it compliant)', async () => {
      // Prepare: the never-used key is 2 days old
      ruleParameters({ rotationGraceHours: '72' });

      // Act
      const result = await handler(payload());

      // Assess
      expect(writes()).to.have.length(0);
      expect(result.outcome).to.equal('nothing-to-do');
    });

    it('says Deactivate cannot help with countInactiveKeys=true, changes nothing, and reports not succeeded', async () => {
      // Prepare
      ruleParameters({ countInactiveKeys: 'true', maxAccessKeys: '2' });

      // Act
      const result = await handler(payload());

      // Assess
      expect(writes()).to.have.length(0);
      expect(result).to.deep.include({ outcome: 'cannot-comply', succeeded: false, changed: false });
      expect(result.summary).to.include('countInactiveKeys=true').and.to.include('Action=Delete');
    });

    it('fails naming a malformed rule parameter, before any change', async () => {
      // Prepare
      ruleParameters({ maxAccessKeys: 'two' });

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.match(/^Invalid rule parameter "maxAccessKeys"/);
      expect(writes()).to.have.length(0);
    });

    it('fails naming the rule when it does not exist, and asks for MaxAccessKeys', async () => {
      // Prepare
      process.env.CONFIG_RULE_NAME = 'no-such-rule';

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.include('Config rule no-such-rule does not exist; pass MaxAccessKeys');
      expect(writes()).to.have.length(0);
    });
  });

  it('fails a Delete dry run where Delete is not allowed exactly as the live run, with no call', async () => {
    // Act
    const dryRun = await rejection(handler(payload({ Action: 'Delete', DryRun: true })));
    const live = await rejection(handler(payload({ Action: 'Delete' })));

    // Assess
    expect(dryRun?.message)
      .to.equal(live?.message)
      .and.to.match(/Delete is not enabled in this deployment/);
    expect(fake.calls).to.have.length(0);
  });

  describe('changes made by someone else during the run', () => {
    it('undoes its own deactivation when the kept key is deleted between its check and its change', async () => {
      // Prepare: someone deletes the kept key just as the function deactivates the other one
      fake.beforeAnswering('UpdateAccessKey', () => changeAlice((keys) => keys.filter((key) => key.accessKeyId !== KEY.old)));

      // Act
      const error = await rejection(handler(payload()));

      // Assess: alice keeps an active key
      expect(statuses()).to.deep.equal({ [KEY.new]: 'Active', [KEY.third]: 'Inactive' });
      expect(error?.message).to.equal(
        `Remediation of IAM user alice (${ALICE.userId}) stopped part-way. Done: deactivated ****NEW2, reactivated ****NEW2. Not done: nothing. ` +
          'Stopped: ConcurrentChangeError: kept key(s) ****OLD1 deactivated or deleted by someone else during the run.',
      );
    });

    it('reactivates only the key it deactivated, never another inactive key whose id ends the same', async () => {
      // Prepare: an inactive key someone disabled on purpose ends like the key the run deactivates
      const lookalike = 'AKIAZZZZZZZZZZZZNEW2';
      // (listed first, where a match on the masked id would find it before the run's own key)
      changeAlice((keys) => [
        { accessKeyId: lookalike, status: 'Inactive', createDate: created(300) },
        ...keys.filter((key) => key.accessKeyId !== KEY.third),
      ]);
      fake.beforeAnswering('UpdateAccessKey', () => changeAlice((keys) => keys.filter((key) => key.accessKeyId !== KEY.old)));

      // Act
      await rejection(handler(payload()));

      // Assess: the run's own key is active again, the look-alike stays inactive
      expect(statuses()).to.deep.equal({ [KEY.new]: 'Active', [lookalike]: 'Inactive' });
    });

    it('stops before any change when the kept key is deactivated before its check', async () => {
      // Prepare: someone deactivates the kept key just before the re-check that precedes the
      // change (the third listing: the first read, the read under the lock, the re-check)
      let listings = 0;
      fake.beforeAnswering(
        'ListAccessKeys',
        () => {
          listings += 1;
          if (listings === 3)
            changeAlice((keys) => keys.map((key) => (key.accessKeyId === KEY.old ? { ...key, status: 'Inactive' } : key)));
        },
        Infinity,
      );

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(writes()).to.have.length(0);
      expect(statuses()[KEY.new]).to.equal('Active');
      expect(error?.message).to.equal(
        `Remediation of IAM user alice (${ALICE.userId}) stopped part-way. Done: nothing. Not done: deactivate ****NEW2 (skipped: the run stopped). ` +
          'Stopped: ConcurrentChangeError: kept key ****OLD1 is no longer active (deactivated or deleted by someone else during the run).',
      );
    });

    it('never touches the keys of a user re-created under the same name between GetUser and ListAccessKeys', async () => {
      // Prepare: alice is deleted and a new alice (another id) created just before her keys are listed
      const newAlice: FakeUser = {
        userName: 'alice',
        userId: 'AIDANEWALICE000000000',
        accessKeys: [
          { accessKeyId: 'AKIANEWALICEKEY00001', status: 'Active', createDate: created(1), lastUsed: used(1) },
          { accessKeyId: 'AKIANEWALICEKEY00002', status: 'Active', createDate: created(1) },
        ],
      };
      fake.beforeAnswering('ListAccessKeys', () => fake.addUser(newAlice));

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(writes()).to.have.length(0);
      expect(statuses()).to.deep.equal({ AKIANEWALICEKEY00001: 'Active', AKIANEWALICEKEY00002: 'Active' });
      expect(error?.message).to.include('nothing was changed').and.to.include(`is no longer ${ALICE.userId}`);
    });

    it('does not delete a key that someone made active again after the function deactivated it', async () => {
      // Prepare: listings are the first read, the read under the lock, then one re-check per
      // change: deactivate ****NEW2, delete ****THR3, delete ****NEW2 (the fifth)
      process.env.ALLOW_DELETE = 'true';
      let listings = 0;
      fake.beforeAnswering(
        'ListAccessKeys',
        () => {
          listings += 1;
          if (listings === 5) changeAlice((keys) => keys.map((key) => (key.accessKeyId === KEY.new ? { ...key, status: 'Active' } : key)));
        },
        Infinity,
      );

      // Act
      const error = await rejection(handler(payload({ Action: 'Delete' })));

      // Assess
      expect(statuses()).to.deep.equal({ [KEY.old]: 'Active', [KEY.new]: 'Active' });
      expect(error?.message).to.equal(
        `Remediation of IAM user alice (${ALICE.userId}) stopped part-way. Done: deactivated ****NEW2, deleted ****THR3. ` +
          'Not done: delete ****NEW2 (skipped: the run stopped). Stopped: ConcurrentChangeError: ****NEW2 was made active again during the run.',
      );
    });

    it('reports the user still over the limit, not success, when a key is created during the run', async () => {
      // Prepare: someone creates a key just as the function deactivates the unused one
      fake.beforeAnswering('UpdateAccessKey', () =>
        changeAlice((keys) => [...keys, { accessKeyId: FOURTH, status: 'Active', createDate: new Date() }]),
      );

      // Act
      const result = await handler(payload());

      // Assess
      expect(result).to.deep.include({ outcome: 'still-over-limit', succeeded: false, deactivated: ['****NEW2'] });
      expect(result.summary).to.include('Still over the limit (key(s) created during the run: ****FOR4)');
      expect(statuses()[FOURTH]).to.equal('Active');
    });
  });
});

const BACKENDS: { name: string; upstream(context: Mocha.Context): Promise<string | undefined> }[] = [
  { name: "the fake's DynamoDB", upstream: async () => undefined },
  {
    name: "moto_server's DynamoDB (through the fake)",
    upstream: (context) => motoOrSkip(context, "the remediation lock's wire tests against moto's DynamoDB"),
  },
];

for (const backend of BACKENDS) {
  describe(`the remediation lock, in ${backend.name}`, function () {
    this.timeout(180_000);
    let fake: FakeAws;
    let template: Template;
    let payloadTemplate: string;
    let lockTable: string;
    const payload = (values: Parameters<typeof renderPayload>[1] = {}) => renderPayload(payloadTemplate, values);
    const statuses = () => Object.fromEntries((fake.getUser('alice')?.accessKeys ?? []).map((key) => [key.accessKeyId, key.status]));
    const writes = () => [...fake.callsOf('UpdateAccessKey'), ...fake.callsOf('DeleteAccessKey')].filter((call) => call.status === 200);

    before(async function () {
      const upstream = await backend.upstream(this);
      ({ template } = await packageService());
      payloadTemplate = remediationOf(template).step.inputs.Payload;
      fake = await startFakeAws({
        accountId: '123456789012',
        maxAttempts: 4,
        journal: {
          function: 'remediate',
          settings: () => ({ allowDelete: allowDeleteFromEnv() }),
          resourceNames: () => ({ LOCK_TABLE_NAME: process.env.LOCK_TABLE_NAME ?? '' }),
        },
        ...(upstream ? { dynamoDbEndpoint: upstream } : {}),
      });
    });

    after(async () => {
      if (fake) await stopFakeAws(fake);
    });

    beforeEach(async () => {
      fake.reset();
      fake.removeUser('alice');
      fake.addUser(alice());
      fake.setConfigRule({ ConfigRuleName: RULE, InputParameters: '{}' });
      resetClients();
      delete process.env.ALLOW_DELETE;
      process.env.CONFIG_RULE_NAME = RULE;
      lockTable = await createLockTable(fake, template);
      process.env.LOCK_TABLE_NAME = lockTable;
      fake.reset();
    });

    afterEach(restoreEnvironment);

    for (const runs of [2, 3]) {
      it(`lets exactly one of ${runs} runs staged at the same instant act; the others change nothing and name the holder`, async () => {
        // Prepare: every run reaches the lock before any is answered
        fake.answerTogether('PutItem', runs);
        const executionIds = Array.from({ length: runs }, (_, index) => `c0ffee00-0000-4000-8000-00000000000${index}`);

        // Act
        const outcomes = await Promise.allSettled(executionIds.map((executionId) => handler(payload({ executionId }))));

        // Assess
        const acted = outcomes.flatMap((outcome, index) =>
          outcome.status === 'fulfilled' ? [{ result: outcome.value, executionId: executionIds[index]! }] : [],
        );
        const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [(outcome.reason as Error).message] : []));
        expect(acted).to.have.length(1);
        expect(acted[0]!.result).to.deep.include({ outcome: 'remediated', deactivated: ['****NEW2'] });
        expect(refused).to.have.length(runs - 1);
        for (const message of refused) {
          expect(message).to.match(
            new RegExp(
              `failed before any change; nothing was changed: RemediationInProgressError: IAM user alice \\(${ALICE.userId}\\) is being remediated by ` +
                `Automation execution ${acted[0]!.executionId} until \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z, when its lock expires \\(remediation lock table ${lockTable}\\)`,
            ),
          );
        }
        expect(writes()).to.have.length(1);
        expect(statuses()).to.deep.equal({ [KEY.old]: 'Active', [KEY.new]: 'Inactive', [KEY.third]: 'Inactive' });
        const answers = fake.callsOf('PutItem').map((call) => call.errorCode ?? 'taken');
        expect(answers.filter((answer) => answer === 'taken')).to.have.length(1);
        expect(answers.filter((answer) => answer === 'ConditionalCheckFailedException')).to.have.length(runs - 1);
        expect(await lockOnAlice(fake, lockTable)).to.equal(undefined);
      });
    }

    it('takes over the expired lock of a run that died, and says so in the result and the summary', async () => {
      // Prepare
      const expiredAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
      await stageLock(fake, lockTable, expiredAt, 'deadbeef-0000-4000-8000-000000000001');

      // Act
      const result = await handler(payload());

      // Assess
      expect(result).to.deep.include({ outcome: 'remediated', succeeded: true, deactivated: ['****NEW2'] });
      expect(result.lock).to.deep.include({
        released: true,
        tookOverFrom: { holder: 'Automation execution deadbeef-0000-4000-8000-000000000001', expiredAt: expiredAt.toISOString() },
      });
      expect(result.summary).to.include(
        `Took over the remediation lock of Automation execution deadbeef-0000-4000-8000-000000000001, which had expired at ${expiredAt.toISOString()}`,
      );
      expect(await lockOnAlice(fake, lockTable)).to.equal(undefined);
    });

    it("stops at once while another run's lock is live, changing nothing, and leaves that lock alone", async () => {
      // Prepare
      const until = new Date(Math.ceil(Date.now() / 1000) * 1000 + 90_000);
      const held = await stageLock(fake, lockTable, until, 'a11ce000-0000-4000-8000-000000000002');

      // Act
      const error = await rejection(handler(payload()));

      // Assess
      expect(error?.message).to.include(
        `is being remediated by Automation execution a11ce000-0000-4000-8000-000000000002 until ${until.toISOString()}, when its lock expires`,
      );
      expect(writes()).to.have.length(0);
      expect(fake.callsOf('DeleteItem')).to.have.length(0);
      expect(await lockOnAlice(fake, lockTable)).to.deep.equal(held);
    });

    it('reports a release that fails in the result and the summary; the lock then holds until it expires', async () => {
      // Prepare
      fake.failAlways('DeleteItem', {
        status: 400,
        code: 'AccessDeniedException',
        message: 'User is not authorized to perform: dynamodb:DeleteItem',
      });

      // Act
      const first = await handler(payload(), { getRemainingTimeInMillis: () => 120_000 });
      fake.addUser({
        ...fake.getUser('alice')!,
        accessKeys: [
          ...fake.getUser('alice')!.accessKeys!,
          { accessKeyId: FOURTH, status: 'Active', createDate: new Date(Date.now() - 3 * DAY) },
        ],
      });
      const second = await rejection(handler(payload({ executionId: 'b0b00000-0000-4000-8000-000000000003' })));

      // Assess
      expect(first).to.deep.include({ outcome: 'remediated', succeeded: true });
      expect(first.lock).to.deep.include({ released: false });
      expect(first.lock!.notReleasedBecause).to.include(
        `dynamodb:DeleteItem failed for remediation lock table ${lockTable} (item ${ALICE.userId}): AccessDeniedException`,
      );
      expect(first.summary).to.match(
        new RegExp(
          `The remediation lock on IAM user alice \\(${ALICE.userId}\\) was not released \\(.*\\): it expires by itself at ${first.lock!.expiresAt}\\.$`,
        ),
      );
      expect((await lockOnAlice(fake, lockTable))?.automationExecutionId).to.deep.equal({ S: EXECUTION_ID });
      expect(second?.message, second?.message).to.include(
        `is being remediated by Automation execution ${EXECUTION_ID} until ${first.lock!.expiresAt}`,
      );
    });

    it('runs at once after a run that failed: the failed run released its lock', async () => {
      // Prepare: the first run's change is refused
      fake.failAlways('UpdateAccessKey', { status: 403, code: 'AccessDenied' });
      const failed = await rejection(handler(payload()));
      fake.clearFaults();

      // Act
      const result = await handler(payload({ executionId: 'a9a10000-0000-4000-8000-000000000004' }));

      // Assess
      expect(failed?.message).to.match(/stopped part-way\. Done: nothing\. Not done: deactivate \*\*\*\*NEW2/);
      expect(result).to.deep.include({ outcome: 'remediated', succeeded: true });
      expect(result.lock).to.deep.include({ released: true });
      expect(result.lock).not.to.have.property('tookOverFrom');
      expect(fake.callsOf('PutItem').map((call) => call.status)).to.deep.equal([200, 200]);
    });

    it('releases its lock when its deadline stops it, with a budget of its own, before the Lambda timeout', async () => {
      // Prepare: the calls under the lock hang past the abort (5 s before the timeout); the release is answered at once
      const remainingMs = 6_500;
      fake.beforeAnswering('GetAccessKeyLastUsed', () => (fake.latencyMs = 4_000));
      fake.beforeAnswering('DeleteItem', () => (fake.latencyMs = 0));
      const started = Date.now();

      // Act
      const error = await rejection(handler(payload(), { getRemainingTimeInMillis: () => remainingMs - (Date.now() - started) }));
      const ended = Date.now();
      fake.latencyMs = 0;

      // Assess
      expect(error?.message).to.match(/failed before any change; nothing was changed/);
      expect(writes()).to.have.length(0);
      const [release] = fake.callsOf('DeleteItem');
      expect(release?.status).to.equal(200);
      expect(release!.at - started).to.be.at.least(remainingMs - 5_000);
      expect(ended - started).to.be.below(remainingMs);
      expect(await lockOnAlice(fake, lockTable)).to.equal(undefined);
    });

    const unusable: { name: string; stage(): void; table?: string; says: RegExp }[] = [
      {
        name: 'denies access',
        stage: () =>
          fake.failAlways('PutItem', {
            status: 400,
            code: 'AccessDeniedException',
            message: 'User is not authorized to perform: dynamodb:PutItem',
          }),
        says: /dynamodb:PutItem failed for remediation lock table \S+ \(item AIDA\w+\): AccessDeniedException: User is not authorized to perform: dynamodb:PutItem$/,
      },
      {
        name: 'does not exist',
        stage: () => undefined,
        table: 'iam-user-single-access-key-test-NoSuchTable',
        says: /dynamodb:PutItem failed for remediation lock table iam-user-single-access-key-test-NoSuchTable \(item AIDA\w+\): ResourceNotFoundException/,
      },
      {
        name: 'is unreachable',
        stage: () => {
          process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:9';
          resetClients();
        },
        says: /dynamodb:PutItem failed for remediation lock table \S+ \(item AIDA\w+\): .*ECONNREFUSED/,
      },
    ];
    for (const { name, stage, table, says } of unusable) {
      it(`fails naming the table and the call when the table ${name}, and changes nothing`, async () => {
        // Prepare
        stage();
        if (table) process.env.LOCK_TABLE_NAME = table;

        // Act
        const error = await rejection(handler(payload())).finally(() => delete process.env.AWS_ENDPOINT_URL_DYNAMODB);

        // Assess
        expect(error?.message).to.match(
          /^Remediation of IAM user alice \(AIDA\w+\) failed before any change; nothing was changed: ResourceEvaluationError: /,
        );
        expect(error?.message).to.match(says);
        expect(writes()).to.have.length(0);
        expect(statuses()[KEY.new]).to.equal('Active');
      });
    }

    const tagged: { name: string; tags: Record<string, string> }[] = [
      { name: 'a forged lock tag of the old tag lock', tags: { 'iam-user-single-access-key:remediation': 'x until 2099-01-01T00:00:00Z' } },
      {
        name: 'a stale lock tag of a run that died',
        tags: { 'iam-user-single-access-key:remediation': '3f2a9c1e-0b4d-4e8f-9a7b-1c2d3e4f5a6b until 2026-01-01T00:00:00.000Z' },
      },
      {
        name: '50 tags (the most IAM allows)',
        tags: Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`team-tag-${index}`, `value-${index}`])),
      },
    ];
    for (const { name, tags } of tagged) {
      it(`remediates a user with ${name} as any other, and leaves its tags alone`, async () => {
        // Prepare
        fake.addUser({ ...alice(), tags });

        // Act
        const result: RemediationResult = await handler(payload());

        // Assess
        expect(result).to.deep.include({ outcome: 'remediated', succeeded: true, deactivated: ['****NEW2'] });
        expect(fake.getUser('alice')?.tags).to.deep.equal(tags);
        expect(fake.calls.filter((call) => /^(Tag|Untag)User$/.test(call.action))).to.deep.equal([]);
      });
    }
  });
}
