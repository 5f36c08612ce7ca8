import { expect } from 'chai';
import { parseLockValue } from '../../../src/iam-user-single-access-key/remediation/userLock';

describe('parseLockValue', () => {
  it('reads the run id and expiry a run writes', () => {
    expect(parseLockValue('3f2a9c1e-0b4d-4e8f-9a7b-1c2d3e4f5a6b until 2026-11-29T10:00:00.000Z')).to.deep.equal({
      runId: '3f2a9c1e-0b4d-4e8f-9a7b-1c2d3e4f5a6b',
      until: new Date('2026-11-29T10:00:00.000Z'),
    });
  });

  const foreign = ['true', '', 'someone until tomorrow', 'a b until 2026-11-29T10:00:00.000Z', 'run until 2026-11-29T10:00:00.000Z extra'];
  for (const value of foreign) {
    it(`takes ${JSON.stringify(value)} as a value no run wrote`, () => {
      expect(parseLockValue(value)).to.equal(undefined);
    });
  }
});
