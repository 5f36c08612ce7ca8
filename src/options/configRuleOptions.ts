import { option, type OptionValues } from './Option';
import { flag, listOf, matching, oneOf, wholeNumber } from './OptionKind';

// The deploy options every Config rule of this project takes: its name and schedule, the
// function's tuning, the organization mode and the remediation plumbing. A rule adds its own
// (src/<rule>/options.ts) and its own contradictions.

// https://docs.aws.amazon.com/config/latest/APIReference/API_SourceDetail.html (MaximumExecutionFrequency)
export const FREQUENCIES = ['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours'] as const;
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
// https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html (ConfigRuleName)
const RULE_NAME = /^(?=.*\S).{1,128}$/;
// https://docs.aws.amazon.com/config/latest/APIReference/API_OrganizationConfigRule.html (OrganizationConfigRuleName)
export const ORGANIZATION_RULE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
const RETENTION_DAYS = ['1', '3', '5', '7', '14', '30', '60', '90', '120', '150', '180', '365', '400', '545', '731', '1096', '1827', '2192', '2557', '2922', '3288', '3653'] as const;
// Powertools for AWS Lambda (TypeScript) logger levels (POWERTOOLS_LOG_LEVEL).
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
const accountId = matching(/^\d{12}$/, 'a 12-digit AWS account id');

// https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html (InputParameters: 1 to 1,024 characters)
export const MAX_INPUT_PARAMETERS = 1024;
// https://docs.aws.amazon.com/config/latest/APIReference/API_OrganizationCustomRuleMetadata.html (InputParameters: up to 2,048 characters)
export const MAX_ORGANIZATION_INPUT_PARAMETERS = 2048;

/**
 * The runtime's own parameter `recordUnchanged`: whether a periodic sweep records a verdict that
 * Config already holds (same compliance, same actionable annotation). Config bills every
 * evaluation recorded, changed or not (https://aws.amazon.com/config/pricing/).
 */
export const RECORD_UNCHANGED_OPTION = option({
  kind: flag,
  use: 'rule parameter',
  section: 'rule',
  default: 'false',
  doc: '`true`: a sweep records every result, not only new or changed ones.',
});

/** The options of any Config rule deployed by this project; `names` gives the rule's own defaults. */
export function configRuleOptions(names: { configRuleName: string; executionRoleName: string }) {
  return {
    configRuleName: option({ kind: matching(RULE_NAME, 'a Config rule name (1 to 128 characters)'), use: 'deploy', section: 'deployment', default: names.configRuleName, doc: 'Name of the Config rule.' }),
    maximumExecutionFrequency: option({ kind: oneOf(FREQUENCIES), use: 'deploy', section: 'deployment', default: 'One_Hour', doc: 'How often the periodic sweep runs.' }),
    recordUnchanged: RECORD_UNCHANGED_OPTION,
    executionRoleName: option({
      kind: matching(ROLE_NAME, 'an IAM role name'),
      use: 'both', section: 'organization',
      default: '',
      defaultFrom: (values) => (values.organization ? names.executionRoleName : ''),
      defaultDoc: `none; \`${names.executionRoleName}\` with \`organization=true\``,
      doc: 'When set, the function assumes `arn:<partition>:iam::<account of the event>:role/<name>` and makes every IAM and Config call with it (organization deployments).',
    }),
    organization: option({ kind: flag, use: 'deploy', section: 'organization', default: 'false', doc: '`true`: deploy the organization rule instead of the account-level one.' }),
    memberAccounts: option({ kind: listOf(accountId), use: 'deploy', section: 'organization', default: '', doc: 'The accounts whose Config may invoke the function: every account the rule runs in but the administrator account (at most 53 for stage prod in us-east-1). Required with `organization=true`.' }),
    excludedAccounts: option({ kind: listOf(accountId), use: 'deploy', section: 'organization', default: '', doc: 'Accounts the organization rule leaves out (`ExcludedAccounts`); they get no permission either.' }),
    aggregator: option({ kind: flag, use: 'deploy', section: 'organization', default: 'false', doc: "`true`: add an organization aggregator that shows every account's results here (works without `organization=true` too)." }),
    sweepConcurrency: option({ kind: wholeNumber(1, 256), use: 'deploy', section: 'deployment', default: '32', doc: "Users judged at once in a periodic sweep; IAM's throttling, not this, sets the pace." }),
    memorySize: option({ kind: wholeNumber(128, 10240), use: 'deploy', section: 'deployment', default: '256', doc: "The rule function's memory, MB." }),
    timeout: option({ kind: wholeNumber(1, 900), use: 'deploy', section: 'deployment', default: '900', doc: "The rule function's timeout, seconds." }),
    logLevel: option({ kind: oneOf(LOG_LEVELS), use: 'deploy', section: 'deployment', default: 'INFO', doc: "The functions' log level." }),
    logRetentionInDays: option({ kind: oneOf(RETENTION_DAYS), use: 'deploy', section: 'deployment', default: '90', doc: "Days the functions' log groups keep their logs." }),
    remediation: option({
      kind: oneOf(['manual', 'automatic', 'off'] as const),
      use: 'deploy', section: 'remediation',
      default: 'manual',
      defaultFrom: (values) => (values.organization ? 'off' : 'manual'),
      defaultDoc: '`manual`; `off` with `organization=true`',
      doc: "`manual`: the document and Config's remediation configuration exist, nothing runs by itself; `automatic`: Config runs it on non-compliant users; `off`: no document, no configuration, no function.",
    }),
    remediationMaximumAutomaticAttempts: option({ kind: wholeNumber(1, 25), use: 'deploy', section: 'remediation', default: '5', doc: 'Automatic attempts per non-compliant user (`remediation=automatic` only).' }),
    remediationRetryAttemptSeconds: option({ kind: wholeNumber(1, 2678000), use: 'deploy', section: 'remediation', default: '60', doc: 'Seconds between automatic attempts (`remediation=automatic` only).' }),
  };
}

type ConfigRuleValues = OptionValues<ReturnType<typeof configRuleOptions>>;

/** The contradictions among the options every rule takes. */
export function configRuleConflicts(values: ConfigRuleValues, given: ReadonlySet<string>): string[] {
  const errors: string[] = [];
  const organizationOnly = ['memberAccounts', 'excludedAccounts'].filter((name) => given.has(name));
  if (!values.organization) {
    for (const name of organizationOnly) errors.push(`--param ${name}: applies only with --param organization=true`);
  } else {
    const excluded = values.excludedAccounts ?? [];
    if ((values.memberAccounts ?? []).filter((account) => !excluded.includes(account)).length === 0) {
      errors.push('--param memberAccounts: organization=true needs the accounts the rule runs in (comma-separated account ids, not all excluded)');
    }
    // Remediation acts in the deploying account only: an organization rule has no account-level
    // rule to attach it to (PutRemediationConfigurations does not support service-linked rules).
    if (values.remediation !== 'off') errors.push(`--param remediation=${values.remediation}: remediation runs in one account only; with organization=true use remediation=off`);
    if (!ORGANIZATION_RULE_NAME.test(values.configRuleName ?? '')) {
      errors.push(`--param configRuleName=${JSON.stringify(values.configRuleName)}: an organization rule name is 1 to 64 letters, digits, - or _`);
    }
  }
  if (values.remediation !== 'automatic') {
    for (const name of ['remediationMaximumAutomaticAttempts', 'remediationRetryAttemptSeconds'].filter((name) => given.has(name))) {
      errors.push(`--param ${name}: applies only with --param remediation=automatic`);
    }
  }
  return errors;
}

/** InputParameters an account rule takes, or an organization rule. */
export const maxInputParameters = (values: ConfigRuleValues): number => (values.organization ? MAX_ORGANIZATION_INPUT_PARAMETERS : MAX_INPUT_PARAMETERS);
