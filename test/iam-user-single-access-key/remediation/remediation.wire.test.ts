import { expect } from 'chai';
import { startFakeAws, stopFakeAws } from '../../support/useFakeAws';
import { resetClients } from '../../../src/config/awsClients';
import { handler } from '../../../src/iam-user-single-access-key/remediation/handler';
import type { FakeAws, FakeUser } from '../../support/fakeAws';
import { packageService } from '../../support/packageTemplate';
import { ALICE, KEY } from './fixtures';

// The remediate function with the real SDK clients against the local fake IAM/Config endpoint
// (AWS_ENDPOINT_URL), with the SDK's own retry strategy, fed the payload the packaged SSM
// document renders.

const DAY = 86_400_000;
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: Error) => error);

/** Alice with a key used yesterday, one never used, and an inactive one. */
function alice(): FakeUser {
  return {
    userName: ALICE.userName,
    userId: ALICE.userId,
    path: ALICE.path,
    accessKeys: [
      { accessKeyId: KEY.old, status: 'Active', createDate: new Date(Date.now() - 400 * DAY), lastUsed: { date: new Date(Date.now() - DAY), serviceName: 's3', region: 'eu-west-1' } },
      { accessKeyId: KEY.new, status: 'Active', createDate: new Date(Date.now() - 2 * DAY) },
      { accessKeyId: KEY.third, status: 'Inactive', createDate: new Date(Date.now() - 100 * DAY) },
    ],
  };
}

describe('remediation over the wire (real SDK, local endpoint)', function () {
  this.timeout(180_000);
  let fake: FakeAws;
  let payloadTemplate: string;
  const saved = { allowDelete: process.env.ALLOW_DELETE };

  /** The payload Automation sends for these parameter values, from the packaged document. */
  function payload(values: { MaxAccessKeys?: number; Action?: string; DryRun?: boolean } = {}): unknown {
    const filled: Record<string, string> = {
      IAMResourceId: ALICE.userId,
      MaxAccessKeys: String(values.MaxAccessKeys ?? 1),
      Action: values.Action ?? 'Deactivate',
      DryRun: String(values.DryRun ?? false),
      'automation:EXECUTION_ID': '4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab',
    };
    return JSON.parse(payloadTemplate.replace(/\{\{\s*([\w:]+)\s*\}\}/g, (_, name: string) => filled[name]));
  }
  const statuses = () => Object.fromEntries((fake.getUser('alice')?.accessKeys ?? []).map((key) => [key.accessKeyId, key.status]));

  before(async () => {
    const { template } = await packageService();
    const content = template.Resources.AccessKeyRemediationDocument.Properties!.Content as { mainSteps: { inputs: { Payload: string } }[] };
    payloadTemplate = content.mainSteps[0].inputs.Payload;
    fake = await startFakeAws({ accountId: '123456789012', maxAttempts: 4 });
  });

  after(async () => {
    await stopFakeAws(fake);
  });

  beforeEach(() => {
    fake.reset();
    fake.clearFaults();
    fake.removeUser('alice');
    fake.addUser(alice());
    resetClients();
    delete process.env.ALLOW_DELETE;
  });

  afterEach(() => {
    if (saved.allowDelete === undefined) delete process.env.ALLOW_DELETE;
    else process.env.ALLOW_DELETE = saved.allowDelete;
  });

  it('deactivates the unused key, and a second run changes nothing', async () => {
    // Act
    const first = await handler(payload());
    const second = await handler(payload());

    // Assess
    expect(statuses()).to.deep.equal({ [KEY.old]: 'Active', [KEY.new]: 'Inactive', [KEY.third]: 'Inactive' });
    expect(first).to.deep.include({ changed: true, deactivated: ['****NEW2'] });
    expect(second).to.deep.include({ changed: false, deactivated: [], deleted: [] });
    expect(fake.callsOf('UpdateAccessKey')).to.have.length(1);
    expect(fake.callsOf('ListDiscoveredResources')[0].params).to.deep.include({ resourceType: 'AWS::IAM::User', resourceIds: [ALICE.userId] });
  });

  it('deletes every key but the one in use with Delete, and a second run changes nothing', async () => {
    // Prepare
    process.env.ALLOW_DELETE = 'true';

    // Act
    const first = await handler(payload({ Action: 'Delete' }));
    const second = await handler(payload({ Action: 'Delete' }));

    // Assess
    expect(statuses()).to.deep.equal({ [KEY.old]: 'Active' });
    expect(first).to.deep.include({ deactivated: ['****NEW2'], deleted: ['****NEW2', '****THR3'] });
    expect(second).to.deep.include({ changed: false });
    expect(fake.callsOf('DeleteAccessKey')).to.have.length(2);
  });

  it('changes nothing on a dry run', async () => {
    // Act
    const result = await handler(payload({ DryRun: true }));

    // Assess
    expect(statuses()).to.deep.equal({ [KEY.old]: 'Active', [KEY.new]: 'Active', [KEY.third]: 'Inactive' });
    expect(fake.callsOf('UpdateAccessKey').length + fake.callsOf('DeleteAccessKey').length).to.equal(0);
    expect(result.plan.deactivate.map((key) => key.accessKeyId)).to.deep.equal(['****NEW2']);
  });

  it('retries throttling and 5xx answers from IAM and Config', async () => {
    // Prepare
    fake.failNext('ListDiscoveredResources', { status: 500, code: 'InternalFailure' }, 1);
    fake.failNext('ListAccessKeys', { status: 503, code: 'ServiceUnavailable' }, 1);
    fake.failNext('UpdateAccessKey', { status: 400, code: 'Throttling', message: 'Rate exceeded' }, 2);

    // Act
    const result = await handler(payload());

    // Assess
    expect(result.deactivated).to.deep.equal(['****NEW2']);
    expect(fake.callsOf('UpdateAccessKey').map((call) => call.status)).to.deep.equal([400, 400, 200]);
    expect(fake.callsOf('ListDiscoveredResources').map((call) => call.status)).to.deep.equal([500, 200]);
    expect(fake.callsOf('ListAccessKeys').map((call) => call.status)).to.deep.equal([503, 200]);
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
});
