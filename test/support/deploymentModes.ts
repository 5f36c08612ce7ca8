// The deploy modes the tests package, each once per test run (packageService caches by options):
// cfn-lint and the template tests share them.

/** Organization mode with two member accounts. */
export const ORGANIZATION = { organization: 'true', memberAccounts: '111111111111,222222222222' };

/** Organization mode with an aggregator, an excluded member and an hourly schedule. */
export const ORGANIZATION_WITH_AGGREGATOR = {
  organization: 'true',
  memberAccounts: '111111111111,222222222222,333333333333',
  excludedAccounts: '333333333333,444444444444',
  aggregator: 'true',
  maximumExecutionFrequency: 'One_Hour',
};

/** organization=stackset from the management account (callAs SELF by default), a root and an OU as targets. */
export const STACK_SET = { organization: 'stackset', organizationId: 'o-a1b2c3d4e5', deploymentTargets: 'r-a1b2,ou-a1b2-c3d4e5f6' };

/** organization=stackset from a delegated administrator, without remediation, with an aggregator. */
export const STACK_SET_DELEGATED = { ...STACK_SET, callAs: 'DELEGATED_ADMIN', remediation: 'off', aggregator: 'true' };

/** Single account, notifications by e-mail (a topic created), back to COMPLIANT too; the alarms notify the same topic. */
export const NOTIFYING_BY_EMAIL = { notificationEmail: 'security@example.com', notifyCompliant: 'true' };

/** Single account, alarms and notifications to topics that exist. */
export const NOTIFYING_EXISTING_TOPICS = {
  alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops-alarms',
  notificationTopicArn: 'arn:aws:sns:us-east-1:123456789012:security-findings',
};

/** organization=stackset with notifications by e-mail: a topic in each member account. */
export const STACK_SET_NOTIFYING = { ...STACK_SET, notificationEmail: 'security@example.com', remediation: 'off' };

/** The executionRoleName of the single-account mode with an execution role (the handler's wire tests assume it). */
export const SINGLE_ACCOUNT_EXECUTION_ROLE = 'AccessKeyRuleReader';

/** Every mode the README offers, by name. */
export const DEPLOYMENT_MODES: Record<string, Record<string, string>> = {
  'single account, manual remediation (the default)': {},
  'automatic remediation': { remediation: 'automatic' },
  'automatic remediation with Delete': {
    remediation: 'automatic',
    remediationAction: 'Delete',
    remediationMaximumAutomaticAttempts: '3',
    remediationRetryAttemptSeconds: '300',
  },
  'manual remediation, Delete allowed for people': { remediationAllowDelete: 'true' },
  'remediation off': { remediation: 'off' },
  'single account with an aggregator': { aggregator: 'true' },
  'single account with an execution role': { executionRoleName: SINGLE_ACCOUNT_EXECUTION_ROLE },
  organization: ORGANIZATION,
  'organization with an aggregator': ORGANIZATION_WITH_AGGREGATOR,
  'organization StackSet from the management account': STACK_SET,
  'organization StackSet from a delegated administrator, remediation off, with an aggregator': STACK_SET_DELEGATED,
  'single account, notifications by e-mail, back to COMPLIANT too': NOTIFYING_BY_EMAIL,
  'single account, alarms and notifications to existing topics': NOTIFYING_EXISTING_TOPICS,
  'single account without alarms': { alarms: 'false' },
  'organization StackSet, remediation off, notifications by e-mail in each account': STACK_SET_NOTIFYING,
};
