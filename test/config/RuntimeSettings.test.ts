import { expect } from 'chai';
import { runtimeSettingsFromEnv } from '../../src/config/RuntimeSettings';
import { defaultValueOf } from '../../src/options/Option';
import { SWEEP_CONCURRENCY_OPTION } from '../../src/options/runtimeOptions';

describe('runtimeSettingsFromEnv', () => {
  it("reads SWEEP_CONCURRENCY by the sweepConcurrency option's own bounds, naming the option", () => {
    expect(runtimeSettingsFromEnv({ SWEEP_CONCURRENCY: '256' }).concurrency).to.equal(256);
    for (const value of ['0', '257', 'abc']) {
      expect(() => runtimeSettingsFromEnv({ SWEEP_CONCURRENCY: value })).to.throw(
        `Environment variable SWEEP_CONCURRENCY (deploy option sweepConcurrency) must be a whole number from 1 to 256, got ${JSON.stringify(value)}`,
      );
    }
  });

  it('reads its settings from the environment: by default the concurrency of the deploy option sweepConcurrency, progress every 30 s; malformed values named', () => {
    expect(runtimeSettingsFromEnv({})).to.deep.equal({
      concurrency: defaultValueOf(SWEEP_CONCURRENCY_OPTION),
      stopMarginMs: 20_000,
      abortMarginMs: 10_000,
      progressIntervalMs: 30_000,
    });
    expect(runtimeSettingsFromEnv({ SWEEP_PROGRESS_INTERVAL_MS: '5000' }).progressIntervalMs).to.equal(5000);
    expect(() => runtimeSettingsFromEnv({ SWEEP_PROGRESS_INTERVAL_MS: '5s' })).to.throw(
      'Environment variable SWEEP_PROGRESS_INTERVAL_MS must be a positive integer, got "5s"',
    );
  });
});
