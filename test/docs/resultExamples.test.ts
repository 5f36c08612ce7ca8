import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unjudgeableStatusReason } from '../../src/config/ConfigurationItem';
import { describeExemption, describeGone, describeJudgement } from '../../src/iam-user-single-access-key/describeJudgement';
import type { KeyLastUse } from '../../src/iam-user-single-access-key/IamAccessKeys';
import { type AccessKey, judgeAccessKeys } from '../../src/iam-user-single-access-key/judgeAccessKeys';
import { DEFAULT_PARAMETERS } from '../../src/iam-user-single-access-key/parameters';

// The README's examples of what Config shows ("What you see in Config") are the rule's own words:
// each is rendered here by the rule's code from the facts it stands for.

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const NOW = new Date('2026-11-24T12:00:00Z');
const DAY_MS = 86_400_000;

/** The annotation of a user with these keys under the default parameters, at NOW; the rule looks up the last use of a NON_COMPLIANT user's keys only. */
function judged(keys: { id: string; status?: string; daysOld: number; lastUsed?: string }[], lookedUp: boolean): string {
  const accessKeys: AccessKey[] = keys.map(({ id, status = 'Active', daysOld }) => ({
    accessKeyId: id,
    status,
    createDate: new Date(NOW.getTime() - daysOld * DAY_MS),
  }));
  const lastUse = new Map<string, KeyLastUse>(
    keys.map(({ id, lastUsed }) => [id, lastUsed ? { lastUsedDate: new Date(lastUsed), serviceName: 's3' } : {}]),
  );
  return describeJudgement(judgeAccessKeys(accessKeys, DEFAULT_PARAMETERS, NOW), DEFAULT_PARAMETERS, lookedUp ? lastUse : undefined, NOW);
}

describe("the README's example annotations", () => {
  const examples: [string, () => string][] = [
    [
      'NON_COMPLIANT',
      () =>
        judged(
          [
            { id: 'AKIAIOSFODNN7EXAMPLE', daysOld: 400, lastUsed: '2026-11-22T09:00:00Z' },
            { id: 'AKIAIOSFODNN7EXAMPL2', daysOld: 2 },
          ],
          true,
        ),
    ],
    [
      'COMPLIANT',
      () =>
        judged(
          [
            { id: 'AKIAIOSFODNN7EXAMPLE', daysOld: 400 },
            { id: 'AKIAIOSFODNN7EXAMPL2', status: 'Inactive', daysOld: 500 },
          ],
          false,
        ),
    ],
    ['NOT_APPLICABLE, deleted (change notification)', () => unjudgeableStatusReason('ResourceDeleted')!],
    ['NOT_APPLICABLE, deleted (by id)', () => describeGone({ judged: 'gone', userName: 'alice', nameTakenBy: null }, 'AIDA…')],
    ['NOT_APPLICABLE, exempt by name', () => describeExemption('ci-bot', { by: 'exemptUserNames' })],
    ['NOT_APPLICABLE, exempt by tag', () => describeExemption('alice', { by: 'exemptTag', tag: 'cis-exempt=approved' })],
  ];
  for (const [name, render] of examples) {
    it(`shows the rule's words: ${name}`, () => {
      expect(README).to.include(`\`${render()}\``);
    });
  }

  it("shows the sentence a deleted user's annotation adds when another user took its name", () => {
    // Act
    const taken = describeGone({ judged: 'gone', userName: 'alice', nameTakenBy: 'AIDA…' }, 'AIDA…');

    // Assess
    expect(README).to.include(
      `\`${taken.slice(describeGone({ judged: 'gone', userName: 'alice', nameTakenBy: null }, 'AIDA…').length + 1)}\``,
    );
  });

  it('shows the start of the words for an item a region does not record', () => {
    // Act
    const reason = unjudgeableStatusReason('ResourceNotRecorded')!;

    // Assess: the README cuts it after the status
    expect(README).to.include(`\`${reason.slice(0, reason.indexOf(';') + 1)} …\``);
  });
});
