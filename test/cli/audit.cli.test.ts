import { expect } from 'chai';
import { FakeAws } from '../../tools/fakeAws';
import { DEFAULT_RECORDER } from '../../tools/fakeAws/state';
import { ACCOUNT_ID, buildCli, dayBefore, fixtureUsers, runCli } from './cliHarness';

// `audit` as a person or CI runs it: the built bin in a child process, the real SDK, the local
// fake IAM/STS endpoint holding the users of fixtures/account.json.

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('CLI audit (subprocess against the local fake)', function () {
  this.timeout(60_000);
  let fake: FakeAws;
  let now: number;

  before(async () => {
    await buildCli();
    fake = await FakeAws.start({ accountId: ACCOUNT_ID });
  });

  after(async () => {
    await fake.close();
  });

  beforeEach(() => {
    now = Math.floor(Date.now() / 1000) * 1000;
    for (const user of fixtureUsers(now)) fake.removeUser(user.userName);
    fake.addUsers(fixtureUsers(now));
    fake.reset();
  });

  /** The annotations the rule writes for the fixture's users with the default parameters. */
  const annotations = () => ({
    alice: `2 active access keys (limit 1): ****0001, 400d old, last used ${dayBefore(now, 1)} (s3); ****0002, 10d old, never used. Deactivate or delete all but 1.`,
    bob: '1 active access key (limit 1): ****0001, 30d old.',
    carol: '1 active access key (limit 1): ****0002, 20d old. 1 inactive not counted.',
    dave: '0 active access keys (limit 1).',
    eve: '2 active access keys (limit 1): ****0001, 90d old, never used; ****0002, 60d old, never used. 1 inactive not counted; deactivate or delete all but 1.',
    svc: `2 active access keys (limit 1): ****0001, 200d old, last used ${dayBefore(now, 2)} (sts); ****0002, 100d old, last used ${dayBefore(now, 1)} (s3). Deactivate or delete all but 1.`,
  });

  it('prints one JSON object with every user sorted by name, and exits 1 when one is NON_COMPLIANT', async () => {
    // Act
    const run = await runCli(['audit', '--format', 'json'], fake.url);

    // Assess
    const report = JSON.parse(run.stdout) as { generatedAt: string };
    expect(report.generatedAt).to.match(ISO_TIME);
    const a = annotations();
    const expected = {
      accountId: ACCOUNT_ID,
      generatedAt: report.generatedAt,
      parameters: {},
      counts: { COMPLIANT: 3, NON_COMPLIANT: 3, NOT_APPLICABLE: 0 },
      users: [
        {
          userName: 'alice',
          userId: 'AIDACLIALICE00000001',
          arn: `arn:aws:iam::${ACCOUNT_ID}:user/team/ops/alice`,
          complianceType: 'NON_COMPLIANT',
          annotation: a.alice,
        },
        {
          userName: 'bob',
          userId: 'AIDACLIBOB0000000001',
          arn: `arn:aws:iam::${ACCOUNT_ID}:user/bob`,
          complianceType: 'COMPLIANT',
          annotation: a.bob,
        },
        {
          userName: 'carol',
          userId: 'AIDACLICAROL00000001',
          arn: `arn:aws:iam::${ACCOUNT_ID}:user/carol`,
          complianceType: 'COMPLIANT',
          annotation: a.carol,
        },
        {
          userName: 'dave',
          userId: 'AIDACLIDAVE000000001',
          arn: `arn:aws:iam::${ACCOUNT_ID}:user/dave`,
          complianceType: 'COMPLIANT',
          annotation: a.dave,
        },
        {
          userName: 'eve,ops',
          userId: 'AIDACLIEVEOPS0000001',
          arn: `arn:aws:iam::${ACCOUNT_ID}:user/eve,ops`,
          complianceType: 'NON_COMPLIANT',
          annotation: a.eve,
        },
        {
          userName: 'svc-ci',
          userId: 'AIDACLISVCCI00000001',
          arn: `arn:aws:iam::${ACCOUNT_ID}:user/svc-ci`,
          complianceType: 'NON_COMPLIANT',
          annotation: a.svc,
        },
      ],
    };
    expect(run.stdout).to.equal(`${JSON.stringify(expected, null, 2)}\n`);
    expect(run.stderr).to.equal('');
    expect(run.status).to.equal(1);
  });

  it('lists, judges and counts once each user that ListUsers returns twice across its pages', async () => {
    // Prepare: pages of 2 users, alice and svc-ci listed a second time on a later page
    fake.setListUsersPaging({ maxItems: 2, repeat: ['alice', 'svc-ci'] });

    // Act
    const run = await runCli(['audit', '--format', 'json'], fake.url);

    // Assess
    const report = JSON.parse(run.stdout) as { counts: unknown; users: { userName: string }[] };
    expect(fake.callsOf('ListUsers')).to.have.length(4);
    expect(report.users.map((user) => user.userName)).to.deep.equal(['alice', 'bob', 'carol', 'dave', 'eve,ops', 'svc-ci']);
    expect(report.counts).to.deep.equal({ COMPLIANT: 3, NON_COMPLIANT: 3, NOT_APPLICABLE: 0 });
    expect(fake.callsOf('ListAccessKeys')).to.have.length(6);
    expect(run.status).to.equal(1);
  });

  it('prints on stderr the line a sweep logs when the region does not record IAM users, naming where to deploy', async () => {
    // Prepare: no recorder in us-east-1 (the CLI's region); us-west-2 records IAM users
    fake.setConfigurationRecorders('us-east-1', []);
    fake.setConfigurationRecorders('us-west-2', [DEFAULT_RECORDER]);

    // Act
    const run = await runCli(['audit', '--format', 'json'], fake.url).finally(() => {
      fake.setConfigurationRecorders('us-east-1', [DEFAULT_RECORDER]);
      fake.setConfigurationRecorders('us-west-2', []);
    });

    // Assess
    expect(run.stderr).to.equal(
      'Region us-east-1 does not record AWS::IAM::User: it has no customer managed configuration recorder. ' +
        'This sweep judges every IAM user here all the same, and each region the rule runs in bills every user again. ' +
        'Deploy the rule in us-west-2, where the account records IAM users, and remove it from us-east-1.\n',
    );
    expect(JSON.parse(run.stdout).users).to.have.length(6);
    expect(run.status).to.equal(1);
  });

  it('prints CSV with a header row and RFC 4180 quoting, the same fields and order as the JSON', async () => {
    // Act
    const run = await runCli(['audit', '--format', 'csv'], fake.url);

    // Assess
    const a = annotations();
    expect(run.stdout).to.equal(
      [
        'userName,userId,arn,complianceType,annotation',
        `alice,AIDACLIALICE00000001,arn:aws:iam::${ACCOUNT_ID}:user/team/ops/alice,NON_COMPLIANT,"${a.alice}"`,
        `bob,AIDACLIBOB0000000001,arn:aws:iam::${ACCOUNT_ID}:user/bob,COMPLIANT,"${a.bob}"`,
        `carol,AIDACLICAROL00000001,arn:aws:iam::${ACCOUNT_ID}:user/carol,COMPLIANT,"${a.carol}"`,
        `dave,AIDACLIDAVE000000001,arn:aws:iam::${ACCOUNT_ID}:user/dave,COMPLIANT,${a.dave}`,
        `"eve,ops",AIDACLIEVEOPS0000001,"arn:aws:iam::${ACCOUNT_ID}:user/eve,ops",NON_COMPLIANT,"${a.eve}"`,
        `svc-ci,AIDACLISVCCI00000001,arn:aws:iam::${ACCOUNT_ID}:user/svc-ci,NON_COMPLIANT,"${a.svc}"`,
        '',
      ].join('\n'),
    );
    expect(run.status).to.equal(1);
  });

  it('takes the rule parameters as kebab-case flags and reports them as the rule receives them', async () => {
    // Act
    const run = await runCli(
      ['audit', '--format', 'json', '--max-access-keys', '2', '--exempt-tag', 'cis-exempt', '--count-inactive-keys'],
      fake.url,
    );

    // Assess
    const report = JSON.parse(run.stdout) as {
      parameters: unknown;
      counts: unknown;
      users: { userName: string; complianceType: string; annotation: string }[];
    };
    expect(report.parameters).to.deep.equal({ maxAccessKeys: '2', countInactiveKeys: 'true', exemptTag: 'cis-exempt' });
    expect(report.counts).to.deep.equal({ COMPLIANT: 4, NON_COMPLIANT: 1, NOT_APPLICABLE: 1 });
    const svc = report.users.find((user) => user.userName === 'svc-ci');
    expect(svc).to.deep.include({ complianceType: 'NOT_APPLICABLE', annotation: 'User svc-ci is exempt: tagged cis-exempt (exemptTag).' });
    expect(report.users.find((user) => user.userName === 'eve,ops')?.complianceType).to.equal('NON_COMPLIANT');
    expect(run.status).to.equal(1);
  });

  it('exits 0 when no user is NON_COMPLIANT', async () => {
    // Act
    const run = await runCli(['audit', '--format', 'json', '--max-access-keys', '2', '--exempt-user-names', 'alice'], fake.url);

    // Assess
    expect(JSON.parse(run.stdout).counts).to.deep.equal({ COMPLIANT: 5, NON_COMPLIANT: 0, NOT_APPLICABLE: 1 });
    expect(run.status).to.equal(0);
  });

  it('exits 0 with --exit-zero after a complete audit that found NON_COMPLIANT users', async () => {
    // Act
    const run = await runCli(['audit', '--format', 'json', '--exit-zero'], fake.url);

    // Assess
    expect(JSON.parse(run.stdout).counts.NON_COMPLIANT).to.equal(3);
    expect(run.status).to.equal(0);
  });

  for (const columns of ['80', '100']) {
    it(`fits the table to COLUMNS=${columns} when stdout is not a terminal`, async () => {
      // Act
      const run = await runCli(['audit', '--format', 'table'], fake.url, { COLUMNS: columns });

      // Assess
      const tableLines = run.stdout.split('\n').filter((line) => /^[┌│├└]/.test(line));
      expect(tableLines.map((line) => line.length)).to.deep.equal(tableLines.map(() => Number(columns)));
    });
  }

  it('prints JSON by default and no progress when stdout and stderr are not terminals', async () => {
    // Act
    const run = await runCli(['audit'], fake.url);

    // Assess
    expect(JSON.parse(run.stdout).users).to.have.length(6);
    expect(run.stderr).to.equal('');
  });

  it('judges the users of the account of --role-arn, with credentials of the assumed role', async () => {
    // Prepare
    const other = '210987654321';
    fake.addUser({ userName: 'zed', userId: 'AIDACLIZED0000000001', accessKeys: [] }, other);

    // Act
    const run = await runCli(['audit', '--format', 'json', '--role-arn', `arn:aws:iam::${other}:role/auditor`], fake.url);

    // Assess
    const report = JSON.parse(run.stdout) as { accountId: string; users: { userName: string; arn: string }[] };
    expect(report.accountId).to.equal(other);
    expect(report.users.map((user) => [user.userName, user.arn])).to.deep.equal([['zed', `arn:aws:iam::${other}:user/zed`]]);
    expect(fake.assumedRoles).to.deep.equal([`arn:aws:iam::${other}:role/auditor`]);
    expect(fake.callsOf('ListUsers').every((call) => call.accountId === other)).to.equal(true);
    expect(run.status).to.equal(0);
  });

  it('pages through every ListUsers page and judges each user once', async () => {
    // Prepare: 250 more users, three pages of at most 100
    fake.addUsers(
      Array.from({ length: 250 }, (_, index) => ({
        userName: `bulk-${String(index).padStart(4, '0')}`,
        userId: `AIDACLIBULK${String(index).padStart(9, '0')}`,
        accessKeys: [],
      })),
    );
    fake.setListUsersPaging({ maxItems: 100 });

    // Act
    const run = await runCli(['audit', '--format', 'csv', '--exit-zero'], fake.url);

    // Assess
    const rows = run.stdout.trimEnd().split('\n');
    expect(rows).to.have.length(1 + 6 + 250);
    expect(run.stderr).to.equal('');
    expect(fake.callsOf('ListUsers')).to.have.length(3);
    expect(fake.callsOf('ListAccessKeys')).to.have.length(6 + 250);
    expect(rows.map((row) => row.split(',')[0]).slice(1, 4)).to.deep.equal(['alice', 'bob', 'bulk-0000']);
    expect(rows[252]).to.match(/^bulk-0249,/);
    expect(rows[253]).to.match(/^carol,/);
    fake.setListUsersPaging({});
    for (let index = 0; index < 250; index += 1) fake.removeUser(`bulk-${String(index).padStart(4, '0')}`);
  });
});
