'use strict';

// Remediation deploy options (Serverless params), checked once here so that a typo fails the
// package instead of silently meaning the default, and the switch that leaves the remediate
// function and remediation.yml out of the package when remediation=off.

const MODES = ['manual', 'automatic', 'off'];
const ACTIONS = ['Deactivate', 'Delete'];

/** The remediation options, validated; throws an error naming the option. */
async function settings(resolveVariable) {
  const param = async (name) => String(await resolveVariable(`param:${name}`)).trim();
  const mode = await param('remediation');
  if (!MODES.includes(mode)) throw new Error(`Invalid deploy option remediation=${JSON.stringify(mode)}: expected one of ${MODES.join(', ')}`);
  const action = await param('remediationAction');
  if (!ACTIONS.includes(action)) {
    throw new Error(`Invalid deploy option remediationAction=${JSON.stringify(action)}: expected ${ACTIONS.join(' or ')}`);
  }
  const allowDelete = await param('remediationAllowDelete');
  if (allowDelete !== 'true' && allowDelete !== 'false') {
    throw new Error(`Invalid deploy option remediationAllowDelete=${JSON.stringify(allowDelete)}: expected true or false`);
  }
  // https://docs.aws.amazon.com/config/latest/APIReference/API_RemediationConfiguration.html
  const maximumAutomaticAttempts = integer('remediationMaximumAutomaticAttempts', await param('remediationMaximumAutomaticAttempts'), 1, 25);
  const retryAttemptSeconds = integer('remediationRetryAttemptSeconds', await param('remediationRetryAttemptSeconds'), 1, 2678000);
  return {
    enabled: mode !== 'off',
    // The function's role gets iam:DeleteAccessKey only when Delete can be chosen: for automatic
    // runs (remediationAction=Delete) or by a person (remediationAllowDelete=true).
    allowDelete: action === 'Delete' || allowDelete === 'true',
    maximumAutomaticAttempts,
    retryAttemptSeconds,
  };
}

function integer(name, value, minimum, maximum) {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < minimum || number > maximum) {
    throw new Error(`Invalid deploy option ${name}=${JSON.stringify(value)}: expected a whole number from ${minimum} to ${maximum}`);
  }
  return number;
}

/** remediation.yml, or nothing when remediation=off. */
module.exports.resources = async ({ resolveVariable }) =>
  (await settings(resolveVariable)).enabled ? resolveVariable('file(rules/iam-user-single-access-key/remediation.yml)') : null;

/** The remediate function's definition, or nothing (no function) when remediation=off. */
module.exports.remediateFunction = async ({ resolveVariable }) =>
  (await settings(resolveVariable)).enabled ? resolveVariable('file(rules/iam-user-single-access-key/remediation-function.yml)') : null;

/** 'true' when the remediate function may delete keys, else 'false'. */
module.exports.allowDelete = async ({ resolveVariable }) => String((await settings(resolveVariable)).allowDelete);

/** MaximumAutomaticAttempts of automatic remediation, a number. */
module.exports.maximumAutomaticAttempts = async ({ resolveVariable }) => (await settings(resolveVariable)).maximumAutomaticAttempts;

/** RetryAttemptSeconds of automatic remediation, a number. */
module.exports.retryAttemptSeconds = async ({ resolveVariable }) => (await settings(resolveVariable)).retryAttemptSeconds;
