import { InvalidParameterError } from '../config/errors';
import { EXECUTION_ROLE_PARAMETER } from '../config/executionRole';

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

/** The defaults: CIS's reading, one active key. */
export const DEFAULT_PARAMETERS: AccessKeyRuleParameters = {
  maxAccessKeys: 1,
  countInactiveKeys: false,
  exemptUserNames: new Set(),
  rotationGraceHours: 0,
};

const PARSERS: Record<string, (value: string, parameters: AccessKeyRuleParameters) => void> = {
  maxAccessKeys: (value, parameters) => {
    parameters.maxAccessKeys = integer('maxAccessKeys', value, 1);
  },
  countInactiveKeys: (value, parameters) => {
    parameters.countInactiveKeys = boolean('countInactiveKeys', value);
  },
  exemptUserNames: (value, parameters) => {
    const names = value.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
    for (const name of names) {
      // https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html (UserName pattern)
      if (!/^[\w+=,.@-]{1,64}$/.test(name)) {
        throw new InvalidParameterError('exemptUserNames', `${JSON.stringify(name)} is not an IAM user name`);
      }
    }
    parameters.exemptUserNames = new Set(names);
  },
  exemptTag: (value, parameters) => {
    const separator = value.indexOf('=');
    const key = (separator < 0 ? value : value.slice(0, separator)).trim();
    const tagValue = separator < 0 ? undefined : value.slice(separator + 1).trim();
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html
    if (key.length === 0 || key.length > 128) {
      throw new InvalidParameterError('exemptTag', `expected "key" or "key=value" with a key of 1 to 128 characters, got ${JSON.stringify(value)}`);
    }
    if (tagValue !== undefined && tagValue.length > 256) {
      throw new InvalidParameterError('exemptTag', 'the tag value is longer than 256 characters');
    }
    parameters.exemptTag = tagValue === undefined ? { key } : { key, value: tagValue };
  },
  rotationGraceHours: (value, parameters) => {
    parameters.rotationGraceHours = integer('rotationGraceHours', value, 0);
  },
};

/** Every parameter name the rule accepts, the runtime's execution role included. */
export const PARAMETER_NAMES = [...Object.keys(PARSERS), EXECUTION_ROLE_PARAMETER];

/**
 * Parses Config InputParameters. Every value is a string; an empty one means the default.
 * An unknown name or a malformed value is an InvalidParameterError naming the parameter:
 * a typo must not silently fall back to the default.
 */
export function parseAccessKeyRuleParameters(raw: Readonly<Record<string, string>>): AccessKeyRuleParameters {
  const parameters: AccessKeyRuleParameters = { ...DEFAULT_PARAMETERS };
  for (const [name, value] of Object.entries(raw)) {
    const parse = Object.hasOwn(PARSERS, name) ? PARSERS[name] : undefined;
    if (!parse) {
      throw new InvalidParameterError(name, `unknown parameter; the rule takes ${PARAMETER_NAMES.join(', ')}`);
    }
    if (value.trim() !== '') parse(value.trim(), parameters);
  }
  return parameters;
}

function integer(name: string, value: string, minimum: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < minimum) {
    throw new InvalidParameterError(name, `expected a whole number of at least ${minimum}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function boolean(name: string, value: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new InvalidParameterError(name, `expected "true" or "false", got ${JSON.stringify(value)}`);
}
