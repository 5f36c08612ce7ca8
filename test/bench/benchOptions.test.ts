import { expect } from 'chai';
import { benchOptions, resultsFile, scaled, wanted } from '../../bench/options';

describe('bench: options', () => {
  const cases: [argv: string[], mode: string, file: string][] = [
    [[], 'full', 'results.json'],
    [['--quick'], 'quick', 'results.quick.json'],
    [['--quick', '--scale=0.5'], 'quick', 'results.quick.json'],
    [['--scale=0.1'], 'partial', 'results.partial.json'],
    [['--only=coldStart'], 'partial', 'results.partial.json'],
  ];
  for (const [argv, mode, file] of cases) {
    it(`runs ${JSON.stringify(argv)} in ${mode} mode, written to bench/${file}`, () => {
      // Act
      const options = benchOptions(argv);

      // Assess
      expect(options.mode).to.equal(mode);
      expect(resultsFile(options)).to.equal(file);
    });
  }

  it('runs only the scenarios --only names, and scales users to at least 10', () => {
    // Act
    const options = benchOptions(['--only=coldStart,remediation', '--scale=0.01']);

    // Assess
    expect([wanted(options, 'coldStart'), wanted(options, 'remediation'), wanted(options, 'latencyBound')]).to.deep.equal([
      true,
      true,
      false,
    ]);
    expect([scaled(options, 300), scaled(options, 5000)]).to.deep.equal([10, 50]);
  });

  for (const scale of ['0', '-1', 'x']) {
    it(`refuses --scale=${scale}`, () => {
      expect(() => benchOptions([`--scale=${scale}`])).to.throw(`--scale must be a positive number, got ${scale}`);
    });
  }
});
