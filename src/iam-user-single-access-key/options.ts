import { type DeployDefinition } from '../options/checkDeployOptions';
import { configRuleConflicts, maxInputParameters } from '../options/configRuleConflicts';
import { configRuleOptions } from '../options/configRuleOptions';
import { option, type OptionValues } from '../options/Option';
import { flag, matching, type OptionKind, OptionValueError, oneOf, setOf, wholeNumber } from '../options/OptionKind';
import { DEFAULT_REMEDIATION_ACTION, REMEDIATION_ACTIONS } from './remediation/RemediationAction';

// Every option of the iam-user-single-access-key rule, defined once: the function's parameter
// parser (parameters.ts), the packaging step (deploy/configRuleOptionsPlugin.js loads this file
// through tsx), the README's options tables (npm run docs:options) and the tests derive from it.

/** `key` or `key=value`: users carrying the tag (with that value) are exempt. */
const tag: OptionKind<{ key: string; value?: string }> = {
  expected: '"key" or "key=value" (key 1 to 128 characters, value at most 256)',
  parse(text) {
    const separator = text.indexOf('=');
    const key = (separator < 0 ? text : text.slice(0, separator)).trim();
    const value = separator < 0 ? undefined : text.slice(separator + 1).trim();
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html
    if (key.length === 0 || key.length > 128)
      throw new OptionValueError(`expected "key" or "key=value" with a key of 1 to 128 characters, got ${JSON.stringify(text)}`);
    if (value !== undefined && value.length > 256) throw new OptionValueError('the tag value is longer than 256 characters');
    return value === undefined ? { key } : { key, value };
  },
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html (UserName pattern)
const userName = matching(/^[\w+=,.@-]{1,64}$/, 'an IAM user name');

/** The rule's options: its parameters, its remediation's, and those every rule takes. */
export const ACCESS_KEY_OPTIONS = {
  maxAccessKeys: option({
    kind: wholeNumber(1, 100),
    use: 'both',
    section: 'rule',
    default: '1',
    doc: 'A user is NON_COMPLIANT when its counted keys exceed this.',
  }),
  countInactiveKeys: option({
    kind: flag,
    use: 'rule parameter',
    section: 'rule',
    default: 'false',
    doc: '`true`: count inactive (and expired) keys too, the strict reading.',
  }),
  exemptUserNames: option({
    kind: setOf(userName),
    use: 'rule parameter',
    section: 'rule',
    default: '',
    doc: 'Users with these names are NOT_APPLICABLE, e.g. `ci-bot,legacy-etl`.',
  }),
  exemptTag: option({
    kind: tag,
    use: 'rule parameter',
    section: 'rule',
    default: '',
    doc: 'Users carrying this tag (with this value, if one is given) are NOT_APPLICABLE.',
  }),
  // At most a year: a larger grace would make every user compliant (2^53-1 hours did).
  rotationGraceHours: option({
    kind: wholeNumber(0, 8760),
    use: 'rule parameter',
    section: 'rule',
    default: '0',
    doc: 'Keys younger than this are not counted, so rotating a key (create new, switch, delete old) is not a finding.',
  }),
  ...configRuleOptions({ configRuleName: 'iam-user-single-access-key', executionRoleName: 'IamUserSingleAccessKeyExecution' }),
  remediationAction: option({
    kind: oneOf(REMEDIATION_ACTIONS),
    use: 'deploy',
    section: 'remediation',
    default: DEFAULT_REMEDIATION_ACTION,
    doc: 'What runs started by Config do to the keys beyond the kept ones.',
  }),
  remediationAllowDelete: option({
    kind: flag,
    use: 'deploy',
    section: 'remediation',
    default: 'false',
    doc: '`true` lets a person choose `Delete` in the document; implied by `remediationAction=Delete`. Only then may the remediate function delete keys.',
  }),
};

/** The parsed options. */
export type AccessKeyOptionValues = OptionValues<typeof ACCESS_KEY_OPTIONS>;

/** The rule's deploy options and the combinations it refuses. */
export const ACCESS_KEY_DEPLOYMENT: DeployDefinition<typeof ACCESS_KEY_OPTIONS> = {
  options: ACCESS_KEY_OPTIONS,
  conflicts(values, given) {
    const errors = configRuleConflicts(values, given);
    if (values.remediation === 'off') {
      for (const name of ['remediationAction', 'remediationAllowDelete'].filter((name) => given.has(name))) {
        errors.push(`--param ${name}: applies only with remediation manual or automatic, not off`);
      }
    }
    if (values.remediation === 'automatic' && values.countInactiveKeys && values.remediationAction === 'Deactivate') {
      errors.push(
        '--param remediation=automatic with countInactiveKeys=true and remediationAction=Deactivate: ' +
          'deactivated keys still count, so remediation cannot make those users compliant; use remediationAction=Delete or countInactiveKeys=false',
      );
    }
    return errors;
  },
  maxInputParameters,
};
