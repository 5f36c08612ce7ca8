import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderBenchmarks } from '../../bench/renderBenchmarks';

const ROOT = join(__dirname, '../..');

describe('docs/benchmarks.md', () => {
  it('is what bench/results.json renders to (run `npm run bench:report` after a full benchmark)', () => {
    // Prepare
    const results = JSON.parse(readFileSync(join(ROOT, 'bench/results.json'), 'utf8'));

    // Act
    const rendered = renderBenchmarks(results);

    // Assess
    expect(readFileSync(join(ROOT, 'docs/benchmarks.md'), 'utf8')).to.equal(rendered);
  });

  it('comes from a full run, not a quick or partial one', () => {
    const results = JSON.parse(readFileSync(join(ROOT, 'bench/results.json'), 'utf8'));

    expect(results.mode).to.equal('full');
  });

  it('shows every headline figure of the results, cold first', () => {
    // Prepare: a results file with each scenario
    const results = {
      mode: 'full',
      measured: 'packaged bundle',
      node: 'v22.0.0',
      date: '2026-11-29T00:00:00.000Z',
      sweepConcurrency: 'default',
      latencyBound: { users: 300, latencyMs: 20, sequentialSeconds: 6.5, coldProcessSeconds: 0.61, coldProcessSpeedup: 10.7, seconds: 0.38, speedup: 17.1, cpuMsPerIamCall: 1.2, target: '>= 15 (warm)' },
      throttledSweeps: [{ users: 1000, rate: 5, burst: 10, runs: 1, runsComplete: 1, medianSeconds: 210.4, boundSeconds: 200.2, medianRatioToBound: 0.951, worstRatioToBound: 0.951, medianThrottledShare: 0.042, evaluationsLost: 0 }],
      warmAfterThrottling: { users: 300, latencyMs: 20, freshProcessSeconds: 0.62, throttledSweepSeconds: 15.3, throttledShare: 0.05, quietSeconds: 31, warmAfterThrottlingSeconds: 0.4, warmOverFresh: 0.65, target: '<= 1' },
      coldStart: { nodeSeconds: 0.19, pythonBoto3Seconds: 0.42, ratio: 0.452, target: '<= 0.5', runs: 7, zipKiB: 196.3, zipTarget: '<= 250 KiB' },
    };

    // Act
    const text = renderBenchmarks(results);

    // Assess
    for (const figure of ['10.7x', '17.1x', '0.452', '196.3 KiB', '0.951', '4.2%', '210.4 s', '0.65']) expect(text).to.include(figure);
    expect(text.indexOf('## Cold')).to.be.lessThan(text.indexOf('## Warm'));
    expect(text).to.include('Measured: packaged bundle.');
  });
});
