import { expect } from 'chai';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PACKAGE_INPUTS, serverlessPackage } from '../../../tools/package/serverlessPackage';

// `serverless package --package <dir>` (osls) builds in <service>/.serverless/ and deletes it
// afterwards: run in the project, the demo's and the tests' packaging deleted the package a user's
// `npm run package` had left there. Packaged here: a throw-away copy of the project whose
// .serverless/ holds such a package.

const PROJECT = resolve(__dirname, '../../..');

describe('tools: serverlessPackage', function () {
  this.timeout(180_000);
  let project: string;

  before(() => {
    project = mkdtempSync(join(tmpdir(), 'package-project-'));
    for (const input of PACKAGE_INPUTS) cpSync(join(PROJECT, input), join(project, input), { recursive: true });
    symlinkSync(join(PROJECT, 'node_modules'), join(project, 'node_modules'), 'dir');
  });

  after(() => {
    rmSync(project, { recursive: true, force: true });
  });

  it("packages into the directory asked for and leaves the project's .serverless/ as it was", async () => {
    // Prepare: the package `npm run package` left
    mkdirSync(join(project, '.serverless'));
    writeFileSync(join(project, '.serverless/evaluate.zip'), 'the user package');

    // Act
    await serverlessPackage({ projectDir: project, directory: '.serverless-test', stage: 'test', region: 'us-east-1', params: {} });

    // Assess
    expect(readdirSync(join(project, '.serverless'))).to.deep.equal(['evaluate.zip']);
    expect(readFileSync(join(project, '.serverless/evaluate.zip'), 'utf8')).to.equal('the user package');
    expect(readdirSync(join(project, '.serverless-test'))).to.include.members([
      'cloudformation-template-update-stack.json',
      'evaluate.zip',
    ]);
    expect(existsSync(join(project, '.esbuild'))).to.equal(false);
  });
});
