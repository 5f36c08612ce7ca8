import { RECORD_UNCHANGED_OPTION } from '../options/configRuleOptions';
import { parseOptionText } from '../options/Option';
import { OptionValueError } from '../options/OptionKind';
import { InvalidParameterError } from './errors';
import { EXECUTION_ROLE_PARAMETER } from './executionRole';

/** The parameter of the runtime: record every periodic verdict, even one Config already holds. */
export const RECORD_UNCHANGED_PARAMETER = 'recordUnchanged';

/** The rule parameters the runtime takes for itself; a rule's parser never sees them. */
export const RUNTIME_PARAMETERS: readonly string[] = [EXECUTION_ROLE_PARAMETER, RECORD_UNCHANGED_PARAMETER];

/** The runtime's parameters, parsed. */
export interface RuntimeParameters {
  /** The role to assume in the evaluated account (checked by executionRoleArn). */
  executionRoleName?: string;
  /** Record every periodic verdict (true), or only those Config does not already hold (false). */
  recordUnchanged: boolean;
}

/**
 * Splits InputParameters into the runtime's parameters, parsed by their option definitions
 * (an InvalidParameterError names a malformed one), and the rule's, left as text for its parser.
 */
export function splitRuntimeParameters(raw: Readonly<Record<string, string>>): {
  runtime: RuntimeParameters;
  rule: Record<string, string>;
} {
  // fromEntries defines each name as an own entry: a parameter named __proto__ stays one, for the rule to refuse.
  const rule = Object.fromEntries(Object.entries(raw).filter(([name]) => !RUNTIME_PARAMETERS.includes(name)));
  let recordUnchanged: boolean | undefined;
  try {
    recordUnchanged =
      parseOptionText(RECORD_UNCHANGED_OPTION, raw[RECORD_UNCHANGED_PARAMETER] ?? '') ??
      parseOptionText(RECORD_UNCHANGED_OPTION, RECORD_UNCHANGED_OPTION.default);
  } catch (error) {
    if (error instanceof OptionValueError) throw new InvalidParameterError(RECORD_UNCHANGED_PARAMETER, error.message);
    throw error;
  }
  return { runtime: { executionRoleName: raw[EXECUTION_ROLE_PARAMETER], recordUnchanged: recordUnchanged === true }, rule };
}
