import {
  accountId,
  DEPLOYMENT_TARGET,
  emailAddress,
  frequency,
  LOG_LEVELS,
  ORGANIZATION_ID,
  organizationMode,
  RETENTION_DAYS,
  RULE_NAME,
  snsTopicArn,
} from './awsKinds';
import { option } from './Option';
import { flag, listOf, matching, oneOf, wholeNumber } from './OptionKind';
import { RUNTIME_PARAMETER_OPTIONS, SWEEP_CONCURRENCY_OPTION } from './runtimeOptions';

// The deploy options every Config rule of this project takes: its name and schedule, the
// function's tuning, the runtime's own parameters, the organization mode and the remediation
// plumbing. A rule adds its own (src/<rule>/options.ts) and its own contradictions
// (configRuleConflicts.ts has these options').

/** The options of any Config rule deployed by this project; `names` gives the rule's own defaults. */
export function configRuleOptions(names: { configRuleName: string; executionRoleName: string }) {
  return {
    configRuleName: option({
      kind: matching(RULE_NAME, 'a Config rule name (1 to 128 characters)'),
      use: 'deploy',
      section: 'deployment',
      default: names.configRuleName,
      doc: 'Name of the Config rule.',
    }),
    maximumExecutionFrequency: option({
      kind: frequency,
      use: 'deploy',
      section: 'deployment',
      default: 'One_Hour',
      doc: 'How often the periodic sweep runs.',
    }),
    recordUnchanged: RUNTIME_PARAMETER_OPTIONS.recordUnchanged,
    executionRoleName: option({
      ...RUNTIME_PARAMETER_OPTIONS.executionRoleName,
      defaultFrom: (values) => (values.organization === true ? names.executionRoleName : ''),
      defaultDoc: `none; \`${names.executionRoleName}\` with \`organization=true\``,
    }),
    organization: option({
      kind: organizationMode,
      use: 'deploy',
      section: 'organization',
      default: 'false',
      doc: '`true`: deploy the organization rule instead of the account-level one (up to about 50 accounts, no remediation); `stackset`: a StackSet deploys the account-level rule, with its remediation, in every account of `deploymentTargets`.',
    }),
    organizationId: option({
      kind: matching(ORGANIZATION_ID, 'an organization id (o- and 10 to 32 lower-case letters or digits)'),
      use: 'deploy',
      section: 'organization',
      default: '',
      doc: "The organization whose accounts may read the functions' code from the deployment bucket. Required with `organization=stackset`.",
    }),
    deploymentTargets: option({
      kind: listOf(matching(DEPLOYMENT_TARGET, 'a root id (r-…) or an organizational unit id (ou-…-…)')),
      use: 'deploy',
      section: 'organization',
      default: '',
      doc: 'The roots and OUs whose accounts get the rule, now and when they join (never the management account). Required with `organization=stackset`.',
    }),
    callAs: option({
      kind: oneOf(['SELF', 'DELEGATED_ADMIN'] as const),
      use: 'deploy',
      section: 'organization',
      default: 'SELF',
      doc: '`organization=stackset` only. `SELF`: deployed from the management account, which gets the rule from this stack too; `DELEGATED_ADMIN`: deployed from a delegated administrator of StackSets, which gets the rule from the StackSet only if it is in `deploymentTargets`; the management account then gets none (packaging prints the command that covers it).',
    }),
    memberAccounts: option({
      kind: listOf(accountId),
      use: 'deploy',
      section: 'organization',
      default: '',
      doc: 'The accounts whose Config may invoke the function: every account the rule runs in but the administrator account (at most 53 for stage prod in us-east-1). Required with `organization=true`.',
    }),
    excludedAccounts: option({
      kind: listOf(accountId),
      use: 'deploy',
      section: 'organization',
      default: '',
      doc: 'Accounts the organization rule leaves out (`ExcludedAccounts`); they get no permission either.',
    }),
    aggregator: option({
      kind: flag,
      use: 'deploy',
      section: 'organization',
      default: 'false',
      doc: "`true`: add an organization aggregator that shows every account's results here (works without `organization=true` too).",
    }),
    sweepConcurrency: SWEEP_CONCURRENCY_OPTION,
    memorySize: option({
      kind: wholeNumber(128, 10240),
      use: 'deploy',
      section: 'deployment',
      default: '256',
      doc: "The rule function's memory, MB.",
    }),
    timeout: option({
      kind: wholeNumber(1, 900),
      use: 'deploy',
      section: 'deployment',
      default: '900',
      doc: "The rule function's timeout, seconds.",
    }),
    logLevel: option({ kind: oneOf(LOG_LEVELS), use: 'deploy', section: 'deployment', default: 'INFO', doc: "The functions' log level." }),
    logRetentionInDays: option({
      kind: oneOf(RETENTION_DAYS),
      use: 'deploy',
      section: 'deployment',
      default: '90',
      doc: "Days the functions' log groups keep their logs.",
    }),
    alarms: option({
      kind: flag,
      use: 'deploy',
      section: 'monitoring',
      default: 'true',
      doc: "`false`: no CloudWatch alarms. By default one goes to ALARM when no periodic sweep completed for about two of the rule's periods, another when the rule function fails.",
    }),
    alarmTopicArn: option({
      kind: snsTopicArn,
      use: 'deploy',
      section: 'monitoring',
      default: '',
      doc: "An SNS topic of this account and region the alarms notify (to ALARM and back to OK); its policy must let cloudwatch.amazonaws.com publish. Without it, the notifications' topic (`notificationEmail` or `notificationTopicArn`), if any. A new alarm goes to ALARM until the first sweep completes.",
    }),
    notificationEmail: option({
      kind: emailAddress,
      use: 'deploy',
      section: 'monitoring',
      default: '',
      doc: 'Creates an SNS topic with this e-mail subscription (to confirm from the message SNS sends) and notifies it of each resource that becomes NON_COMPLIANT.',
    }),
    notificationTopicArn: option({
      kind: snsTopicArn,
      use: 'deploy',
      section: 'monitoring',
      default: '',
      doc: 'Instead of `notificationEmail`: an existing SNS topic of this account and region to notify (the alarms too, without `alarmTopicArn`); its policy must let events.amazonaws.com (and cloudwatch.amazonaws.com) publish.',
    }),
    notifyCompliant: option({
      kind: flag,
      use: 'deploy',
      section: 'monitoring',
      default: 'false',
      doc: '`true`: also notify when a NON_COMPLIANT resource becomes COMPLIANT again.',
    }),
    remediation: option({
      kind: oneOf(['manual', 'automatic', 'off'] as const),
      use: 'deploy',
      section: 'remediation',
      default: 'manual',
      defaultFrom: (values) => (values.organization === true ? 'off' : 'manual'),
      defaultDoc: '`manual`; `off` with `organization=true`',
      doc: "`manual`: the document and Config's remediation configuration exist, nothing runs by itself; `automatic`: Config runs it on non-compliant users; `off`: no document, no configuration, no function.",
    }),
    remediationMaximumAutomaticAttempts: option({
      kind: wholeNumber(1, 25),
      use: 'deploy',
      section: 'remediation',
      default: '5',
      doc: 'Automatic attempts per non-compliant user (`remediation=automatic` only).',
    }),
    remediationRetryAttemptSeconds: option({
      kind: wholeNumber(1, 2678000),
      use: 'deploy',
      section: 'remediation',
      default: '60',
      doc: 'Seconds between automatic attempts (`remediation=automatic` only).',
    }),
    remediationRetainLockTable: option({
      kind: flag,
      use: 'deploy',
      section: 'remediation',
      default: 'false',
      doc: '`true`: keep the remediation lock table (DynamoDB) when the stack is deleted or the table replaced. By default it goes with the stack: it holds only the locks of runs in progress.',
    }),
  };
}
