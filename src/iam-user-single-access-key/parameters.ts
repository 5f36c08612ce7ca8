import { ruleParameterOptions, type RuleParameters, ruleParametersOf } from '../config/ruleParameters';
import { ACCESS_KEY_OPTIONS } from './options';

/** The rule's parameters, parsed (derived from ACCESS_KEY_OPTIONS, as are the names, defaults and parser below). */
export type AccessKeyRuleParameters = RuleParameters<typeof ACCESS_KEY_OPTIONS>;

/**
 * The rule's own parameter names (the runtime's are not among them); the defaults, CIS's reading
 * of one active key; the parser of InputParameters less the runtime's own (an unknown name or a
 * malformed value is an InvalidParameterError naming the parameter).
 */
export const {
  names: PARAMETER_NAMES,
  defaults: DEFAULT_PARAMETERS,
  parse: parseAccessKeyRuleParameters,
} = ruleParametersOf(ACCESS_KEY_OPTIONS);

/** The definitions of the rule's own parameters (values, default, meaning), for the command line's flags and help. */
export const PARAMETER_OPTIONS = ruleParameterOptions(ACCESS_KEY_OPTIONS);
