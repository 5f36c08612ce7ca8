import { expect } from 'chai';
import sinon from 'sinon';
import { resetClients } from '../../src/config/awsClients';
import { handler } from '../../src/iam-user-single-access-key/handler';
import { scheduledEvent, serialize } from '../fixtures/events';
import type { FakeAccessKey, FakeAws, RecordedEvaluation } from '../../tools/fakeAws';
import { inWords } from '../support/inWords';
import { startFakeAws, stopFakeAws } from '../support/useFakeAws';

// What a NON_COMPLIANT annotation tells a person to do, followed to the letter in the fake
// account, then judged again by the real handler (real SDK, local endpoint): the advice must make
// the user compliant under the rule's parameters, now and once young keys age past the grace.

const RULE = 'iam-user-single-access-key';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const USER_ID = 'AIDAADVICE0000000001';

function key(slot: number, ageMs: number, status: FakeAccessKey['status'] = 'Active'): FakeAccessKey {
  return { accessKeyId: `AKIAADVICE000000KEY${slot}`, status, createDate: new Date(Date.now() - ageMs) };
}

describe('the advice of a NON_COMPLIANT annotation, followed (real SDK, local endpoint)', function () {
  this.timeout(60_000);
  let fake: FakeAws;
  const recorded = (): RecordedEvaluation[] => inWords(fake.putEvaluations.flatMap((call) => call.Evaluations));

  /** A sweep with these rule parameters (`hoursLater` on the rule's clock); the user's result. */
  async function sweep(ruleParameters: Record<string, string>, hoursLater = 0): Promise<RecordedEvaluation> {
    fake.reset();
    const event = scheduledEvent();
    event.ruleParameters = ruleParameters;
    const clock = hoursLater === 0 ? undefined : sinon.useFakeTimers({ now: Date.now() + hoursLater * HOUR, toFake: ['Date'] });
    try {
      await handler(serialize(event));
    } finally {
      clock?.restore();
    }
    const result = recorded().find((evaluation) => evaluation.ComplianceResourceId === USER_ID);
    if (!result) throw new Error('the sweep recorded nothing for the user');
    return result;
  }

  /** The user's keys after a person acts on them. */
  function setKeys(keys: FakeAccessKey[]): void {
    fake.addUser({ userName: 'advised', userId: USER_ID, accessKeys: keys });
  }

  before(async () => {
    fake = await startFakeAws({ accountId: '123456789012', maxAttempts: 3, journal: { function: 'evaluate' } });
  });

  after(async () => {
    await stopFakeAws(fake);
  });

  beforeEach(() => {
    fake.removeUser('advised');
    fake.setComplianceResults(RULE, []);
    resetClients();
  });

  it('with countInactiveKeys=true says delete, since a deactivated key still counts; deleting makes the user compliant', async () => {
    // Prepare: one active key and one inactive key
    setKeys([key(1, 100 * DAY), key(2, 50 * DAY, 'Inactive')]);
    const parameters = { countInactiveKeys: 'true' };

    // Act
    const before = await sweep(parameters);
    setKeys([key(1, 100 * DAY)]);
    const after = await sweep(parameters);

    // Assess
    expect(before).to.include({
      ComplianceType: 'NON_COMPLIANT',
      Annotation:
        '2 access keys (limit 1): ****KEY1, 100d old, never used; ****KEY2, inactive, 50d old, never used. Delete all but 1 (inactive keys count too).',
    });
    expect(after.ComplianceType).to.equal('COMPLIANT');
  });

  it('with rotationGraceHours counts the young keys in what to keep, so the user stays compliant once they age', async () => {
    // Prepare: two old active keys and one made an hour ago, inside the 72 h grace
    setKeys([key(1, 100 * DAY), key(2, 50 * DAY), key(3, HOUR)]);
    const parameters = { rotationGraceHours: '72' };

    // Act: follow the advice (keep one active key in all: the new one), then judge now and in 73 h
    const before = await sweep(parameters);
    setKeys([key(1, 100 * DAY, 'Inactive'), key(2, 50 * DAY, 'Inactive'), key(3, HOUR)]);
    const now = await sweep(parameters);
    const later = await sweep(parameters, 73);

    // Assess
    expect(before).to.include({
      ComplianceType: 'NON_COMPLIANT',
      Annotation:
        '2 active access keys (limit 1): ****KEY1, 100d old, never used; ****KEY2, 50d old, never used. ' +
        '1 younger than 72h not counted; deactivate or delete all active keys but 1, counting the 1 younger than 72h.',
    });
    expect(now.ComplianceType).to.equal('COMPLIANT');
    expect(later.ComplianceType).to.equal('COMPLIANT');
  });
});
