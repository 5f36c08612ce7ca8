import { expect } from 'chai';
import sinon from 'sinon';
import { resetClients } from '../../../src/config/awsClients';
import { handler } from '../../../src/iam-user-single-access-key/remediation/handler';
import type { RemediationResult } from '../../../src/iam-user-single-access-key/remediation/RemediationResult';
import type { FakeAws } from '../../../tools/fakeAws';
import { motoOrSkip } from '../../support/motoServer';
import type { Template } from '../../support/packageTemplate';
import { stopFakeAws } from '../../support/useFakeAws';
import { ALICE, KEY } from './fixtures';
import {
  alice,
  createLockTable,
  DAY,
  EXECUTION_ID,
  FOURTH,
  handlerWithDeadline,
  keyStatuses,
  keyWrites,
  lockOnAlice,
  rejection,
  renderPayload,
  restoreEnvironment,
  retryAtOnce,
  RULE,
  stageLock,
  startRemediationFake,
} from './remediationWire';

// The remediation lock (RemediationLockTable) over the wire: the packaged remediate function's
// runs against the fake's DynamoDB and against moto_server's, which the fake forwards to (a third
// party's reading of DynamoDB's condition expressions). Runs that reach the lock at the same
// instant are staged with the fake's answerTogether; retries wait no time (remediationWire.ts).

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
    const statuses = (name = 'alice') => keyStatuses(fake, name);
    const writes = () => keyWrites(fake);

    before(async function () {
      const upstream = await backend.upstream(this);
      ({ fake, template, payloadTemplate } = await startRemediationFake(upstream));
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
      retryAtOnce();
    });

    afterEach(() => {
      sinon.restore();
      restoreEnvironment();
    });

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

    it('releases its lock when its deadline stops it, with a budget of its own', async () => {
      // Prepare: IAM answers nothing under the lock until the run's deadline aborts its calls
      const deadline = new AbortController();
      const answerLastUse = fake.holdAnswers('GetAccessKeyLastUsed');
      fake.beforeAnswering('GetAccessKeyLastUsed', () => deadline.abort());

      // Act
      const error = await rejection(handlerWithDeadline(deadline)(payload()));
      answerLastUse();

      // Assess: the release came after the deadline, and went through
      expect(error?.message).to.match(
        /failed before any change; nothing was changed: .*AbortError: Request aborted \(DeadlineExceededError: the run reached its deadline/,
      );
      expect(writes()).to.have.length(0);
      expect(fake.callsOf('DeleteItem').map((call) => call.status)).to.deep.equal([200]);
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
          /^Remediation of IAM user alice \(AIDA\w+\) failed before any change; nothing was changed: AwsCallError: /,
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
