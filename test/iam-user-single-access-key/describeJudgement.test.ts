import { expect } from 'chai';
import { ANNOTATION_LENGTH_WITH_FACTS } from '../../src/config/resultFingerprint';
import { type Advice, adviceFor, keyFactsOf } from '../../src/iam-user-single-access-key/accessKeyFacts';
import { describeExemption, describeJudgement } from '../../src/iam-user-single-access-key/describeJudgement';
import { maskAccessKeyId } from '../../src/iam-user-single-access-key/maskAccessKeyId';
import type { KeyLastUse } from '../../src/iam-user-single-access-key/IamAccessKeys';
import { type AccessKey, judgeAccessKeys } from '../../src/iam-user-single-access-key/judgeAccessKeys';
import { type AccessKeyRuleParameters, DEFAULT_PARAMETERS } from '../../src/iam-user-single-access-key/parameters';

const NOW = new Date('2026-11-23T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

function annotate(keys: AccessKey[], lastUse?: Map<string, KeyLastUse>, overrides: Partial<AccessKeyRuleParameters> = {}): string {
  const params = { ...DEFAULT_PARAMETERS, ...overrides };
  return describeJudgement(judgeAccessKeys(keys, params, NOW), params, lastUse, NOW);
}

describe('describeJudgement', () => {
  it('describes a non-compliant user: count, limit, each key masked with age and last use, and what to do', () => {
    // Prepare
    const keys = [
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', status: 'Active', createDate: daysAgo(400) },
      { accessKeyId: 'AKIAI44QH8DHBEXAMPL2', status: 'Active', createDate: daysAgo(2) },
    ];
    const lastUse = new Map<string, KeyLastUse>([
      ['AKIAIOSFODNN7EXAMPLE', { lastUsedDate: new Date('2026-11-20T09:00:00Z'), serviceName: 's3', region: 'eu-west-1' }],
      ['AKIAI44QH8DHBEXAMPL2', { serviceName: 'N/A', region: 'N/A' }],
    ]);

    // Act
    const annotation = annotate(keys, lastUse);

    // Assess
    expect(annotation).to.equal(
      '2 active access keys (limit 1): ****MPLE, 400d old, last used 2026-11-20 (s3); ****MPL2, 2d old, never used. Deactivate or delete all but 1.',
    );
  });

  it('describes a compliant user with its key and the keys it did not count', () => {
    const keys = [
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', status: 'Active', createDate: daysAgo(30) },
      { accessKeyId: 'AKIAI44QH8DHBEXAMPL2', status: 'Inactive', createDate: daysAgo(300) },
    ];
    expect(annotate(keys)).to.equal('1 active access key (limit 1): ****MPLE, 30d old. 1 inactive not counted.');
  });

  it('says when there are no keys', () => {
    expect(annotate([])).to.equal('0 active access keys (limit 1).');
  });

  it('names keys left out by the rotation grace, with ages in hours under a day', () => {
    const keys = [
      { accessKeyId: 'AKIAOLDOLDOLDOLD0001', status: 'Active', createDate: daysAgo(90) },
      { accessKeyId: 'AKIANEWNEWNEWNEW0002', status: 'Active', createDate: new Date(NOW.getTime() - 5 * 3_600_000) },
    ];
    expect(annotate(keys, undefined, { rotationGraceHours: 24 })).to.equal(
      '1 active access key (limit 1): ****0001, 90d old. 1 younger than 24h not counted.',
    );
    expect(annotate(keys, undefined, { maxAccessKeys: 1 })).to.include('****0002, 5h old');
  });

  it('shows the status of counted non-active keys when countInactiveKeys is on', () => {
    const keys = [
      { accessKeyId: 'AKIAOLDOLDOLDOLD0001', status: 'Active', createDate: daysAgo(90) },
      { accessKeyId: 'AKIAOLDOLDOLDOLD0002', status: 'Inactive', createDate: daysAgo(10) },
    ];
    expect(annotate(keys, new Map(), { countInactiveKeys: true })).to.equal(
      '2 access keys (limit 1): ****0001, 90d old; ****0002, inactive, 10d old. Delete all but 1 (inactive keys count too).',
    );
  });

  describe('advice', () => {
    const old = (id: string, status = 'Active') => ({ accessKeyId: `AKIAOLDOLDOLDOLD000${id}`, status, createDate: daysAgo(90) });
    const young = (id: string, status = 'Active') => ({
      accessKeyId: `AKIANEWNEWNEWNEW000${id}`,
      status,
      createDate: new Date(NOW.getTime() - 5 * 3_600_000),
    });
    const cases: { name: string; keys: AccessKey[]; params: Partial<AccessKeyRuleParameters>; tail: string }[] = [
      { name: 'active keys only counted', keys: [old('1'), old('2')], params: {}, tail: 'Deactivate or delete all but 1.' },
      {
        name: 'inactive keys counted (countInactiveKeys)',
        keys: [old('1'), old('2', 'Inactive')],
        params: { countInactiveKeys: true },
        tail: 'Delete all but 1 (inactive keys count too).',
      },
      {
        name: 'a key inside the rotation grace',
        keys: [old('1'), old('2'), young('3')],
        params: { rotationGraceHours: 24 },
        tail: '1 younger than 24h not counted; deactivate or delete all active keys but 1, counting the 1 younger than 24h.',
      },
      {
        name: 'a key inside the grace, inactive keys counted',
        keys: [old('1'), old('2', 'Inactive'), young('3', 'Inactive')],
        params: { rotationGraceHours: 24, countInactiveKeys: true },
        tail: '1 younger than 24h not counted; delete all keys but 1, counting the 1 younger than 24h.',
      },
      {
        name: 'a limit of 2',
        keys: [old('1'), old('2'), old('3'), old('4', 'Inactive')],
        params: { maxAccessKeys: 2 },
        tail: '1 inactive not counted; deactivate or delete all but 2.',
      },
    ];
    for (const { name, keys, params, tail } of cases) {
      it(`tells a NON_COMPLIANT user what makes it compliant: ${name}`, () => {
        expect(annotate(keys, new Map(), params).endsWith(` ${tail}`)).to.equal(true, annotate(keys, new Map(), params));
      });
    }

    /** The keys after a person follows `advice`, keeping the first keys it may keep; `deactivate` picks that way when both are allowed. */
    function follow(keys: readonly AccessKey[], params: AccessKeyRuleParameters, advice: Advice, deactivate: boolean): AccessKey[] {
      const counting = (key: AccessKey) => params.countInactiveKeys || key.status === 'Active';
      let kept = 0;
      return keys.flatMap((key) => {
        if (!counting(key) || kept++ < advice.keep) return [key];
        if (advice.action === 'deactivate or delete' && deactivate) return [{ ...key, status: 'Inactive' }];
        return [];
      });
    }

    const laterThanGrace = (params: AccessKeyRuleParameters) => new Date(NOW.getTime() + (params.rotationGraceHours + 1) * 3_600_000);
    for (const { name, keys, params: overrides } of cases) {
      for (const deactivate of [true, false]) {
        it(`is an action that makes the user compliant now and once its young keys age (${name}, ${deactivate ? 'deactivating' : 'deleting'} where both are allowed)`, () => {
          // Prepare
          const params = { ...DEFAULT_PARAMETERS, ...overrides };
          const judgement = judgeAccessKeys(keys, params, NOW);
          expect(judgement.complianceType).to.equal('NON_COMPLIANT');

          // Act
          const after = follow(keys, params, adviceFor(keyFactsOf(judgement, params))!, deactivate);

          // Assess
          expect(judgeAccessKeys(after, params, NOW).complianceType).to.equal('COMPLIANT');
          expect(judgeAccessKeys(after, params, laterThanGrace(params)).complianceType).to.equal('COMPLIANT');
        });
      }
    }

    it('never advises deactivating when inactive keys count: deactivating leaves the user NON_COMPLIANT', () => {
      const params = { ...DEFAULT_PARAMETERS, countInactiveKeys: true };
      const keys = [old('1'), old('2')];
      const deactivated = follow(keys, params, { action: 'deactivate or delete', keep: 1, youngCounted: 0 }, true);

      expect(adviceFor(keyFactsOf(judgeAccessKeys(keys, params, NOW), params))?.action).to.equal('delete');
      expect(judgeAccessKeys(deactivated, params, NOW).complianceType).to.equal('NON_COMPLIANT');
    });

    it('keeps the advice whole when the keys fill the annotation, dropping keys instead', () => {
      const keys = [old('1'), old('2', 'Inactive'), young('3', 'Inactive')];
      const lastUse = new Map(
        keys.map((key) => [key.accessKeyId, { lastUsedDate: daysAgo(1), serviceName: 'elasticmapreduce-and-more-services' }]),
      );

      const annotation = annotate(keys, lastUse, { rotationGraceHours: 1000, countInactiveKeys: true });

      expect(annotation.length).to.be.at.most(ANNOTATION_LENGTH_WITH_FACTS);
      expect(annotation).to.match(
        / \(\+1 more\)\. 1 younger than 1000h not counted; delete all keys but 1, counting the 1 younger than 1000h\.$/,
      );
    });
  });

  it('leaves room for the marker of its facts, drops whole keys only and says how many, and never shows a whole key id', () => {
    // Prepare: more keys than fit, as a raised quota could allow
    const keys = Array.from({ length: 12 }, (_, index) => ({
      accessKeyId: `AKIAVERYLONGKEYID${String(index).padStart(3, '0')}`,
      status: 'Active',
      createDate: daysAgo(100 + index),
    }));
    const lastUse = new Map(keys.map((key) => [key.accessKeyId, { lastUsedDate: daysAgo(1), serviceName: 'secretsmanager' }]));

    // Act
    const annotation = annotate(keys, lastUse);

    // Assess
    expect(annotation.length).to.be.at.most(ANNOTATION_LENGTH_WITH_FACTS);
    expect(annotation).to.match(
      /^12 active access keys \(limit 1\): \*\*\*\*D011, 111d old, last used \d{4}-\d\d-\d\d \(secretsmanager\); /,
    );
    expect(annotation).to.match(/; \*\*\*\*D\d{3}, \d+d old, last used \d{4}-\d\d-\d\d \(secretsmanager\) \(\+\d+ more\)/);
    for (const key of keys) expect(annotation).not.to.include(key.accessKeyId);
  });
});

describe('describeExemption', () => {
  it('names the user and why it is exempt', () => {
    expect(describeExemption('ci-bot', { by: 'exemptUserNames' })).to.equal('User ci-bot is exempt: listed in exemptUserNames.');
    expect(describeExemption('alice', { by: 'exemptTag', tag: 'exempt=cis-1.13' })).to.equal(
      'User alice is exempt: tagged exempt=cis-1.13 (exemptTag).',
    );
  });
});

describe('maskAccessKeyId', () => {
  it('keeps only the last four characters', () => {
    expect(maskAccessKeyId('AKIAIOSFODNN7EXAMPLE')).to.equal('****MPLE');
  });
});
