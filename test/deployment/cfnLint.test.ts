import { expect } from 'chai';
import { relative, resolve } from 'node:path';
import { CFN_LINT_INSTALL, CFN_LINT_VERSION, cfnLint, describeFinding, installedCfnLint } from '../support/cfnLint';
import { DEPLOYMENT_MODES } from '../support/deploymentModes';
import { memberTemplatePath } from '../support/memberTemplate';
import { packageService, templatePath } from '../support/packageTemplate';
import { standaloneTemplates } from '../support/standaloneTemplates';

// cfn-lint on the packaged template of every deploy mode and on every standalone template under
// rules/: no finding but those .cfnlintrc.yaml ignores, each with its reason. Without cfn-lint the
// checks are skipped, saying so (.ci/run requires it, and sets REQUIRE_CFN_LINT).

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { UNAVAILABLE } = require('../../deploy/regionalAvailability') as { UNAVAILABLE: Record<string, { regions: string[] }> };

const PROJECT = resolve(__dirname, '../..');

describe('cfn-lint', function () {
  this.timeout(600_000);

  before(function () {
    const version = installedCfnLint();
    if (version === undefined) {
      const message = `cfn-lint is not installed: skipped cfn-lint of ${Object.keys(DEPLOYMENT_MODES).length} packaged modes and ${standaloneTemplates().length} template(s) under rules/. Install it: ${CFN_LINT_INSTALL}`;
      if (process.env.REQUIRE_CFN_LINT) throw new Error(message);
      console.warn(`      ${message}`);
      this.skip();
    }
    if (version !== CFN_LINT_VERSION)
      console.warn(`      cfn-lint ${version} is installed; the project pins ${CFN_LINT_VERSION} (${CFN_LINT_INSTALL})`);
  });

  for (const [mode, params] of Object.entries(DEPLOYMENT_MODES)) {
    it(`finds nothing in the packaged template of ${mode}`, async () => {
      // Prepare
      const packaged = await packageService(params);

      // Act
      const findings = await cfnLint([templatePath(packaged)]);

      // Assess
      expect(findings.map(describeFinding)).to.deep.equal([]);
    });
  }

  for (const [mode, params] of Object.entries(DEPLOYMENT_MODES).filter(([, params]) => params.organization === 'stackset')) {
    it(`finds nothing in the member template (the StackSet's TemplateBody) of ${mode}`, async () => {
      // Prepare
      const member = memberTemplatePath(await packageService(params));

      // Act
      const findings = await cfnLint([member]);

      // Assess
      expect(findings.map(describeFinding)).to.deep.equal([]);
    });
  }

  it('finds nothing in the standalone templates under rules/', async () => {
    // Prepare
    const templates = standaloneTemplates();
    expect(templates.map((path) => relative(PROJECT, path))).to.include('rules/iam-user-single-access-key/member-execution-role.yml');

    // Act
    const findings = await cfnLint(templates);

    // Assess
    expect(findings.map(describeFinding)).to.deep.equal([]);
  });

  it('lists in deploy/regionalAvailability.js exactly the regions its region data lacks a packaged resource type in', async () => {
    // Prepare: every resource type of every mode
    const templates = await Promise.all(Object.values(DEPLOYMENT_MODES).map((params) => packageService(params).then(templatePath)));
    for (const params of Object.values(DEPLOYMENT_MODES).filter((params) => params.organization === 'stackset'))
      templates.push(memberTemplatePath(await packageService(params)));

    // Act
    const findings = await cfnLint(templates, ['ALL_REGIONS']);

    // Assess
    const lacking: Record<string, Set<string>> = {};
    for (const finding of findings) {
      expect(finding.Rule.Id, describeFinding(finding)).to.equal('E3006');
      const [, type, region] = /^Resource type '(.+)' does not exist in '(.+)'$/.exec(finding.Message)!;
      (lacking[type] ??= new Set()).add(region);
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
