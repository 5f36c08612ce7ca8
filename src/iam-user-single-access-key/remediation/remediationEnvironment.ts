import { DeploymentConfigurationError } from './errors';

/** The environment variables the stack sets on the remediate function (remediation-function.yml). */
export const ALLOW_DELETE_VARIABLE = 'ALLOW_DELETE';
export const LOCK_TABLE_VARIABLE = 'LOCK_TABLE_NAME';
export const RULE_NAME_VARIABLE = 'CONFIG_RULE_NAME';

/** The remediate function's environment, parsed. */
export interface RemediationEnvironment {
  /** Whether this deployment lets the function delete keys (its role allows iam:DeleteAccessKey). */
  allowDelete: boolean;
  /** The stack's remediation lock table. */
  lockTable: string;
  /** The Config rule whose current parameters apply when the document's MaxAccessKeys is empty. */
  ruleName: string;
}

/**
 * Parses the function's environment once, at the start of a run: a variable the stack sets that is
 * missing or malformed is a broken deployment, a DeploymentConfigurationError naming it, whatever
 * the request.
 */
export function remediationEnvironment(env: NodeJS.ProcessEnv = process.env): RemediationEnvironment {
  return { allowDelete: allowDeleteFromEnv(env), lockTable: lockTableFromEnv(env), ruleName: ruleNameFromEnv(env) };
}

/** ALLOW_DELETE: `true` or `false` (absent: false). */
export function allowDeleteFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env[ALLOW_DELETE_VARIABLE] ?? 'false').trim().toLowerCase();
  if (value !== 'true' && value !== 'false')
    throw new DeploymentConfigurationError(ALLOW_DELETE_VARIABLE, 'be true or false', env[ALLOW_DELETE_VARIABLE]);
  return value === 'true';
}

function lockTableFromEnv(env: NodeJS.ProcessEnv): string {
  const name = env[LOCK_TABLE_VARIABLE]?.trim() ?? '';
  // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html (TableName)
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) {
    throw new DeploymentConfigurationError(LOCK_TABLE_VARIABLE, 'name the remediation lock table', env[LOCK_TABLE_VARIABLE]);
  }
  return name;
}

function ruleNameFromEnv(env: NodeJS.ProcessEnv): string {
  const name = env[RULE_NAME_VARIABLE]?.trim() ?? '';
  // https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html (ConfigRuleName: 1 to 128 characters)
  if (name.length === 0 || name.length > 128) {
    throw new DeploymentConfigurationError(RULE_NAME_VARIABLE, 'name the Config rule whose parameters apply', env[RULE_NAME_VARIABLE]);
  }
  return name;
}
