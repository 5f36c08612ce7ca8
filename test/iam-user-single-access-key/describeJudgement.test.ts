import { expect } from 'chai';
import { MAX_ANNOTATION_LENGTH } from '../../src/config/evaluations';
import { describeJudgement, type KeyLastUse, maskAccessKeyId } from '../../src/iam-user-single-access-key/describeJudgement';
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
      '2 access keys (limit 1): ****0001, 90d old; ****0002, inactive, 10d old. Deactivate or delete all but 1.',
    );
  });

  it('never exceeds 256 characters, drops whole keys only and says how many, and never shows a whole key id', () => {
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
    expect(annotation.length).to.be.at.most(MAX_ANNOTATION_LENGTH);
    expect(annotation).to.match(/^12 active access keys \(limit 1\): \*\*\*\*D011, 111d old, last used \d{4}-\d\d-\d\d \(secretsmanager\); /);
    expect(annotation).to.match(/; \*\*\*\*D\d{3}, \d+d old, last used \d{4}-\d\d-\d\d \(secretsmanager\) \(\+\d+ more\)/);
    for (const key of keys) expect(annotation).not.to.include(key.accessKeyId);
  });
});

describe('maskAccessKeyId', () => {
  it('keeps only the last four characters', () => {
    expect(maskAccessKeyId('AKIAIOSFODNN7EXAMPLE')).to.equal('****MPLE');
  });
});
