import { expect } from 'chai';
import { ACCESS_KEY_DEPLOYMENT } from '../../src/iam-user-single-access-key/options';
import { checkDeployOptions } from '../../src/options/checkDeployOptions';
import { ORGANIZATION, ORGANIZATION_WITH_AGGREGATOR, STACK_SET, STACK_SET_DELEGATED } from '../support/deploymentModes';
import { memberTemplateOf } from '../support/memberTemplate';
import { packageService, resourcesOfType, type Template } from '../support/packageTemplate';

// What each organization mode leaves out, as packaging prints it (deploy/organization.js
// organizationCoverage, printed by the options plugin with osls's log): called directly for each
// mode, then read from the packaged runs, and the management account's command packaged to show it
// deploys the StackSet's rule.

type Coverage = { level: 'notice' | 'warning'; lines: string[] } | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { organizationCoverage } = require('../../deploy/organization.js') as {
  organizationCoverage: (input: {
    values: unknown;
    given: Record<string, string>;
    options: unknown;
    stage: string;
    region: string;
    maxMembers?: number;
    configurationParams?: string[];
  }) => Coverage;
};

const SEE = 'See docs/organization.md, "What each organization mode leaves out".';
const TARGETS = 'r-a1b2, ou-a1b2-c3d4e5f6';
const REACH = `the StackSet deploys the rule in us-east-1 to every account of ${TARGETS}, and to accounts that join them later; accounts outside them get no rule`;
const RULE_OPTIONS = {
  configRuleName: 'cis-1-12-access-keys',
  maxAccessKeys: '2',
  exemptTag: 'cis-exempt=approved',
  remediation: 'automatic',
};

/** The coverage of these options, as the plugin computes it for stage prod in us-east-1. */
function coverageOf(given: Record<string, string>, configurationParams: string[] = []): Coverage {
  const { values, errors } = checkDeployOptions(ACCESS_KEY_DEPLOYMENT, given);
  expect(errors).to.deep.equal([]);
  return organizationCoverage({
    values,
    given,
    options: ACCESS_KEY_DEPLOYMENT.options,
    stage: 'prod',
    region: 'us-east-1',
    maxMembers: 53,
    configurationParams,
  });
}

/** The `--param` options of the printed `npx serverless deploy` command. */
function paramsOf(command: string): Record<string, string> {
  return Object.fromEntries([...command.matchAll(/--param="([^="]+)=([^"]*)"/g)].map(([, name, value]) => [name!, value!]));
}

describe('organizationCoverage: what each organization mode leaves out', () => {
  it('says nothing for a single-account deployment', () => {
    expect(coverageOf({})).to.equal(undefined);
    expect(coverageOf({ aggregator: 'true' })).to.equal(undefined);
  });

  it('notes, with callAs=SELF, that the management account gets the rule from this stack', () => {
    expect(coverageOf(STACK_SET)).to.deep.equal({
      level: 'notice',
      lines: [
        `organization=stackset, callAs=SELF: ${REACH}. A service-managed StackSet never deploys to the management account: this stack, deployed there, holds its rule.`,
      ],
    });
  });

  it('warns, with callAs=DELEGATED_ADMIN, that the management account gets no rule, and gives the one command that covers it', () => {
    // Act
    const coverage = coverageOf({ ...STACK_SET_DELEGATED, ...RULE_OPTIONS });

    // Assess
    expect(coverage).to.deep.equal({
      level: 'warning',
      lines: [
        `organization=stackset, callAs=DELEGATED_ADMIN: ${REACH}. The management account gets NO rule: a service-managed StackSet never deploys there, and this stack, in the delegated administrator account, holds none. The delegated administrator account gets the rule only if it is in ${TARGETS}.`,
        'To cover the management account, run this there (not in this account: it would replace this stack): the account-level rule with the same options (the same configRuleName, parameters and remediation):',
        '  npx serverless deploy --stage prod --region us-east-1 --param="remediation=automatic" --param="configRuleName=cis-1-12-access-keys" --param="maxAccessKeys=2" --param="exemptTag=cis-exempt=approved"',
        SEE,
      ],
    });
  });

  it("gives a command whose rule has the StackSet rule's name and parameters, without the organization options", () => {
    // Prepare
    const given = { ...STACK_SET_DELEGATED, ...RULE_OPTIONS, executionRoleName: 'ConfigRuleRole', recordUnchanged: 'true' };
    const command = coverageOf(given)!.lines[2]!;

    // Act
    const stackSet = checkDeployOptions(ACCESS_KEY_DEPLOYMENT, given);
    const management = checkDeployOptions(ACCESS_KEY_DEPLOYMENT, paramsOf(command));

    // Assess
    expect(management.errors).to.deep.equal([]);
    expect(management.values.organization).to.equal(false);
    expect(management.inputParameters).to.deep.equal(stackSet.inputParameters);
    for (const name of [
      'configRuleName',
      'maximumExecutionFrequency',
      'remediation',
      'remediationAction',
      'remediationMaximumAutomaticAttempts',
    ] as const) {
      expect(management.values[name], name).to.deep.equal(stackSet.values[name]);
    }
    expect(Object.keys(paramsOf(command))).not.to.include.members([
      'organization',
      'organizationId',
      'deploymentTargets',
      'callAs',
      'aggregator',
    ]);
  });

  it("says which organization options serverless.yml's params set, which a --param cannot unset", () => {
    // Act
    const coverage = coverageOf(STACK_SET_DELEGATED, ['organization', 'organizationId', 'maxAccessKeys']);

    // Assess
    expect(coverage!.lines[3]).to.equal(
      "  (without organization, organizationId in serverless.yml's params for that deploy: a --param cannot unset them)",
    );
  });

  it('quotes a value the shell would expand', () => {
    // Act
    const command = coverageOf({ ...STACK_SET_DELEGATED, exemptTag: 'owner=$team' })!.lines[2];

    // Assess
    expect(command).to.equal(
      `  npx serverless deploy --stage prod --region us-east-1 --param="remediation=off" --param='exemptTag=owner=$team'`,
    );
  });

  const organizationRule: [string, Record<string, string>, string][] = [
    [
      'the excluded accounts, the management account among them if listed',
      ORGANIZATION_WITH_AGGREGATOR,
      '  - the excludedAccounts 333333333333, 444444444444: no rule at all (the management account too, if it is one of them).',
    ],
    [
      'that, with no account excluded, the management account needs the execution role',
      ORGANIZATION,
      '  - no account is excluded: the management account runs the rule too, so it needs the execution role (a plain stack of member-execution-role.yml there: a StackSet never deploys to it), or list it in excludedAccounts.',
    ],
  ];
  for (const [what, given, accounts] of organizationRule) {
    it(`warns, with organization=true, of no remediation, of unlisted accounts and of ${what}`, () => {
      expect(coverageOf(given)).to.deep.equal({
        level: 'warning',
        lines: [
          'organization=true leaves out:',
          '  - remediation: Config takes no remediation configuration for an organization rule (remediation is off);',
          "  - every other account not in memberAccounts: Config there may not invoke the function, so the rule fails in it (a new account included) until it is listed and this is deployed again; at most 53 fit in the function's 20 KB policy, more need organization=stackset;",
          accounts,
          SEE,
        ],
      });
    });
  }
});

describe('packaging prints what each organization mode leaves out', function () {
  this.timeout(300_000);
  const modes: [string, Record<string, string>, string[] | undefined][] = [
    ['a single account', {}, undefined],
    [
      'organization=stackset from the management account',
      STACK_SET,
      ['\norganization=stackset, callAs=SELF: ', 'this stack, deployed there, holds its rule.\n'],
    ],
    [
      'organization=stackset from a delegated administrator',
      STACK_SET_DELEGATED,
      [
        '\nWarning: organization=stackset, callAs=DELEGATED_ADMIN: ',
        `The delegated administrator account gets the rule only if it is in ${TARGETS}.\n`,
        `\n${SEE}\n`,
      ],
    ],
    ['organization=true', ORGANIZATION, ['\nWarning: organization=true leaves out:\n  - remediation: ', `\n${SEE}\n`]],
  ];
  for (const [name, params, expected] of modes) {
    it(`${expected ? 'prints' : 'prints nothing of it'} for ${name}`, async () => {
      // Act
      const { output } = await packageService(params);

      // Assess
      if (expected) for (const text of expected) expect(output).to.include(text);
      else expect(output).not.to.match(/organization|management account/);
    });
  }

  it("prints, for a delegated administrator, a management-account command that packages the StackSet's own rule", async () => {
    // Prepare
    const { output, template } = await packageService(STACK_SET_DELEGATED);
    const command = /^ {2}(npx serverless deploy --stage test --region us-east-1.*)$/m.exec(output)?.[1];
    expect(command, output).to.be.a('string');

    // Act: package what the command deploys
    const management = await packageService(paramsOf(command!));

    // Assess
    const ruleOf = (candidate: Template) => candidate.Resources[resourcesOfType(candidate, 'AWS::Config::ConfigRule')[0]!];
    expect(ruleOf(management.template)).to.deep.equal(ruleOf(memberTemplateOf(template)));
    expect(resourcesOfType(template, 'AWS::Config::ConfigRule')).to.deep.equal([]);
  });
});
