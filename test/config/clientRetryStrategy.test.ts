import { StandardRetryStrategy } from '@smithy/core/retry';
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientRetryStrategy, DEFAULT_MAX_ATTEMPTS } from '../../src/config/clientRetryStrategy';
import { CubicRateLimiter } from '../../src/config/CubicRateLimiter';
import { ThrottleTolerantRetryStrategy } from '../../src/config/ThrottleTolerantRetryStrategy';

// The retry settings of the runtime's clients come from the SDK's own configuration loading
// (environment, then the shared config file's profile), as for any SDK client.

const VARIABLES = ['AWS_MAX_ATTEMPTS', 'AWS_RETRY_MODE', 'AWS_CONFIG_FILE', 'AWS_PROFILE'] as const;

describe('ClientRetryStrategy', () => {
  let saved: Partial<Record<(typeof VARIABLES)[number], string>>;

  beforeEach(() => {
    saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
    for (const name of VARIABLES) delete process.env[name];
    // No shared config file unless a test writes one
    process.env.AWS_CONFIG_FILE = join(tmpdir(), 'no-such-aws-config');
  });

  afterEach(() => {
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  /** The strategy a client would use, chosen as at its first call. */
  async function chosen(throttling: 'attempts' | 'untilAborted' = 'untilAborted') {
    const subject = new ClientRetryStrategy(throttling);
    await subject.acquireInitialRetryToken('');
    return { subject, strategy: subject.strategy! };
  }

  it(`gives a call that really fails ${DEFAULT_MAX_ATTEMPTS} attempts by default, in adaptive mode with a CubicRateLimiter, patient with throttles`, async () => {
    const { subject, strategy } = await chosen();

    expect(strategy).to.be.instanceOf(ThrottleTolerantRetryStrategy);
    expect(await (strategy as ThrottleTolerantRetryStrategy).maxAttempts()).to.equal(DEFAULT_MAX_ATTEMPTS);
    expect(subject.rateLimiter).to.be.instanceOf(CubicRateLimiter);
  });

  it("spends attempts on throttles with 'attempts', still with a CubicRateLimiter", async () => {
    const { subject, strategy } = await chosen('attempts');

    expect(strategy).not.to.be.instanceOf(ThrottleTolerantRetryStrategy);
    expect(subject.rateLimiter).to.be.instanceOf(CubicRateLimiter);
  });

  it('takes the attempts from AWS_MAX_ATTEMPTS, and states them as the client attempts', async () => {
    process.env.AWS_MAX_ATTEMPTS = '5';

    const { subject, strategy } = await chosen();

    expect(await (strategy as ThrottleTolerantRetryStrategy).maxAttempts()).to.equal(5);
    expect(await subject.maxAttempts()).to.equal(5);
    expect(subject.mode).to.equal('adaptive');
  });

  it("takes the attempts and the mode from the profile's max_attempts and retry_mode when the environment says nothing", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aws-config-')), 'config');
    writeFileSync(file, '[profile auditor]\nmax_attempts = 6\nretry_mode = standard\n');
    process.env.AWS_CONFIG_FILE = file;
    process.env.AWS_PROFILE = 'auditor';

    const { subject, strategy } = await chosen();

    expect(strategy).to.be.instanceOf(StandardRetryStrategy);
    expect(await (strategy as StandardRetryStrategy).maxAttempts()).to.equal(6);
    expect(subject.rateLimiter).to.equal(undefined);
  });

  it('leaves client-side rate limiting and the patience with throttles off with AWS_RETRY_MODE=standard', async () => {
    process.env.AWS_RETRY_MODE = 'standard';

    const { subject, strategy } = await chosen();

    expect(strategy).to.be.instanceOf(StandardRetryStrategy);
    expect(subject.rateLimiter).to.equal(undefined);
    expect(subject.throttledCount).to.equal(0);
  });
});
