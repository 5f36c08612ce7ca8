import { RUNTIME_PARAMETERS } from '../config/runtimeParameters';
import { type Option, parseOptionText } from '../options/Option';
import { parseRuleParameters, ruleParameterOptions } from '../options/parseRuleParameters';
import { ACCESS_KEY_OPTIONS, type AccessKeyOptionValues } from './options';

/** The rule's parameters, parsed. */
export interface AccessKeyRuleParameters {
  /** NON_COMPLIANT when the counted keys exceed this. */
  maxAccessKeys: number;
  /** Count keys of every status, not only Active ones. */
  countInactiveKeys: boolean;
  /** Users with these names are NOT_APPLICABLE. */
  exemptUserNames: ReadonlySet<string>;
  /** Users carrying this tag (with this value, if one is given) are NOT_APPLICABLE. */
  exemptTag?: { key: string; value?: string };
  /** Keys younger than this are not counted, so a rotation's overlap is not a finding. */
  rotationGraceHours: number;
}

// executionRoleName and recordUnchanged are the runtime's own parameters (createRuleHandler takes them out before this parser).
const RULE_OPTIONS = Object.fromEntries(
  Object.entries(ruleParameterOptions(ACCESS_KEY_OPTIONS)).filter(([name]) => !RUNTIME_PARAMETERS.includes(name)),
);

/** Every parameter name the rule accepts, the runtime's own included. */
export const PARAMETER_NAMES = [...Object.keys(RULE_OPTIONS), ...RUNTIME_PARAMETERS];

const defaultOf = <T>(definition: Option<T>): T => parseOptionText(definition, definition.default) as T;

/** The defaults (ACCESS_KEY_OPTIONS): CIS's reading, one active key. */
export const DEFAULT_PARAMETERS: AccessKeyRuleParameters = {
  maxAccessKeys: defaultOf(ACCESS_KEY_OPTIONS.maxAccessKeys),
  countInactiveKeys: defaultOf(ACCESS_KEY_OPTIONS.countInactiveKeys),
  exemptUserNames: new Set(),
  rotationGraceHours: defaultOf(ACCESS_KEY_OPTIONS.rotationGraceHours),
};

/**
 * Parses Config InputParameters (less the runtime's own, RUNTIME_PARAMETERS). Every value is a string;
 * an empty one means the default. An unknown name or a malformed value is an
 * InvalidParameterError naming the parameter: a typo must not silently fall back to the default.
 */
export function parseAccessKeyRuleParameters(raw: Readonly<Record<string, string>>): AccessKeyRuleParameters {
  const values = parseRuleParameters(RULE_OPTIONS as Partial<typeof ACCESS_KEY_OPTIONS>, raw) as Partial<AccessKeyOptionValues>;
  const parameters: AccessKeyRuleParameters = {
    ...DEFAULT_PARAMETERS,
    ...(values.maxAccessKeys !== undefined && { maxAccessKeys: values.maxAccessKeys }),
    ...(values.countInactiveKeys !== undefined && { countInactiveKeys: values.countInactiveKeys }),
    ...(values.exemptUserNames !== undefined && { exemptUserNames: new Set(values.exemptUserNames) }),
    ...(values.rotationGraceHours !== undefined && { rotationGraceHours: values.rotationGraceHours }),
  };
  if (values.exemptTag !== undefined) parameters.exemptTag = values.exemptTag;
  return parameters;
}
