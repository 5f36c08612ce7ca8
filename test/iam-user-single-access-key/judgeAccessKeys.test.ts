import { expect } from 'chai';
import type { Exemption } from '../../src/iam-user-single-access-key/accessKeyFacts';
import { type AccessKey, findExemption, judgeAccessKeys } from '../../src/iam-user-single-access-key/judgeAccessKeys';
import { type AccessKeyRuleParameters, DEFAULT_PARAMETERS } from '../../src/iam-user-single-access-key/parameters';

const NOW = new Date('2026-11-23T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const key = (id: string, status: string, ageHours: number): AccessKey => ({ accessKeyId: id, status, createDate: hoursAgo(ageHours) });
const params = (overrides: Partial<AccessKeyRuleParameters> = {}): AccessKeyRuleParameters => ({ ...DEFAULT_PARAMETERS, ...overrides });

describe('judgeAccessKeys', () => {
  const cases: {
    name: string;
    keys: AccessKey[];
    params?: Partial<AccessKeyRuleParameters>;
    expected: { complianceType: string; counted: string[]; notActive: number; inGrace: number };
  }[] = [
    { name: 'no keys is compliant', keys: [], expected: { complianceType: 'COMPLIANT', counted: [], notActive: 0, inGrace: 0 } },
    {
      name: 'one active key is compliant',
      keys: [key('AKIA1', 'Active', 100)],
      expected: { complianceType: 'COMPLIANT', counted: ['AKIA1'], notActive: 0, inGrace: 0 },
    },
    {
      name: 'two active keys are non-compliant',
      keys: [key('AKIA1', 'Active', 100), key('AKIA2', 'Active', 10)],
      expected: { complianceType: 'NON_COMPLIANT', counted: ['AKIA1', 'AKIA2'], notActive: 0, inGrace: 0 },
    },
    {
      name: 'an inactive second key is not counted by default',
      keys: [key('AKIA1', 'Active', 100), key('AKIA2', 'Inactive', 10)],
      expected: { complianceType: 'COMPLIANT', counted: ['AKIA1'], notActive: 1, inGrace: 0 },
    },
    {
      name: 'an expired key is not active',
      keys: [key('AKIA1', 'Active', 100), key('AKIA2', 'Expired', 10)],
      expected: { complianceType: 'COMPLIANT', counted: ['AKIA1'], notActive: 1, inGrace: 0 },
    },
    {
      name: 'countInactiveKeys counts every status',
      keys: [key('AKIA1', 'Active', 100), key('AKIA2', 'Inactive', 10)],
      params: { countInactiveKeys: true },
      expected: { complianceType: 'NON_COMPLIANT', counted: ['AKIA1', 'AKIA2'], notActive: 0, inGrace: 0 },
    },
    {
      name: 'two inactive keys are compliant under the default reading',
      keys: [key('AKIA1', 'Inactive', 100), key('AKIA2', 'Inactive', 10)],
      expected: { complianceType: 'COMPLIANT', counted: [], notActive: 2, inGrace: 0 },
    },
    {
      name: 'maxAccessKeys 2 allows two active keys',
      keys: [key('AKIA1', 'Active', 100), key('AKIA2', 'Active', 10)],
      params: { maxAccessKeys: 2 },
      expected: { complianceType: 'COMPLIANT', counted: ['AKIA1', 'AKIA2'], notActive: 0, inGrace: 0 },
    },
    {
      name: 'maxAccessKeys 2 still flags a third key (no two-slot assumption)',
      keys: [key('AKIA1', 'Active', 100), key('AKIA2', 'Active', 10), key('AKIA3', 'Active', 5)],
      params: { maxAccessKeys: 2 },
      expected: { complianceType: 'NON_COMPLIANT', counted: ['AKIA1', 'AKIA2', 'AKIA3'], notActive: 0, inGrace: 0 },
    },
    {
      name: 'a key younger than the rotation grace is not counted',
      keys: [key('AKIA1', 'Active', 100), key('AKIA2', 'Active', 23)],
      params: { rotationGraceHours: 24 },
      expected: { complianceType: 'COMPLIANT', counted: ['AKIA1'], notActive: 0, inGrace: 1 },
    },
    {
      name: 'a key exactly as old as the grace is counted',
      keys: [key('AKIA1', 'Active', 100), key('AKIA2', 'Active', 24)],
      params: { rotationGraceHours: 24 },
      expected: { complianceType: 'NON_COMPLIANT', counted: ['AKIA1', 'AKIA2'], notActive: 0, inGrace: 0 },
    },
    {
      name: 'an inactive key counts as not active before the grace is considered',
      keys: [key('AKIA1', 'Active', 100), key('AKIA2', 'Inactive', 1)],
      params: { rotationGraceHours: 24 },
      expected: { complianceType: 'COMPLIANT', counted: ['AKIA1'], notActive: 1, inGrace: 0 },
    },
    {
      name: 'counted keys are listed oldest first',
      keys: [key('AKIA2', 'Active', 10), key('AKIA1', 'Active', 100)],
      expected: { complianceType: 'NON_COMPLIANT', counted: ['AKIA1', 'AKIA2'], notActive: 0, inGrace: 0 },
    },
    {
      name: 'a key without a creation date is counted, even with a grace',
      keys: [key('AKIA1', 'Active', 100), { accessKeyId: 'AKIA2', status: 'Active' }],
      params: { rotationGraceHours: 24 },
      expected: { complianceType: 'NON_COMPLIANT', counted: ['AKIA2', 'AKIA1'], notActive: 0, inGrace: 0 },
    },
  ];

  for (const { name, keys, params: overrides, expected } of cases) {
    it(name, () => {
      // Act
      const judgement = judgeAccessKeys(keys, params(overrides), NOW);

      // Assess
      expect({
        complianceType: judgement.complianceType,
        counted: judgement.counted.map((counted) => counted.accessKeyId),
        notActive: judgement.notActive,
        inGrace: judgement.inGrace,
      }).to.deep.equal(expected);
      expect(judgement.limit).to.equal(params(overrides).maxAccessKeys);
    });
  }
});

describe('findExemption', () => {
  const cases: {
    name: string;
    userName: string;
    tags?: Record<string, string>;
    params: Partial<AccessKeyRuleParameters>;
    exemption?: Exemption;
  }[] = [
    { name: 'no exemptions configured', userName: 'alice', tags: { break: 'glass' }, params: {} },
    {
      name: 'a listed user name',
      userName: 'ci-bot',
      params: { exemptUserNames: new Set(['ci-bot', 'other']) },
      exemption: { by: 'exemptUserNames' },
    },
    { name: 'names match exactly, not by prefix', userName: 'ci-bot-2', params: { exemptUserNames: new Set(['ci-bot']) } },
    {
      name: 'a tag key with any value',
      userName: 'alice',
      tags: { 'break-glass': '' },
      params: { exemptTag: { key: 'break-glass' } },
      exemption: { by: 'exemptTag', tag: 'break-glass' },
    },
    {
      name: 'a tag key=value that matches',
      userName: 'alice',
      tags: { exempt: 'cis-1.13' },
      params: { exemptTag: { key: 'exempt', value: 'cis-1.13' } },
      exemption: { by: 'exemptTag', tag: 'exempt=cis-1.13' },
    },
    {
      name: 'a tag key=value with another value',
      userName: 'alice',
      tags: { exempt: 'no' },
      params: { exemptTag: { key: 'exempt', value: 'cis-1.13' } },
    },
    {
      name: 'tag keys are case-sensitive',
      userName: 'alice',
      tags: { Exempt: 'yes' },
      params: { exemptTag: { key: 'exempt' } },
    },
    { name: 'unknown tags cannot exempt', userName: 'alice', tags: undefined, params: { exemptTag: { key: 'exempt' } } },
  ];

  for (const { name, userName, tags, params: overrides, exemption } of cases) {
    it(`${exemption ? 'exempts' : 'does not exempt'}: ${name}`, () => {
      expect(findExemption(userName, tags, params(overrides))).to.deep.equal(exemption);
    });
  }
});
