import { expect } from 'chai';
import { fitAnnotation } from '../../src/config/evaluations';
import { actionableAnnotation, describeJudgement, type KeyLastUse } from '../../src/iam-user-single-access-key/describeJudgement';
import { type AccessKey, judgeAccessKeys } from '../../src/iam-user-single-access-key/judgeAccessKeys';
import { type AccessKeyRuleParameters, DEFAULT_PARAMETERS } from '../../src/iam-user-single-access-key/parameters';

const THEN = new Date('2026-11-01T12:00:00Z');
const NOW = new Date('2026-11-23T12:00:00Z');
const before = (at: Date, days: number) => new Date(at.getTime() - days * 86_400_000);
const A = 'AKIAIOSFODNN7EXAMPLE';
const B = 'AKIAI44QH8DHBEXAMPL2';

/** The actionable text of the annotation the rule writes for these keys at `now`. */
function actionableAt(
  now: Date,
  keys: AccessKey[],
  lastUse?: Map<string, KeyLastUse>,
  overrides: Partial<AccessKeyRuleParameters> = {},
): string {
  const params = { ...DEFAULT_PARAMETERS, ...overrides };
  const judgement = judgeAccessKeys(keys, params, now);
  return actionableAnnotation(
    fitAnnotation(describeJudgement(judgement, params, judgement.complianceType === 'NON_COMPLIANT' ? lastUse : undefined, now)),
  );
}

const key = (accessKeyId: string, created: Date, status = 'Active'): AccessKey => ({ accessKeyId, status, createDate: created });

describe('actionableAnnotation', () => {
  const same: [string, () => [string, string]][] = [
    ['a compliant user a day older', () => [actionableAt(THEN, [key(A, before(THEN, 3))]), actionableAt(NOW, [key(A, before(THEN, 3))])]],
    [
      'a key that was hours old and is days old now',
      () => [actionableAt(THEN, [key(A, before(THEN, 0.2))]), actionableAt(NOW, [key(A, before(THEN, 0.2))])],
    ],
    [
      'a non-compliant user whose keys were used again, one for the first time',
      () => [
        actionableAt(
          THEN,
          [key(A, before(THEN, 90)), key(B, before(THEN, 9))],
          new Map([
            [A, { lastUsedDate: before(THEN, 1), serviceName: 's3' }],
            [B, {}],
          ]),
        ),
        actionableAt(
          NOW,
          [key(A, before(THEN, 90)), key(B, before(THEN, 9))],
          new Map([
            [A, { lastUsedDate: before(NOW, 0), serviceName: 'iam' }],
            [B, { lastUsedDate: NOW, serviceName: 'ec2' }],
          ]),
        ),
      ],
    ],
    [
      'a user inside the rotation grace whose keys aged (the advice keeps its count of young keys)',
      () => [
        actionableAt(
          THEN,
          [key(A, before(THEN, 90)), key('AKIAOLDOLDOLDOLD0003', before(THEN, 80)), key(B, before(THEN, 0.1))],
          new Map(),
          { rotationGraceHours: 24 },
        ),
        actionableAt(
          new Date(THEN.getTime() + 3_600_000),
          [key(A, before(THEN, 90)), key('AKIAOLDOLDOLDOLD0003', before(THEN, 80)), key(B, before(THEN, 0.1))],
          new Map(),
          { rotationGraceHours: 24 },
        ),
      ],
    ],
    [
      'an inactive key counted under countInactiveKeys',
      () => [
        actionableAt(THEN, [key(A, before(THEN, 5), 'Inactive')], undefined, { countInactiveKeys: true }),
        actionableAt(NOW, [key(A, before(THEN, 5), 'Inactive')], undefined, { countInactiveKeys: true }),
      ],
    ],
  ];
  for (const [what, texts] of same) {
    it(`is the same for ${what}`, () => {
      // Act
      const [then, now] = texts();

      // Assess
      expect(now).to.equal(then);
    });
  }

  const different: [string, () => [string, string]][] = [
    [
      'a rotated key (another key id counted)',
      () => [actionableAt(THEN, [key(A, before(THEN, 3))]), actionableAt(NOW, [key(B, before(NOW, 1))])],
    ],
    [
      'a second key',
      () => [actionableAt(THEN, [key(A, before(THEN, 3))]), actionableAt(NOW, [key(A, before(THEN, 3)), key(B, before(NOW, 1))])],
    ],
    [
      'a key deactivated',
      () => [
        actionableAt(THEN, [key(A, before(THEN, 3)), key(B, before(THEN, 2))]),
        actionableAt(NOW, [key(A, before(THEN, 3)), key(B, before(THEN, 2), 'Inactive')]),
      ],
    ],
    [
      'another limit',
      () => [actionableAt(THEN, [key(A, before(THEN, 3))]), actionableAt(NOW, [key(A, before(THEN, 3))], undefined, { maxAccessKeys: 2 })],
    ],
    [
      'a key leaving the rotation grace',
      () => [
        actionableAt(THEN, [key(A, before(THEN, 3)), key(B, THEN)], undefined, { rotationGraceHours: 24 }),
        actionableAt(NOW, [key(A, before(THEN, 3)), key(B, THEN)], undefined, { rotationGraceHours: 24 }),
      ],
    ],
  ];
  for (const [what, texts] of different) {
    it(`differs for ${what}`, () => {
      const [then, now] = texts();

      expect(now).not.to.equal(then);
    });
  }

  it('keeps the count, the masked keys, the limit and what to do, and leaves other texts as they are', () => {
    expect(
      actionableAnnotation(
        '2 active access keys (limit 1): ****MPLE, 10d old, never used; ****MPL2, 5h old, last used 2026-11-01 (s3). Deactivate or delete all but 1.',
      ),
    ).to.equal('2 active access keys (limit 1): ****MPLE; ****MPL2. Deactivate or delete all but 1.');
    expect(actionableAnnotation('3 active access keys (limit 1): ****AAAA, 1d old, last used 2026-01-01 (+2 more)')).to.equal(
      '3 active access keys (limit 1): ****AAAA (+2 more)',
    );
    expect(actionableAnnotation('User bob is exempt: listed in exemptUserNames.')).to.equal(
      'User bob is exempt: listed in exemptUserNames.',
    );
    expect(
      actionableAnnotation(
        '2 access keys (limit 1): ****0001, 90d old; ****0002, inactive, 10d old. Delete all but 1 (inactive keys count too).',
      ),
    ).to.equal('2 access keys (limit 1): ****0001; ****0002, inactive. Delete all but 1 (inactive keys count too).');
    expect(
      actionableAnnotation(
        '2 active access keys (limit 1): ****0001, 90d old, never used; ****0003, 80d old, never used. 1 younger than 24h not counted; deactivate or delete all active keys but 1, counting the 1 younger than 24h.',
      ),
    ).to.equal(
      '2 active access keys (limit 1): ****0001; ****0003. 1 younger than 24h not counted; deactivate or delete all active keys but 1, counting the 1 younger than 24h.',
    );
  });
});
