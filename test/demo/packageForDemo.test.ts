import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PACKAGE_DIR, markPackaged, stalenessOf } from '../../scripts/demo/packageForDemo';

// When the demo packages again: a throw-away project whose files get chosen modification times.

const OPTIONS = { exemptTag: 'cis-exempt=approved' };
const SOURCES = ['src/handler.ts', 'rules/rule.yml', 'serverless.yml', 'package.json', 'package-lock.json'];
const OUTPUTS = ['cloudformation-template-update-stack.json', 'serverless-state.json', 'evaluate.zip', 'remediate.zip'];

describe('demo: stalenessOf', () => {
  let project: string;
  const touch = (path: string, secondsAgo: number) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'x');
    const when = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(path, when, when);
  };
  const packaged = (secondsAgo: number, options = OPTIONS) => {
    for (const output of OUTPUTS) touch(join(project, DEMO_PACKAGE_DIR, output), secondsAgo);
    markPackaged(join(project, DEMO_PACKAGE_DIR), options);
  };

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'demo-staleness-'));
    for (const source of SOURCES) touch(join(project, source), 600);
  });

  afterEach(() => {
    rmSync(project, { recursive: true, force: true });
  });

  it('reuses a package built after every source with the same options', () => {
    // Prepare
    packaged(60);

    // Act, Assess
    expect(stalenessOf(project, OPTIONS)).to.equal(undefined);
  });

  it('packages when there is no package', () => {
    expect(stalenessOf(project, OPTIONS)).to.equal(`${DEMO_PACKAGE_DIR}/cloudformation-template-update-stack.json is missing`);
  });

  it('packages when a zip is missing', () => {
    // Prepare
    packaged(60);
    rmSync(join(project, DEMO_PACKAGE_DIR, 'remediate.zip'));

    // Act, Assess
    expect(stalenessOf(project, OPTIONS)).to.equal(`${DEMO_PACKAGE_DIR}/remediate.zip is missing`);
  });

  for (const source of SOURCES) {
    it(`packages when ${source} changed after the package was built`, () => {
      // Prepare
      packaged(60);
      touch(join(project, source), 1);

      // Act, Assess
      expect(stalenessOf(project, OPTIONS)).to.equal(`${source} changed since it was packaged`);
    });
  }

  it('packages when the package was built with other deploy options', () => {
    // Prepare
    packaged(60, { exemptTag: 'other' });

    // Act, Assess
    expect(stalenessOf(project, OPTIONS)).to.equal('it was packaged with other deploy options');
  });
});
