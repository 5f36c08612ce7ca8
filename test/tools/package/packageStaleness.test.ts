import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markPackaged, type PackageOptions, stalenessOf } from '../../../tools/package/packageStaleness';
import { PACKAGE_INPUTS } from '../../../tools/package/serverlessPackage';

// When the demo and the benchmark package again: a throw-away project whose files get chosen modification times.

const PACKAGE_DIR = '.serverless-x';
const OPTIONS: PackageOptions = { stage: 'demo', region: 'us-east-1', params: { exemptTag: 'cis-exempt=approved', maxAccessKeys: '1' } };
/** A file under each input of PACKAGE_INPUTS (a directory gets one inside it). */
const SOURCES = PACKAGE_INPUTS.map((input) => (input.includes('.') ? input : `${input}/nested/file.ts`));
const OUTPUTS = ['cloudformation-template-update-stack.json', 'serverless-state.json', 'evaluate.zip', 'remediate.zip'];

describe('tools: stalenessOf', () => {
  let project: string;
  const touch = (path: string, secondsAgo: number) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'x');
    const when = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(path, when, when);
  };
  const packaged = (secondsAgo: number, options = OPTIONS) => {
    for (const output of OUTPUTS) touch(join(project, PACKAGE_DIR, output), secondsAgo);
    markPackaged(join(project, PACKAGE_DIR), options);
  };
  const staleness = (options = OPTIONS) => stalenessOf(project, join(project, PACKAGE_DIR), options);

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'package-staleness-'));
    for (const source of SOURCES) touch(join(project, source), 600);
  });

  afterEach(() => {
    rmSync(project, { recursive: true, force: true });
  });

  it('reuses a package built after every input with the same options, given in any order', () => {
    // Prepare
    packaged(60);

    // Act, Assess
    expect(staleness()).to.equal(undefined);
    expect(staleness({ ...OPTIONS, params: { maxAccessKeys: '1', exemptTag: 'cis-exempt=approved' } })).to.equal(undefined);
  });

  it('packages when there is no package, or one whose packaging did not finish', () => {
    // Prepare: files, but no record of a finished packaging
    for (const output of OUTPUTS) touch(join(project, PACKAGE_DIR, output), 60);

    // Act, Assess
    expect(staleness()).to.equal(`${PACKAGE_DIR} holds no complete package`);
  });

  it('packages when a file of the package is missing', () => {
    // Prepare
    packaged(60);
    rmSync(join(project, PACKAGE_DIR, 'remediate.zip'));

    // Act, Assess
    expect(staleness()).to.equal(`${PACKAGE_DIR}/remediate.zip is missing`);
  });

  for (const source of SOURCES) {
    it(`packages when ${source} changed after the package was built`, () => {
      // Prepare
      packaged(60);
      touch(join(project, source), 1);

      // Act, Assess
      expect(staleness()).to.equal(`${source} changed since it was packaged`);
    });
  }

  const others: [what: string, options: PackageOptions][] = [
    ['another deploy option value', { ...OPTIONS, params: { ...OPTIONS.params, exemptTag: 'other' } }],
    ['one deploy option fewer', { ...OPTIONS, params: { exemptTag: 'cis-exempt=approved' } }],
    ['another stage', { ...OPTIONS, stage: 'bench' }],
    ['another region', { ...OPTIONS, region: 'eu-west-1' }],
  ];
  for (const [what, options] of others) {
    it(`packages when the package was built with ${what}`, () => {
      // Prepare
      packaged(60, options);

      // Act, Assess
      expect(staleness()).to.equal('it was packaged with other deploy options');
    });
  }
});
