import { option, type OptionValues } from './Option';
import { flag, listOf, matching, type OptionKind, OptionValueError, oneOf, wholeNumber } from './OptionKind';

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
const RETENTION_DAYS = [
  '1',
  '3',
  '5',
  '7',
  '14',
  '30',
  '60',
  '90',
  '120',
  '150',
  '180',
  '365',
  '400',
  '545',
  '731',
  '1096',
  '1827',
  '2192',
  '2557',
  '2922',
  '3288',
  '3653',
] as const;
// Powertools for AWS Lambda (TypeScript) logger levels (POWERTOOLS_LOG_LEVEL).
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
const accountId = matching(/^\d{12}$/, 'a 12-digit AWS account id');
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html (Id)
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
// A root or an OU, as a StackSet's DeploymentTargets takes them:
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Parent.html (Id)
const DEPLOYMENT_TARGET = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

/** How the rule reaches an organization: not at all, one organization rule (`true`), or a StackSet of account rules. */
export type OrganizationMode = false | true | 'stackset';

/** `false`, `true` (any case, as a flag) or `stackset`. */
const organizationMode: OptionKind<OrganizationMode> = {
  expected: 'false, true or stackset',
  parse(text) {
    if (text === 'stackset') return 'stackset';
    try {
      return flag.parse(text);
    } catch {
      throw new OptionValueError(`expected "false", "true" or "stackset", got ${JSON.stringify(text)}`);
    }
  },
};

// https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html (InputParameters: 1 to 1,024 characters)
export const MAX_INPUT_PARAMETERS = 1024;
// https://docs.aws.amazon.com/config/latest/APIReference/API_OrganizationCustomRuleMetadata.html (InputParameters: up to 2,048 characters)
export const MAX_ORGANIZATION_INPUT_PARAMETERS = 2048;

/** What `sweepConcurrency` takes; the runtime reads it back from SWEEP_CONCURRENCY with the same kind. */
export const SWEEP_CONCURRENCY = wholeNumber(1, 256);

/**
 * The runtime's own parameter `recordUnchanged`: whether a periodic sweep records a verdict that
 * Config already holds (same compliance, same facts: resultFingerprint). Config bills every
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
    configRuleName: option({
      kind: matching(RULE_NAME, 'a Config rule name (1 to 128 characters)'),
      use: 'deploy',
      section: 'deployment',
      default: names.configRuleName,
      doc: 'Name of the Config rule.',
    }),
    maximumExecutionFrequency: option({
      kind: oneOf(FREQUENCIES),
      use: 'deploy',
      section: 'deployment',
      default: 'One_Hour',
      doc: 'How often the periodic sweep runs.',
    }),
    recordUnchanged: RECORD_UNCHANGED_OPTION,
    executionRoleName: option({
      kind: matching(ROLE_NAME, 'an IAM role name'),
      use: 'both',
      section: 'organization',
      default: '',
      defaultFrom: (values) => (values.organization === true ? names.executionRoleName : ''),
      defaultDoc: `none; \`${names.executionRoleName}\` with \`organization=true\``,
      doc: 'When set, the function assumes `arn:<partition>:iam::<account of the event>:role/<name>` and makes every IAM and Config call with it (organization deployments).',
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
    sweepConcurrency: option({
      kind: SWEEP_CONCURRENCY,
      use: 'deploy',
      section: 'deployment',
      default: '32',
      doc: "Users judged at once in a periodic sweep; IAM's throttling, not this, sets the pace.",
    }),
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

type ConfigRuleValues = OptionValues<ReturnType<typeof configRuleOptions>>;

/** The contradictions among the options every rule takes. */
export function configRuleConflicts(values: ConfigRuleValues, given: ReadonlySet<string>): string[] {
  const errors: string[] = [];
  const organizationOnly = ['memberAccounts', 'excludedAccounts'].filter((name) => given.has(name));
  if (values.organization !== true) {
    for (const name of organizationOnly) errors.push(`--param ${name}: applies only with --param organization=true`);
  }
  if (values.organization !== 'stackset') {
    for (const name of ['organizationId', 'deploymentTargets', 'callAs'].filter((name) => given.has(name))) {
      errors.push(`--param ${name}: applies only with --param organization=stackset`);
    }
  } else {
    if (values.organizationId === undefined)
      errors.push(
        "--param organizationId: organization=stackset needs the organization's id (o- and 10 to 32 lower-case letters or digits)",
      );
    if ((values.deploymentTargets ?? []).length === 0)
      errors.push(
        '--param deploymentTargets: organization=stackset needs the roots or OUs to deploy to (comma-separated r-… or ou-…-… ids)',
      );
  }
  if (values.organization === true) {
    const excluded = values.excludedAccounts ?? [];
    if ((values.memberAccounts ?? []).filter((account) => !excluded.includes(account)).length === 0) {
      errors.push(
        '--param memberAccounts: organization=true needs the accounts the rule runs in (comma-separated account ids, not all excluded)',
      );
    }
    // Remediation acts in the deploying account only: an organization rule has no account-level
    // rule to attach it to (PutRemediationConfigurations does not support service-linked rules).
    if (values.remediation !== 'off')
      errors.push(
        `--param remediation=${values.remediation}: remediation runs in one account only; with organization=true use remediation=off`,
      );
    if (!ORGANIZATION_RULE_NAME.test(values.configRuleName ?? '')) {
      errors.push(
        `--param configRuleName=${JSON.stringify(values.configRuleName)}: an organization rule name is 1 to 64 letters, digits, - or _`,
      );
    }
  }
  if (values.remediation === 'off' && given.has('remediationRetainLockTable')) {
    errors.push('--param remediationRetainLockTable: applies only with remediation manual or automatic, not off');
  }
  if (values.remediation !== 'automatic') {
    for (const name of ['remediationMaximumAutomaticAttempts', 'remediationRetryAttemptSeconds'].filter((name) => given.has(name))) {
      errors.push(`--param ${name}: applies only with --param remediation=automatic`);
    }
  }
  return errors;
}

/** InputParameters an account rule takes (organization=stackset deploys account rules), or an organization rule. */
export const maxInputParameters = (values: ConfigRuleValues): number =>
  values.organization === true ? MAX_ORGANIZATION_INPUT_PARAMETERS : MAX_INPUT_PARAMETERS;
