import { expect } from 'chai';
import { ACCESS_KEY_DEPLOYMENT } from '../../src/iam-user-single-access-key/options';
import { checkDeployOptions } from '../../src/options/checkDeployOptions';
import { DEPLOYMENT_MODES, ORGANIZATION, ORGANIZATION_WITH_AGGREGATOR } from '../support/deploymentModes';

// What each mode deploys, decided in one place (rules/iam-user-single-access-key/deployment.js),
// called directly on checked options; the packaged templates are tested in template tests.

type Plan = Record<string, unknown> & { invokePermissionIds: string[]; excludedAccounts: string[]; remediationActions: string[] };
type Fragments = { resources: string[]; policies: string[]; remediateFunction: boolean; administratorOnly?: string[] };
/* eslint-disable @typescript-eslint/no-require-imports */
const { planOf, fragmentsOf } = require('../../rules/iam-user-single-access-key/deployment.js') as {
  planOf: (values: unknown) => Plan;
  fragmentsOf: (plan: Plan) => Fragments;
};
const { maxMemberAccounts, mergeFragments } = {
  ...(require('../../deploy/organization.js') as { maxMemberAccounts: (functionName: string, region: string) => number }),
  ...(require('../../deploy/fragments.js') as {
    mergeFragments: (fragments: unknown[]) => { Resources: Record<string, unknown>; Outputs: Record<string, unknown> };
  }),
};
/* eslint-enable @typescript-eslint/no-require-imports */

const planFor = (given: Record<string, string>) => {
  const { values, errors } = checkDeployOptions(ACCESS_KEY_DEPLOYMENT, given);
  expect(errors).to.deep.equal([]);
  return planOf(values);
};
const RULE = 'rules/iam-user-single-access-key';

describe('deployment plan (deployment.js)', () => {
  const expected: [string, Fragments][] = [
    [
      'single account, manual remediation (the default)',
      {
        resources: [
          'rules/_shared/rule-function.yml:function',
          `${RULE}/rule.yml:accountRule`,
          `${RULE}/rule.yml:readOwnResults`,
          `${RULE}/remediation.yml`,
          'rules/_shared/remediation.yml',
          'rules/_shared/monitoring.yml:sweepAlarm',
          'rules/_shared/monitoring.yml:failureAlarm',
        ],
        policies: [
          'rules/_shared/rule-function.yml:policies.writeOwnLogs',
          `${RULE}/rule.yml:readIamUsers`,
          'rules/_shared/rule-function.yml:policies.reportToConfig',
        ],
        remediateFunction: true,
      },
    ],
    [
      'automatic remediation with Delete',
      {
        resources: [
          'rules/_shared/rule-function.yml:function',
          `${RULE}/rule.yml:accountRule`,
          `${RULE}/rule.yml:readOwnResults`,
          `${RULE}/remediation.yml`,
          'rules/_shared/remediation.yml',
          `${RULE}/remediation-options.yml:automatic`,
          `${RULE}/remediation-options.yml:canDelete`,
          'rules/_shared/monitoring.yml:sweepAlarm',
          'rules/_shared/monitoring.yml:failureAlarm',
        ],
        policies: [
          'rules/_shared/rule-function.yml:policies.writeOwnLogs',
          `${RULE}/rule.yml:readIamUsers`,
          'rules/_shared/rule-function.yml:policies.reportToConfig',
        ],
        remediateFunction: true,
      },
    ],
    [
      'remediation off',
      {
        resources: [
          'rules/_shared/rule-function.yml:function',
          `${RULE}/rule.yml:accountRule`,
          `${RULE}/rule.yml:readOwnResults`,
          'rules/_shared/monitoring.yml:sweepAlarm',
          'rules/_shared/monitoring.yml:failureAlarm',
        ],
        policies: [
          'rules/_shared/rule-function.yml:policies.writeOwnLogs',
          `${RULE}/rule.yml:readIamUsers`,
          'rules/_shared/rule-function.yml:policies.reportToConfig',
        ],
        remediateFunction: false,
      },
    ],
    [
      'organization with an aggregator',
      {
        resources: [
          'rules/_shared/rule-function.yml:function',
          `${RULE}/organization.yml:organization`,
          'rules/_shared/rule-function.yml:organizationRoleName',
          'rules/_shared/aggregator.yml',
          'rules/_shared/monitoring.yml:failureAlarm',
        ],
        policies: [
          'rules/_shared/rule-function.yml:policies.writeOwnLogs',
          'rules/_shared/rule-function.yml:policies.assumeMemberExecutionRoles',
        ],
        remediateFunction: false,
      },
    ],
  ];
  expected.push(
    [
      'organization StackSet from the management account',
      {
        resources: [
          'rules/_shared/rule-function.yml:function',
          `${RULE}/rule.yml:accountRule`,
          `${RULE}/rule.yml:readOwnResults`,
          'rules/_shared/stackset.yml',
          `${RULE}/remediation.yml`,
          'rules/_shared/remediation.yml',
          'rules/_shared/monitoring.yml:sweepAlarm',
          'rules/_shared/monitoring.yml:failureAlarm',
        ],
        policies: [
          'rules/_shared/rule-function.yml:policies.writeOwnLogs',
          `${RULE}/rule.yml:readIamUsers`,
          'rules/_shared/rule-function.yml:policies.reportToConfig',
        ],
        remediateFunction: true,
        administratorOnly: ['rules/_shared/stackset.yml'],
      },
    ],
    [
      'organization StackSet from a delegated administrator, remediation off, with an aggregator',
      {
        resources: [
          'rules/_shared/rule-function.yml:function',
          `${RULE}/rule.yml:accountRule`,
          `${RULE}/rule.yml:readOwnResults`,
          'rules/_shared/aggregator.yml',
          'rules/_shared/stackset.yml',
          'rules/_shared/monitoring.yml:sweepAlarm',
          'rules/_shared/monitoring.yml:failureAlarm',
        ],
        policies: [
          'rules/_shared/rule-function.yml:policies.writeOwnLogs',
          `${RULE}/rule.yml:readIamUsers`,
          'rules/_shared/rule-function.yml:policies.reportToConfig',
        ],
        remediateFunction: false,
        administratorOnly: ['rules/_shared/aggregator.yml', 'rules/_shared/stackset.yml'],
      },
    ],
  );
  for (const [mode, fragments] of expected) {
    it(`deploys the fragments of ${mode}`, () => {
      expect(fragmentsOf(planFor(DEPLOYMENT_MODES[mode]))).to.deep.equal(fragments);
    });
  }

  it("lets the function assume this account's execution role when one is named in one account, and read and report only through it", () => {
    expect(fragmentsOf(planFor({ executionRoleName: 'Reader' })).policies).to.deep.equal([
      'rules/_shared/rule-function.yml:policies.writeOwnLogs',
      'rules/_shared/rule-function.yml:policies.assumeExecutionRole',
    ]);
  });

  it('offers Delete in the document only when the function may delete', () => {
    expect(planFor({}).remediationActions).to.deep.equal(['Deactivate']);
    expect(planFor({ remediationAllowDelete: 'true' }).remediationActions).to.deep.equal(['Deactivate', 'Delete']);
    expect(planFor({ remediationAction: 'Delete' })).to.include({ allowDelete: 'true' });
  });

  it('waits for this account and each member account not excluded, each once', () => {
    // Act
    const plan = planFor({
      ...ORGANIZATION,
      memberAccounts: '111111111111, 222222222222,111111111111,333333333333',
      excludedAccounts: '333333333333',
    });

    // Assess
    expect(plan.invokePermissionIds).to.deep.equal([
      'EvaluateConfigPermission',
      'EvaluateConfigPermission111111111111',
      'EvaluateConfigPermission222222222222',
    ]);
    expect(plan.excludedAccounts).to.deep.equal(['333333333333']);
    expect(planFor(ORGANIZATION_WITH_AGGREGATOR).excludedAccounts).to.deep.equal(['333333333333', '444444444444']);
  });

  it('keeps the account rule in this stack with a StackSet only when deployed from the management account (callAs SELF)', () => {
    expect(planFor(DEPLOYMENT_MODES['organization StackSet from the management account'])).to.include({
      stackSet: true,
      ruleHere: true,
      organization: false,
    });
    expect(
      planFor(DEPLOYMENT_MODES['organization StackSet from a delegated administrator, remediation off, with an aggregator']),
    ).to.include({ stackSet: true, ruleHere: false });
    expect(planFor({})).to.include({ stackSet: false, ruleHere: true });
  });

  it('fits 53 member accounts beside its own in the function policy, for stage prod in us-east-1', () => {
    expect(maxMemberAccounts('iam-user-single-access-key-prod-evaluate', 'us-east-1')).to.equal(53);
  });
});

describe('mergeFragments', () => {
  it('gives a resource the properties of each fragment', () => {
    const merged = mergeFragments([
      { Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { Description: 'd' } } }, Outputs: { A: { Value: 1 } } },
      { Resources: { Role: { Properties: { RoleName: 'r' } } } },
    ]);
    expect(merged).to.deep.equal({
      Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { Description: 'd', RoleName: 'r' } } },
      Outputs: { A: { Value: 1 } },
    });
  });

  it('refuses a property two fragments set, so no fragment silently overrides another', () => {
    const twice = [
      { Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'a' } } } },
      { Resources: { Role: { Properties: { RoleName: 'b' } } } },
    ];
    expect(() => mergeFragments(twice)).to.throw('Two fragments set Role.Properties.RoleName');
  });
});
