import { expect } from 'chai';
import { relative, resolve } from 'node:path';
import { CFN_LINT_INSTALL, CFN_LINT_VERSION, type CfnLintFinding, cfnLint, describeFinding, installedCfnLint } from '../support/cfnLint';
import { DEPLOYMENT_MODES } from '../support/deploymentModes';
import { memberTemplatePath } from '../support/memberTemplate';
import { packageInBackground, packageService, templatePath } from '../support/packageTemplate';
import { standaloneTemplates } from '../support/standaloneTemplates';

// Every mode, packaged in the background from the moment the test files load (one at a time).
packageInBackground(Object.values(DEPLOYMENT_MODES));

// cfn-lint on the packaged template of every deploy mode, the StackSet's member template of each
// StackSet mode, and every standalone template under rules/: no finding but those .cfnlintrc.yaml
// ignores, each with its reason, in any region, except resource types a region lacks (E3006),
// which must be exactly those deploy/regionalAvailability.js lists. One cfn-lint run lints them
// all (its start-up is most of its time), and each test reads the findings of its template.
// Without cfn-lint the checks are skipped, saying so (.ci/run requires it, and sets REQUIRE_CFN_LINT).

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { UNAVAILABLE } = require('../../deploy/regionalAvailability') as { UNAVAILABLE: Record<string, { regions: string[] }> };

const PROJECT = resolve(__dirname, '../..');
/** The region the tests package for (and .cfnlintrc.yaml names): no resource type may be missing there. */
const PACKAGED_REGION = 'us-east-1';
const STACK_SET_MODES = Object.entries(DEPLOYMENT_MODES).filter(([, params]) => params.organization === 'stackset');

/** A resource type missing in a region, from an E3006 finding. */
function unavailable(finding: CfnLintFinding): { type: string; region: string } | undefined {
  if (finding.Rule.Id !== 'E3006') return undefined;
  const match = /^Resource type '(.+)' does not exist in '(.+)'$/.exec(finding.Message);
  return match ? { type: match[1], region: match[2] } : undefined;
}

describe('cfn-lint', function () {
  this.timeout(600_000);
  /** Each linted file's path, by what it is. */
  const files = new Map<string, string>();
  let findings: CfnLintFinding[];

  before(async function () {
    const version = installedCfnLint();
    if (version === undefined) {
      const message = `cfn-lint is not installed: skipped cfn-lint of ${Object.keys(DEPLOYMENT_MODES).length} packaged modes and ${standaloneTemplates().length} template(s) under rules/. Install it: ${CFN_LINT_INSTALL}`;
      if (process.env.REQUIRE_CFN_LINT) throw new Error(message);
      console.warn(`      ${message}`);
      this.skip();
    }
    if (version !== CFN_LINT_VERSION)
      console.warn(`      cfn-lint ${version} is installed; the project pins ${CFN_LINT_VERSION} (${CFN_LINT_INSTALL})`);
    // One after the other: serverless-esbuild builds in the project's .esbuild/ folder.
    for (const [mode, params] of Object.entries(DEPLOYMENT_MODES)) {
      const packaged = await packageService(params);
      files.set(`the packaged template of ${mode}`, templatePath(packaged));
      if (params.organization === 'stackset') files.set(`the member template of ${mode}`, memberTemplatePath(packaged));
    }
    for (const path of standaloneTemplates()) files.set(relative(PROJECT, path), path);
    findings = await cfnLint([...files.values()], ['ALL_REGIONS']);
  });

  /** The findings in one file that no region explains: anything but a resource type missing outside the packaged region. */
  const unexplained = (what: string) =>
    findings
      .filter((finding) => finding.Filename === files.get(what))
      .filter((finding) => unavailable(finding)?.region === PACKAGED_REGION || unavailable(finding) === undefined)
      .map(describeFinding);

  for (const mode of Object.keys(DEPLOYMENT_MODES)) {
    it(`finds nothing in the packaged template of ${mode}`, () => {
      expect(unexplained(`the packaged template of ${mode}`)).to.deep.equal([]);
    });
  }

  for (const [mode] of STACK_SET_MODES) {
    it(`finds nothing in the member template (the StackSet's TemplateBody) of ${mode}`, () => {
      expect(unexplained(`the member template of ${mode}`)).to.deep.equal([]);
    });
  }

  it('finds nothing in the standalone templates under rules/, in any region', () => {
    const standalone = [...files.keys()].filter((what) => what.startsWith('rules/'));
    expect(standalone).to.include('rules/iam-user-single-access-key/member-execution-role.yml');
    expect(
      findings.filter((finding) => standalone.some((what) => files.get(what) === finding.Filename)).map(describeFinding),
    ).to.deep.equal([]);
  });

  it('lists in deploy/regionalAvailability.js exactly the regions its region data lacks a packaged resource type in', () => {
    // Assess: every finding in any region, in any packaged template, is a resource type missing there
    const lacking: Record<string, Set<string>> = {};
    for (const finding of findings) {
      const missing = unavailable(finding);
      expect(missing, describeFinding(finding)).not.to.equal(undefined);
      (lacking[missing!.type] ??= new Set()).add(missing!.region);
    }
    expect(Object.fromEntries(Object.entries(lacking).map(([type, regions]) => [type, [...regions].sort()]))).to.deep.equal(
      Object.fromEntries(Object.entries(UNAVAILABLE).map(([type, { regions }]) => [type, [...regions].sort()])),
    );
  });
});

describe('packaged templates of every mode', function () {
  this.timeout(600_000);

  it('hold no Condition: every mode is decided at package time', async () => {
    for (const params of Object.values(DEPLOYMENT_MODES)) {
      const { template } = await packageService(params);
      expect(template.Conditions ?? {}, JSON.stringify(params)).to.deep.equal({});
      expect(JSON.stringify(template), JSON.stringify(params)).not.to.include('"Fn::If"');
      expect(Object.entries(template.Resources).filter(([, resource]) => resource.Condition !== undefined)).to.deep.equal([]);
    }
  });
});
