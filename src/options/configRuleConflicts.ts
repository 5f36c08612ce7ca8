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
