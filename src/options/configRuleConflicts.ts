import { MAX_INPUT_PARAMETERS, MAX_ORGANIZATION_INPUT_PARAMETERS, ORGANIZATION_RULE_NAME } from './awsKinds';
import type { configRuleOptions } from './configRuleOptions';
import type { OptionValues } from './Option';

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
  errors.push(...monitoringConflicts(values, given));
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

/** The contradictions among the alarm and notification options (docs/monitoring.md). */
function monitoringConflicts(values: ConfigRuleValues, given: ReadonlySet<string>): string[] {
  const errors: string[] = [];
  if (values.alarms === false && given.has('alarmTopicArn')) errors.push('--param alarmTopicArn: applies only with --param alarms=true');
  if (values.notificationEmail !== undefined && values.notificationTopicArn !== undefined)
    errors.push('--param notificationEmail and notificationTopicArn: give one, the topic to create or the one to notify');
  const notifies = values.notificationEmail !== undefined || values.notificationTopicArn !== undefined;
  if (!notifies && given.has('notifyCompliant'))
    errors.push('--param notifyCompliant: applies only with --param notificationEmail or notificationTopicArn');
  // Each member account's Config sends its own compliance changes to its own EventBridge: the
  // administrator's stack sees none of them.
  if (values.organization === true && notifies)
    errors.push(
      "--param notificationEmail / notificationTopicArn: with organization=true each member account's compliance changes stay in that account; use organization=stackset, or route them centrally (docs/monitoring.md)",
    );
  // One ARN for every member account names a topic in one account: the others' alarms and rules
  // cannot publish to it without a role or policy this package does not create.
  if (values.organization === 'stackset') {
    for (const name of ['alarmTopicArn', 'notificationTopicArn'].filter((name) => given.has(name)))
      errors.push(
        `--param ${name}: with organization=stackset every member account would notify one account's topic; use notificationEmail (a topic in each account), or route alarms centrally (docs/monitoring.md)`,
      );
  }
  return errors;
}

/** InputParameters an account rule takes (organization=stackset deploys account rules), or an organization rule. */
export const maxInputParameters = (values: ConfigRuleValues): number =>
  values.organization === true ? MAX_ORGANIZATION_INPUT_PARAMETERS : MAX_INPUT_PARAMETERS;
