import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDollars, COST_ASSUMPTIONS, costModel } from '../../bench/costModel';
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
      latencyBound: {
        users: 300,
        latencyMs: 20,
        sequentialSeconds: 6.5,
        coldProcessSeconds: 0.61,
        coldProcessSpeedup: 10.7,
        seconds: 0.38,
        speedup: 17.1,
        cpuMsPerIamCall: 1.2,
        target: '>= 15 (warm)',
      },
      throttledSweeps: [
        {
          users: 1000,
          rate: 5,
          burst: 10,
          runs: 1,
          runsComplete: 1,
          medianSeconds: 210.4,
          boundSeconds: 200.2,
          medianRatioToBound: 0.951,
          worstRatioToBound: 0.951,
          medianThrottledShare: 0.042,
          evaluationsLost: 0,
        },
      ],
      warmAfterThrottling: {
        users: 300,
        latencyMs: 20,
        freshProcessSeconds: 0.62,
        throttledSweepSeconds: 15.3,
        throttledShare: 0.05,
        quietSeconds: 31,
        warmAfterThrottlingSeconds: 0.4,
        warmOverFresh: 0.65,
        target: '<= 1',
      },
      coldStart: {
        nodeSeconds: 0.19,
        pythonBoto3Seconds: 0.42,
        ratio: 0.452,
        target: '<= 0.5',
        runs: 7,
        zipKiB: 196.3,
        zipTarget: '<= 250 KiB',
      },
    };

    // Act
    const text = renderBenchmarks(results);

    // Assess
    for (const figure of ['10.7x', '17.1x', '0.452', '196.3 KiB', '0.951', '4.2%', '210.4 s', '0.65']) expect(text).to.include(figure);
    expect(text.indexOf('## Cold')).to.be.lessThan(text.indexOf('## Warm'));
    expect(text).to.include('Measured: packaged bundle.');
  });
});

describe('the remediation figures in docs/benchmarks.md', () => {
  it('shows the uncontended run, three runs together, a run after a failed one and runs under throttling, with their targets', () => {
    // Prepare
    const results = {
      mode: 'full',
      remediation: {
        latencyMs: 10,
        uncontended: {
          coldSeconds: 0.31,
          coldLoadSeconds: 0.04,
          warmSeconds: 0.18,
          target: '< 2 s (with the tag lock: over 6 s)',
          iamCalls: 11,
          configCalls: 2,
          dynamodbCalls: 2,
        },
        threeTogether: {
          rounds: 10,
          roundsWithExactlyOneActing: 10,
          acted: 10,
          refusedNamingHolder: 20,
          foundNothingToDo: 0,
          other: [],
          keyChanges: 10,
          locksLeft: 0,
          target: 'exactly one acts',
        },
        afterFailed: { failedSeconds: 0.28, nextSeconds: 0.19, nextRemediated: true, target: 'succeeds at once' },
        throttled: {
          runs: 12,
          share: 0.6,
          remediated: 9,
          refusedByLock: 0,
          failedOtherwise: ['Remediation of IAM user x failed before any change: Throttling'],
          medianSeconds: 30.5,
          throttledCalls: 180,
          iamCalls: 290,
          target: 'no run refused by the lock',
        },
      },
    };

    // Act
    const text = renderBenchmarks(results);

    // Assess
    for (const figure of [
      '| 0.31 s (warm 0.18 s); 11 IAM, 2 Config, 2 DynamoDB calls | < 2 s (with the tag lock: over 6 s) |',
      'exactly one acted in 10 of 10; the others: 20 refused naming the holder, 0 found nothing to do; locks left 0',
      '| remediated in 0.19 s | succeeds at once |',
      '| 12 runs under 60% IAM throttling (180 of 290 IAM calls throttled), one after another | 9 remediated, 1 failed for another reason, 0 refused by the lock; median 30.5 s a run | no run refused by the lock |',
      '- Remediation of IAM user x failed before any change: Throttling',
    ]) {
      expect(text).to.include(figure);
    }
  });
});

describe('the two-sweep figures and the cost model in docs/benchmarks.md', () => {
  it('shows what the second sweep recorded, its time against the first, and the results differing from a full recording', () => {
    // Prepare
    const results = {
      mode: 'full',
      recordChanged: {
        users: 5000,
        latencyMs: 10,
        changedUsers: 45,
        deletedUsers: 5,
        firstSweepSeconds: 5.27,
        firstRecorded: 5000,
        secondSweepSeconds: 5.11,
        secondRecorded: 50,
        secondUnchanged: 4955,
        recordedTarget: 'changed + deleted (50), <= 60',
        secondOverFirst: 0.97,
        timeTarget: '<= 1.1',
        storedResultPages: 50,
        resultsDifferingFromFullRecording: 0,
      },
    };

    // Act
    const text = renderBenchmarks(results);

    // Assess
    for (const figure of [
      '| 50 (4955 left unchanged; the first recorded 5000) | changed + deleted (50), <= 60 |',
      '5.11 s against 5.27 s: 0.97 | <= 1.1',
      '| Results differing from a full recording | 0 | 0 |',
    ]) {
      expect(text).to.include(figure);
    }
  });

  it('renders the cost model of bench/costModel.ts, a row per account size', () => {
    // Prepare
    const results = { mode: 'full', costModel: costModel() };

    // Act
    const text = renderBenchmarks(results);

    // Assess
    expect(text).to.include('## Cost of hourly sweeps (model)');
    expect(text).to.include('| 5000 | 5505 | 276.3 s | 50416 | $0.67 | 1521 / 3650000 | $1.52 / $1995.00 |');
    expect(text).to.include('https://aws.amazon.com/lambda/pricing/');
  });
});

describe('costModel', () => {
  const tiers: [number, number][] = [
    [0, 0],
    [100_000, 100],
    [100_001, 100.0008],
    [500_000, 420],
    [3_650_000, 1995],
  ];
  for (const [evaluations, expected] of tiers) {
    it(`charges ${evaluations} evaluations a month $${expected} (Config's tiers)`, () => {
      expect(configDollars(evaluations)).to.be.closeTo(expected, 1e-9);
    });
  }

  it('records each changed user once with recordUnchanged=false, and every user every hour with true', () => {
    // Act
    const { rows } = costModel({ ...COST_ASSUMPTIONS, users: [1000] });

    // Assess: 1% of 1,000 a day over 730/24 days; 1,000 x 730 sweeps
    expect(rows[0].configEvaluationsPerMonth).to.deep.equal({ changedOnly: 304, recordUnchanged: 730_000 });
    expect(rows[0].iamCallsPerHour).to.equal(1000 + 1 + 100);
  });
});
