import { expect } from 'chai';
import { type KeyFacts, keyFactsOf } from '../../src/iam-user-single-access-key/accessKeyFacts';
import { type AccessKey, judgeAccessKeys } from '../../src/iam-user-single-access-key/judgeAccessKeys';
import { type AccessKeyRuleParameters, DEFAULT_PARAMETERS } from '../../src/iam-user-single-access-key/parameters';

const THEN = new Date('2026-11-01T12:00:00Z');
const NOW = new Date('2026-11-23T12:00:00Z');
const before = (at: Date, days: number) => new Date(at.getTime() - days * 86_400_000);
const A = 'AKIAIOSFODNN7EXAMPLE';
const B = 'AKIAI44QH8DHBEXAMPL2';

/** The facts of the rule's verdict on these keys at `now` (last use is no fact: it moves on by itself). */
function factsAt(now: Date, keys: AccessKey[], overrides: Partial<AccessKeyRuleParameters> = {}): KeyFacts {
  const params = { ...DEFAULT_PARAMETERS, ...overrides };
  return keyFactsOf(judgeAccessKeys(keys, params, now), params);
}

const key = (accessKeyId: string, created: Date, status = 'Active'): AccessKey => ({ accessKeyId, status, createDate: created });

describe('keyFactsOf', () => {
  const same: [string, () => [KeyFacts, KeyFacts]][] = [
    ['a compliant user a day older', () => [factsAt(THEN, [key(A, before(THEN, 3))]), factsAt(NOW, [key(A, before(THEN, 3))])]],
    [
      'a key that was hours old and is days old now',
      () => [factsAt(THEN, [key(A, before(THEN, 0.2))]), factsAt(NOW, [key(A, before(THEN, 0.2))])],
    ],
    [
      'a user inside the rotation grace whose keys aged (the advice keeps its count of young keys)',
      () => [
        factsAt(THEN, [key(A, before(THEN, 90)), key('AKIAOLDOLDOLDOLD0003', before(THEN, 80)), key(B, before(THEN, 0.1))], {
          rotationGraceHours: 24,
        }),
        factsAt(
          new Date(THEN.getTime() + 3_600_000),
          [key(A, before(THEN, 90)), key('AKIAOLDOLDOLDOLD0003', before(THEN, 80)), key(B, before(THEN, 0.1))],
          { rotationGraceHours: 24 },
        ),
      ],
    ],
    [
      'an inactive key counted under countInactiveKeys',
      () => [
        factsAt(THEN, [key(A, before(THEN, 5), 'Inactive')], { countInactiveKeys: true }),
        factsAt(NOW, [key(A, before(THEN, 5), 'Inactive')], { countInactiveKeys: true }),
      ],
    ],
  ];
  for (const [what, texts] of same) {
    it(`is the same for ${what}`, () => {
      // Act
      const [then, now] = texts();

      // Assess
      expect(now).to.deep.equal(then);
    });
  }

  const different: [string, () => [KeyFacts, KeyFacts]][] = [
    ['a rotated key (another key id counted)', () => [factsAt(THEN, [key(A, before(THEN, 3))]), factsAt(NOW, [key(B, before(NOW, 1))])]],
    ['a second key', () => [factsAt(THEN, [key(A, before(THEN, 3))]), factsAt(NOW, [key(A, before(THEN, 3)), key(B, before(NOW, 1))])]],
    [
      'a key deactivated',
      () => [
        factsAt(THEN, [key(A, before(THEN, 3)), key(B, before(THEN, 2))]),
        factsAt(NOW, [key(A, before(THEN, 3)), key(B, before(THEN, 2), 'Inactive')]),
      ],
    ],
    ['another limit', () => [factsAt(THEN, [key(A, before(THEN, 3))]), factsAt(NOW, [key(A, before(THEN, 3))], { maxAccessKeys: 2 })]],
    [
      'a key leaving the rotation grace',
      () => [
        factsAt(THEN, [key(A, before(THEN, 3)), key(B, THEN)], { rotationGraceHours: 24 }),
        factsAt(NOW, [key(A, before(THEN, 3)), key(B, THEN)], { rotationGraceHours: 24 }),
      ],
    ],
  ];
  for (const [what, texts] of different) {
    it(`differs for ${what}`, () => {
      const [then, now] = texts();

      expect(now).not.to.deep.equal(then);
    });
  }

  it('holds the compliance, the limit, what counts, the counted keys masked with their status, and what was not counted and why', () => {
    // Act
    const facts = factsAt(NOW, [key(A, before(THEN, 90)), key(B, before(THEN, 9), 'Inactive'), key('AKIAYOUNGYOUNGYOU003', NOW)], {
      countInactiveKeys: true,
      rotationGraceHours: 24,
    });

    // Assess
    expect(facts).to.deep.equal({
      judged: 'keys',
      compliance: 'NON_COMPLIANT',
      limit: 1,
      counting: 'every',
      counted: [
        { key: '****MPLE', status: 'Active' },
        { key: '****MPL2', status: 'Inactive' },
      ],
      notCounted: { inactive: 0, inGrace: 1, graceHours: 24 },
    });
  });
});
