import { expect } from 'chai';
import { resolve } from 'node:path';
import { Resources } from '../../scripts/demo/Resources';
import { runDemo } from '../../scripts/demo/runDemo';
import { SAMPLE_ACCOUNT, type SampleAccount } from '../../scripts/demo/sampleAccount';
import { accepts } from '../support/accepts';

// runDemo in this process with a changed sample account: what it does when things go wrong.

const PROJECT = resolve(__dirname, '../..');

/** Runs the demo with `account`, then stops what it started; returns the report or the error, and the stand-in's URL. */
async function demoWith(account: SampleAccount) {
  const resources = new Resources();
  const lines: string[] = [];
  const outcome = await runDemo({ projectDir: PROJECT, resources, log: (line) => lines.push(line), account }).then(
    (report) => ({ report, error: undefined }),
    (error: Error) => ({ report: undefined, error }),
  );
  const failures = await resources.stopAll();
  const endpoint = lines.map((line) => /listening at (\S+)/.exec(line)?.[1]).find(Boolean);
  return { ...outcome, failures, endpoint };
}

describe('runDemo', function () {
  this.timeout(240_000);

  it('fails naming the sample account field when the user to remediate is not NON_COMPLIANT, and everything stops', async () => {
    // Prepare
    const account: SampleAccount = { ...structuredClone(SAMPLE_ACCOUNT), remediate: { userName: 'alice' } };

    // Act
    const { error, failures, endpoint } = await demoWith(account);

    // Assess
    expect(error?.message).to.equal('sample-account.json: remediate.userName alice is COMPLIANT, not NON_COMPLIANT');
    expect(failures).to.deep.equal([]);
    expect(endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await accepts(endpoint!)).to.equal(false);
  });
});
