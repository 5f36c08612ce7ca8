import { expect } from 'chai';
import type { KeyLastUse } from '../../../src/iam-user-single-access-key/IamAccessKeys';
import type { AccessKey } from '../../../src/iam-user-single-access-key/judgeAccessKeys';
import { explainPlan } from '../../../src/iam-user-single-access-key/remediation/explainPlan';
import { planRemediation } from '../../../src/iam-user-single-access-key/remediation/planRemediation';

const PARAMS = { maxAccessKeys: 1, rotationGraceHours: 0, countInactiveKeys: false };

function key(accessKeyId: string, created: string, status: AccessKey['status'] = 'Active'): AccessKey {
  return { accessKeyId, status, createDate: new Date(created) };
}

function used(...uses: [string, string | undefined][]): Map<string, KeyLastUse> {
  return new Map(uses.map(([id, date]) => [id, date === undefined ? {} : { lastUsedDate: new Date(date) }]));
}

describe('explainPlan', () => {
  const cases: { name: string; keys: AccessKey[]; lastUse: Map<string, KeyLastUse>; expected: [string, string, string][] }[] = [
    {
      name: 'keeps the key used later, even within the same minute',
      keys: [key('AKIAEXAMPLE000000001', '2025-01-01'), key('AKIAEXAMPLE000000002', '2025-01-01')],
      lastUse: used(['AKIAEXAMPLE000000001', '2026-11-30T10:15:20Z'], ['AKIAEXAMPLE000000002', '2026-11-30T10:15:40Z']),
      expected: [
        ['****0002', 'keep', 'used more recently than ****0001'],
        ['****0001', 'deactivate', 'used less recently than ****0002'],
      ],
    },
    {
      name: 'keeps the newer key when both were last used at the same time',
      keys: [key('AKIAEXAMPLE000000001', '2025-01-01'), key('AKIAEXAMPLE000000002', '2025-06-01')],
      lastUse: used(['AKIAEXAMPLE000000001', '2026-11-30T10:15:00Z'], ['AKIAEXAMPLE000000002', '2026-11-30T10:15:00Z']),
      expected: [
        ['****0002', 'keep', 'last used at the same time as ****0001; newer'],
        ['****0001', 'deactivate', 'last used at the same time as ****0002; older'],
      ],
    },
    {
      name: 'keeps the used key over a never-used one',
      keys: [key('AKIAEXAMPLE000000001', '2025-01-01'), key('AKIAEXAMPLE000000002', '2025-06-01')],
      lastUse: used(['AKIAEXAMPLE000000001', '2026-11-30T10:15:00Z'], ['AKIAEXAMPLE000000002', undefined]),
      expected: [
        ['****0001', 'keep', 'used; ****0002 never was'],
        ['****0002', 'deactivate', 'never used; ****0001 was'],
      ],
    },
    {
      name: 'falls back to the key id when last use and creation date are the same',
      keys: [key('AKIAEXAMPLE000000002', '2025-01-01'), key('AKIAEXAMPLE000000001', '2025-01-01')],
      lastUse: used(['AKIAEXAMPLE000000001', undefined], ['AKIAEXAMPLE000000002', undefined]),
      expected: [
        ['****0001', 'keep', 'same last use and creation date as ****0002; first by key id'],
        ['****0002', 'deactivate', 'same last use and creation date as ****0001; after it by key id'],
      ],
    },
    {
      name: 'leaves an inactive key alone when inactive keys do not count',
      keys: [
        key('AKIAEXAMPLE000000001', '2025-01-01'),
        key('AKIAEXAMPLE000000002', '2025-06-01'),
        key('AKIAEXAMPLE000000003', '2024-01-01', 'Inactive'),
      ],
      lastUse: used(['AKIAEXAMPLE000000001', undefined], ['AKIAEXAMPLE000000002', undefined]),
      expected: [
        ['****0002', 'keep', 'never used, as ****0001; newer'],
        ['****0001', 'deactivate', 'never used, as ****0002; older'],
        ['****0003', 'none', 'inactive: not counted, left alone'],
      ],
    },
  ];

  for (const { name, keys, lastUse, expected } of cases) {
    it(name, () => {
      // Prepare
      const plan = planRemediation(keys, lastUse, PARAMS.maxAccessKeys, 'Deactivate');

      // Act
      const explained = explainPlan(keys, keys, plan, lastUse, PARAMS);

      // Assess
      expect(explained.map(({ key: { accessKeyId }, change, reason }) => [`****${accessKeyId.slice(-4)}`, change, reason])).to.deep.equal(
        expected,
      );
    });
  }

  it('says a key inside the rotation grace period is neither counted nor touched', () => {
    // Prepare
    const keys = [
      key('AKIAEXAMPLE000000001', '2025-01-01'),
      key('AKIAEXAMPLE000000002', '2025-06-01'),
      key('AKIAEXAMPLE000000003', '2026-12-01'),
    ];
    const candidates = keys.slice(0, 2);
    const lastUse = used(['AKIAEXAMPLE000000001', undefined], ['AKIAEXAMPLE000000002', undefined]);
    const plan = planRemediation(candidates, lastUse, 1, 'Deactivate');

    // Act
    const explained = explainPlan(keys, candidates, plan, lastUse, { ...PARAMS, rotationGraceHours: 72 });

    // Assess
    expect(explained.at(-1)).to.deep.include({ change: 'none', reason: 'younger than rotationGraceHours (72h): not counted, left alone' });
  });
});
