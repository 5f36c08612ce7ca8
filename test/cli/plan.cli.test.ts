import { expect } from 'chai';
import { resetClients } from '../../src/config/awsClients';
import { handler as remediate } from '../../src/iam-user-single-access-key/remediation/handler';
import type { FakeAws } from '../../tools/fakeAws';
import { startFakeAws, stopFakeAws } from '../support/useFakeAws';
import { ACCOUNT_ID, buildCli, fixtureUsers, isoBefore, runCli } from './cliHarness';

// `plan` against the local fake, checked against the remediation function's own dry run on the
// same users and the same endpoint: the CLI must promise exactly what the remediation would do.

interface PlannedUser {
  userName: string;
  userId: string;
  keep: unknown[];
  deactivate: unknown[];
  delete: unknown[];
}

describe('CLI plan (subprocess against the local fake)', function () {
  this.timeout(60_000);
  let fake: FakeAws;
  let now: number;

  before(async () => {
    await buildCli();
    // In-process clients (the remediation handler's) also go to the fake.
    fake = await startFakeAws({ accountId: ACCOUNT_ID, maxAttempts: 2 });
  });

  after(async () => {
    await stopFakeAws(fake);
  });

  beforeEach(() => {
    now = Math.floor(Date.now() / 1000) * 1000;
    for (const user of fixtureUsers(now)) fake.removeUser(user.userName);
    fake.addUsers(fixtureUsers(now));
    fake.reset();
    resetClients();
  });

  for (const action of ['Deactivate', 'Delete'] as const) {
    it(`plans for each NON_COMPLIANT user what the remediation's dry run plans with Action=${action}`, async () => {
      // Act
      const run = await runCli(['plan', '--format', 'json', '--action', action], fake.url);
      const report = JSON.parse(run.stdout) as { action: string; users: PlannedUser[] };
      // A deployment that lets the function delete keys (a dry run of Delete is refused otherwise),
      // with its lock table (which a dry run does not touch) and its rule, as the stack sets them.
      const saved = {
        ALLOW_DELETE: process.env.ALLOW_DELETE,
        LOCK_TABLE_NAME: process.env.LOCK_TABLE_NAME,
        CONFIG_RULE_NAME: process.env.CONFIG_RULE_NAME,
      };
      process.env.ALLOW_DELETE = 'true';
      process.env.LOCK_TABLE_NAME = 'iam-user-single-access-key-test-RemediationLockTable-PLAN';
      process.env.CONFIG_RULE_NAME = 'iam-user-single-access-key';
      const dryRuns = await Promise.all(
        report.users.map((user) => remediate({ IAMResourceId: user.userId, MaxAccessKeys: '1', Action: action, DryRun: 'true' })),
      ).finally(() => {
        for (const [name, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      });

      // Assess
      expect(report.action).to.equal(action);
      expect(report.users.map((user) => user.userName)).to.deep.equal(['alice', 'eve,ops', 'svc-ci']);
      report.users.forEach((user, index) => {
        expect({ keep: user.keep, deactivate: user.deactivate, delete: user.delete }, user.userName).to.deep.equal(dryRuns[index]!.plan);
      });
      expect(fake.callsOf('UpdateAccessKey').concat(fake.callsOf('DeleteAccessKey'))).to.deep.equal([]);
      expect(fake.stats().dynamodbCalls).to.equal(0);
      expect(run.status).to.equal(1);
    });
  }

  it('keeps the most recently used key and shows each key masked with its dates', async () => {
    // Act
    const run = await runCli(['plan', '--format', 'json'], fake.url);

    // Assess
    const report = JSON.parse(run.stdout) as {
      accountId: string;
      parameters: unknown;
      users: (PlannedUser & { arn: string; annotation: string })[];
    };
    expect(report.accountId).to.equal(ACCOUNT_ID);
    expect(report.parameters).to.deep.equal({});
    const svc = report.users.find((user) => user.userName === 'svc-ci')!;
    expect(svc.arn).to.equal(`arn:aws:iam::${ACCOUNT_ID}:user/svc-ci`);
    expect(svc.annotation).to.match(/^2 active access keys \(limit 1\)/);
    expect(svc.keep).to.deep.equal([
      { accessKeyId: '****0002', status: 'Active', createDate: isoBefore(now, 100), lastUsed: isoBefore(now, 1) },
    ]);
    expect(svc.deactivate).to.deep.equal([
      { accessKeyId: '****0001', status: 'Active', createDate: isoBefore(now, 200), lastUsed: isoBefore(now, 2) },
    ]);
    expect(svc.delete).to.deep.equal([]);
    expect(run.stdout).not.to.match(/AKIA/);
  });

  it('prints one CSV row per key of each NON_COMPLIANT user with the change the remediation would make and why', async () => {
    // Act
    const run = await runCli(['plan', '--format', 'csv', '--action', 'Delete'], fake.url);

    // Assess
    const alice = `alice,AIDACLIALICE00000001,arn:aws:iam::${ACCOUNT_ID}:user/team/ops/alice,change`;
    const eve = `"eve,ops",AIDACLIEVEOPS0000001,"arn:aws:iam::${ACCOUNT_ID}:user/eve,ops",change`;
    const svc = `svc-ci,AIDACLISVCCI00000001,arn:aws:iam::${ACCOUNT_ID}:user/svc-ci,change`;
    expect(run.stdout).to.equal(
      [
        'userName,userId,arn,outcome,accessKeyId,status,createDate,lastUsed,change,reason',
        `${alice},****0001,Active,${isoBefore(now, 400)},${isoBefore(now, 1)},keep,used; ****0002 never was`,
        `${alice},****0002,Active,${isoBefore(now, 10)},never,"deactivate, delete",never used; ****0001 was`,
        `${eve},****0002,Active,${isoBefore(now, 60)},never,keep,"never used, as ****0001; newer"`,
        `${eve},****0001,Active,${isoBefore(now, 90)},never,"deactivate, delete","never used, as ****0002; older"`,
        `${eve},****0003,Inactive,${isoBefore(now, 500)},,delete,"inactive, not kept"`,
        `${svc},****0002,Active,${isoBefore(now, 100)},${isoBefore(now, 1)},keep,used more recently than ****0001`,
        `${svc},****0001,Active,${isoBefore(now, 200)},${isoBefore(now, 2)},"deactivate, delete",used less recently than ****0002`,
        '',
      ].join('\n'),
    );
    expect(run.status).to.equal(1);
  });

  it('tells apart two keys used in the same minute, by the second and by the reason it gives for the one kept', async () => {
    // Prepare: both keys used between 10:15 and 10:16; then two never used, created a day apart.
    const used = (accessKeyId: string, date: string) => ({
      accessKeyId,
      status: 'Active' as const,
      createDate: new Date('2025-01-01T00:00:00Z'),
      lastUsed: { date: new Date(date), serviceName: 's3', region: 'us-east-1' },
    });
    fake.addUsers([
      {
        userName: 'sam',
        userId: 'AIDACLISAM0000000001',
        accessKeys: [used('AKIACLISAMKEY0000001', '2026-11-30T10:15:20Z'), used('AKIACLISAMKEY0000002', '2026-11-30T10:15:40Z')],
      },
    ]);

    // Act
    const run = await runCli(['plan', '--format', 'table'], fake.url).finally(() => fake.removeUser('sam'));

    // Assess
    const rows = run.stdout.split('\n').filter((line) => line.startsWith('│ sam '));
    expect(
      rows.map((row) =>
        row
          .split('│')
          .map((cell) => cell.trim())
          .slice(2, 7),
      ),
    ).to.deep.equal([
      ['****0002', 'Active', '2026-11-30 10:15:40', 'keep', 'used more recently than ****0001'],
      ['****0001', 'Active', '2026-11-30 10:15:20', 'deactivate', 'used less recently than ****0002'],
    ]);
  });

  describe('with --count-inactive-keys and Action=Deactivate, which cannot bring a user within the limit', () => {
    // ivan: over the limit through two inactive keys only; carol: one active and one inactive.
    const ivan = {
      userName: 'ivan',
      userId: 'AIDACLIIVAN000000001',
      accessKeys: [
        { accessKeyId: 'AKIACLIIVANKEY000001', status: 'Inactive' as const, createDate: new Date('2025-01-01T00:00:00Z') },
        { accessKeyId: 'AKIACLIIVANKEY000002', status: 'Inactive' as const, createDate: new Date('2025-06-01T00:00:00Z') },
      ],
    };
    const everyNonCompliant = ['alice', 'carol', 'eve,ops', 'ivan', 'svc-ci'];

    beforeEach(() => {
      fake.removeUser('ivan');
      fake.addUsers([ivan]);
    });

    afterEach(() => {
      fake.removeUser('ivan');
    });

    it('lists every NON_COMPLIANT user in the JSON, each saying the remediation changes nothing and what Action=Delete would do', async () => {
      // Act
      const run = await runCli(['plan', '--format', 'json', '--count-inactive-keys'], fake.url);

      // Assess
      const report = JSON.parse(run.stdout) as {
        counts: Record<string, number>;
        users: (PlannedUser & { outcome: string; summary: string; keys: { accessKeyId: string; change: string; reason: string }[] })[];
      };
      expect(report.users.map((user) => user.userName)).to.deep.equal(everyNonCompliant);
      expect(report.counts).to.deep.equal({ change: 0, 'cannot-comply': 5, 'within-limit': 0, gone: 0 });
      const planned = report.users.find((user) => user.userName === 'ivan')!;
      expect(planned.outcome).to.equal('cannot-comply');
      expect(planned.summary).to.equal(
        'IAM user ivan (AIDACLIIVAN000000001) is over the limit counting inactive keys too (countInactiveKeys=true): deactivating cannot bring it within 1: Action=Delete would keep no key; would delete ****0001, ****0002.',
      );
      expect({ keep: planned.keep, deactivate: planned.deactivate, delete: planned.delete }).to.deep.equal({
        keep: [],
        deactivate: [],
        delete: [],
      });
      expect(planned.keys.map(({ accessKeyId, change, reason }) => ({ accessKeyId, change, reason }))).to.deep.equal([
        { accessKeyId: '****0001', change: 'none', reason: 'Action=Delete would delete it: inactive, not kept' },
        { accessKeyId: '****0002', change: 'none', reason: 'Action=Delete would delete it: inactive, not kept' },
      ]);
      expect(run.status).to.equal(1);
    });

    it('lists every NON_COMPLIANT user in the CSV, with a row for each key', async () => {
      // Act
      const run = await runCli(['plan', '--format', 'csv', '--count-inactive-keys'], fake.url);

      // Assess
      const rows = run.stdout.trimEnd().split('\n').slice(1);
      const users = [...new Set(rows.map((row) => row.split(',AIDA')[0]!.replace(/"/g, '')))];
      expect(users).to.deep.equal(everyNonCompliant);
      const ivanRow = (key: string, created: string) =>
        `ivan,AIDACLIIVAN000000001,arn:aws:iam::${ACCOUNT_ID}:user/ivan,cannot-comply,${key},Inactive,${created},,none,"Action=Delete would delete it: inactive, not kept"`;
      expect(rows.filter((row) => row.startsWith('ivan,'))).to.deep.equal([
        ivanRow('****0001', '2025-01-01T00:00:00.000Z'),
        ivanRow('****0002', '2025-06-01T00:00:00.000Z'),
      ]);
      expect(rows.every((row) => row.includes(',cannot-comply,'))).to.equal(true);
    });

    it('shows every NON_COMPLIANT user in the table, says why each is left as it is, and counts them in the footer', async () => {
      // Act
      const run = await runCli(['plan', '--format', 'table', '--count-inactive-keys'], fake.url);

      // Assess
      const lines = run.stdout.split('\n');
      for (const userName of everyNonCompliant) {
        expect(
          lines.some((line) => line.startsWith(`│ ${userName} `)),
          userName,
        ).to.equal(true);
      }
      // The cells wrap: read the text with the borders and line breaks taken out.
      expect(run.stdout.replace(/[│\s]+/g, ' ')).to.include(
        'IAM user ivan (AIDACLIIVAN000000001) is over the limit counting inactive keys too (countInactiveKeys=true): deactivating cannot bring it within 1: Action=Delete would keep no key; would delete ****0001, ****0002.',
      );
      expect(lines.at(-2)).to.equal(
        `Account ${ACCOUNT_ID}: 5 NON_COMPLIANT users: 0 to change with Action=Deactivate; 5 that Action=Deactivate cannot bring within the limit (countInactiveKeys=true: only Action=Delete can). Nothing was changed.`,
      );
    });
  });

  it('plans nothing and exits 0 when no user is NON_COMPLIANT under the flags given', async () => {
    // Act
    const run = await runCli(['plan', '--format', 'json', '--max-access-keys', '2'], fake.url);

    // Assess
    const report = JSON.parse(run.stdout) as { parameters: unknown; users: unknown[] };
    expect(report.parameters).to.deep.equal({ maxAccessKeys: '2' });
    expect(report.users).to.deep.equal([]);
    expect(run.status).to.equal(0);
  });
});
