import { expect } from 'chai';
import sinon from 'sinon';
import { resetClients } from '../../src/config/awsClients';
import { logger } from '../../src/config/logger';
import { handler } from '../../src/iam-user-single-access-key/handler';
import { scheduledEvent, serialize } from '../fixtures/events';
import type { FakeAws, FakeConfigurationRecorder } from '../../tools/fakeAws';
import { DEFAULT_RECORDER } from '../../tools/fakeAws/state';
import { startFakeAws, stopFakeAws } from '../support/useFakeAws';

// A periodic sweep in a region whose configuration recorder does or does not record IAM users
// (issue 17, "the recording region"): the real handler and SDK against the fake, which keeps a
// recorder per region (by the SigV4 scope of each call) and the account's enabled regions.
// The sweep says so once, in the log and its summary, naming where to deploy; it never refuses.

const REGION = 'us-east-1';
const recorder = (
  recordingGroup: FakeConfigurationRecorder['recordingGroup'],
  extra: Partial<FakeConfigurationRecorder> = {},
): FakeConfigurationRecorder => ({
  name: 'default',
  roleARN: 'arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
  recordingGroup,
  ...extra,
});
const WITHOUT_GLOBAL = recorder({ allSupported: true, includeGlobalResourceTypes: false });
const EXCLUDING_OTHERS = recorder({
  allSupported: false,
  exclusionByResourceTypes: { resourceTypes: ['AWS::EC2::Instance'] },
  recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
});
const SPREAD = 'This sweep judges every IAM user here all the same, and each region the rule runs in bills every user again.';

describe('the recording region of a periodic sweep (real SDK, local endpoint)', function () {
  this.timeout(60_000);
  let fake: FakeAws;
  let warn: sinon.SinonSpy;

  before(async () => {
    fake = await startFakeAws({ accountId: '123456789012', maxAttempts: 2, journal: { function: 'evaluate' } });
    fake.addUsers([0, 1, 2].map((index) => ({ userName: `rr-${index}`, userId: `AIDARECORDINGREGION${index}`, accessKeys: [] })));
  });

  after(async () => {
    await stopFakeAws(fake);
  });

  beforeEach(() => {
    fake.reset();
    fake.setRegions(['eu-west-1', 'us-east-1', 'us-east-2', 'us-west-2']);
    for (const region of ['eu-west-1', 'us-east-2', 'us-west-2']) fake.setConfigurationRecorders(region, [WITHOUT_GLOBAL]);
    fake.setConfigurationRecorders(REGION, [DEFAULT_RECORDER]);
    fake.setComplianceResults('iam-user-single-access-key', []);
    resetClients();
    warn = sinon.spy(logger, 'warn');
  });

  afterEach(() => {
    sinon.restore();
    fake.setConfigurationRecorders(REGION, [DEFAULT_RECORDER]);
  });

  const asked = () =>
    fake
      .callsOf('DescribeConfigurationRecorders')
      .map((call) => call.region)
      .sort();
  const evaluated = () => fake.putEvaluations.flatMap((call) => call.Evaluations).length;

  it('says nothing when the region records IAM users, and asks no other region', async () => {
    const summary = await handler(serialize(scheduledEvent()));

    expect(summary.recording).to.deep.include({ region: REGION, recordedHere: true, unchecked: [] });
    expect(summary.recording?.notice).to.equal(undefined);
    expect(asked()).to.deep.equal([REGION]);
    expect(fake.callsOf('ListRegions')).to.have.length(0);
    expect(warn.callCount).to.equal(0);
  });

  const shapes: [string, FakeConfigurationRecorder[], string][] = [
    ['no recorder', [], 'it has no customer managed configuration recorder'],
    [
      'all supported types without the global IAM types',
      [WITHOUT_GLOBAL],
      'its recorder default records all supported types but not the global IAM types (includeGlobalResourceTypes is not true)',
    ],
    [
      'specific types without IAM users',
      [recorder({ allSupported: false, resourceTypes: ['AWS::IAM::Role'], recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' } })],
      'its recorder default records only the types it lists, not AWS::IAM::User (INCLUSION_BY_RESOURCE_TYPES)',
    ],
    [
      'exclusions that exclude IAM users',
      [
        recorder({
          allSupported: false,
          exclusionByResourceTypes: { resourceTypes: ['AWS::IAM::User'] },
          recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
        }),
      ],
      'its recorder default excludes AWS::IAM::User (EXCLUSION_BY_RESOURCE_TYPES)',
    ],
    [
      'only a service-linked recorder, however much it records',
      [
        recorder(
          { allSupported: true, includeGlobalResourceTypes: true },
          { name: 'AWSConfigurationRecorderForExample', servicePrincipal: 'example.config.amazonaws.com', recordingScope: 'INTERNAL' },
        ),
      ],
      'it has no customer managed configuration recorder',
    ],
  ];
  for (const [shape, recorders, detail] of shapes) {
    it(`says once, with ${shape} here, that the region does not record IAM users and where to deploy, and judges every user all the same`, async () => {
      // Prepare: us-east-2 records IAM users (all types with exclusions that leave them in)
      fake.setConfigurationRecorders(REGION, recorders);
      fake.setConfigurationRecorders('us-east-2', [EXCLUDING_OTHERS]);

      // Act
      const summary = await handler(serialize(scheduledEvent()));

      // Assess
      const notice = `Region ${REGION} does not record AWS::IAM::User: ${detail}. ${SPREAD} Deploy the rule in us-east-2, where the account records IAM users, and remove it from ${REGION}.`;
      expect(summary.recording).to.deep.include({ region: REGION, recordedHere: false, recordedIn: ['us-east-2'], unchecked: [], notice });
      expect(warn.getCalls().map((call) => call.args[0])).to.deep.equal([notice]);
      expect(asked()).to.deep.equal(['eu-west-1', 'us-east-1', 'us-east-2', 'us-west-2']);
      expect(fake.callsOf('ListRegions')[0]?.params).to.deep.equal({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] });
      expect(evaluated()).to.equal(3);
    });
  }

  it('names every region that records IAM users, asks only the enabled ones, and says which could not be asked', async () => {
    // Prepare: two regions record IAM users; eu-west-1 refuses the call (an SCP); ap-south-1 is not enabled
    fake.setConfigurationRecorders(REGION, [WITHOUT_GLOBAL]);
    fake.setRegions(['eu-west-1', 'us-east-1', 'us-east-2', 'us-west-2', { RegionName: 'ap-south-1', RegionOptStatus: 'DISABLED' }]);
    fake.setConfigurationRecorders('us-east-2', [DEFAULT_RECORDER]);
    fake.setConfigurationRecorders('us-west-2', [EXCLUDING_OTHERS]);
    fake.failAlways(
      'DescribeConfigurationRecorders',
      { status: 400, code: 'AccessDeniedException', message: 'explicit deny in a service control policy' },
      { $region: 'eu-west-1' },
    );

    // Act
    const summary = await handler(serialize(scheduledEvent()));

    // Assess
    expect(summary.recording?.notice).to.equal(
      `Region ${REGION} does not record AWS::IAM::User: its recorder default records all supported types but not the global IAM types (includeGlobalResourceTypes is not true). ${SPREAD} ` +
        `Deploy the rule in us-east-2 or us-west-2, where the account records IAM users, and remove it from ${REGION}. (Not asked: eu-west-1: AccessDeniedException: explicit deny in a service control policy.)`,
    );
    expect(asked()).to.deep.equal(['eu-west-1', 'us-east-1', 'us-east-2', 'us-west-2']);
    expect(evaluated()).to.equal(3);
  });

  it('says when no region of the account records IAM users', async () => {
    fake.setConfigurationRecorders(REGION, []);

    const summary = await handler(serialize(scheduledEvent()));

    expect(summary.recording).to.deep.include({ recordedHere: false, recordedIn: [] });
    expect(summary.recording?.notice).to.match(
      / No region of this account records IAM users: no change notification ever comes, only the sweeps judge them\. /,
    );
    expect(evaluated()).to.equal(3);
  });

  const failures: [string, () => void, RegExp][] = [
    [
      'the region cannot be asked',
      () =>
        fake.failAlways('DescribeConfigurationRecorders', {
          status: 400,
          code: 'AccessDeniedException',
          message: 'not authorized to perform: config:DescribeConfigurationRecorders',
        }),
      /^Could not check whether region us-east-1 records AWS::IAM::User \(us-east-1: AccessDeniedException: not authorized to perform: config:DescribeConfigurationRecorders\); the sweep judges every IAM user all the same\./,
    ],
    [
      "the account's regions cannot be listed",
      () => {
        fake.setConfigurationRecorders(REGION, []);
        fake.failAlways('ListRegions', {
          status: 403,
          code: 'AccessDeniedException',
          message: 'not authorized to perform: account:ListRegions',
        });
      },
      / The region that does could not be found \(account:ListRegions: AccessDeniedException: not authorized to perform: account:ListRegions\): see docs\/recording-region\.md\.$/,
    ],
  ];
  for (const [what, stage, notice] of failures) {
    it(`warns with the reason when ${what}, and the sweep completes`, async () => {
      stage();

      const summary = await handler(serialize(scheduledEvent()));

      expect(summary.recording?.notice).to.match(notice);
      expect(warn.callCount).to.equal(1);
      expect(summary.sweep).to.include({ judged: 3, done: true });
      expect(evaluated()).to.equal(3);
    });
  }

  it('checks nothing for a change notification', async () => {
    const event = scheduledEvent();
    event.invokingEvent = {
      messageType: 'ConfigurationItemChangeNotification',
      configurationItem: {
        awsAccountId: '123456789012',
        configurationItemCaptureTime: '2026-11-21T00:30:00.000Z',
        configurationItemStatus: 'OK',
        resourceType: 'AWS::IAM::User',
        resourceId: 'AIDARECORDINGREGION0',
        resourceName: 'rr-0',
        configuration: { userName: 'rr-0' },
        tags: {},
      },
    };

    const summary = await handler(serialize(event));

    expect(summary.recording).to.equal(undefined);
    expect(fake.callsOf('DescribeConfigurationRecorders')).to.have.length(0);
  });
});
