import { expect } from 'chai';
import { parseDemoArgs } from '../../scripts/demo/demoOptions';

describe('demo: parseDemoArgs', () => {
  const cases: [string[], ReturnType<typeof parseDemoArgs>][] = [
    [[], { json: false }],
    [['--json'], { json: true }],
    [['--help'], 'help'],
  ];
  for (const [args, expected] of cases) {
    it(`reads ${JSON.stringify(args)}`, () => {
      expect(parseDemoArgs(args)).to.deep.equal(expected);
    });
  }

  it('fails naming an unknown argument', () => {
    expect(() => parseDemoArgs(['--jsn'])).to.throw(/^Unknown argument "--jsn"\. Usage: npm run demo/);
  });
});
