import { InvalidParameterError } from '../config/errors';
import { PARAMETER_NAMES } from '../iam-user-single-access-key/parameters';
import { UsageError } from './errors';

/** A rule parameter taken as a command-line flag. */
export interface RuleFlag {
  /** The rule's parameter name, e.g. `maxAccessKeys`; also the flag's key in commander's options. */
  parameter: string;
  /** The flag, e.g. `--max-access-keys`. */
  flag: string;
}

/** `maxAccessKeys` -> `max-access-keys`. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * The rule's parameters as flags, from the rule's own list of names. The runtime's own parameters
 * (execution role, recordUnchanged) are not in it: they are the Lambda runtime's business (the
 * CLI has --role-arn instead, and records nothing).
 */
export const RULE_FLAGS: readonly RuleFlag[] = PARAMETER_NAMES.map((parameter) => ({ parameter, flag: `--${kebabCase(parameter)}` }));

/**
 * The InputParameters the deployed rule would receive for these flags: every value a string, only
 * the flags given. A bare flag (`--count-inactive-keys`) stands for "true".
 */
export function ruleInputParameters(options: Readonly<Record<string, unknown>>): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const { parameter } of RULE_FLAGS) {
    const value = options[parameter];
    if (value === undefined) continue;
    raw[parameter] = value === true ? 'true' : String(value);
  }
  return raw;
}

/** The rule's InvalidParameterError as a usage error naming the flag rather than the parameter. */
export function flagError(error: InvalidParameterError): UsageError {
  const flag = RULE_FLAGS.find((candidate) => candidate.parameter === error.parameter)?.flag ?? error.parameter;
  const prefix = `Invalid rule parameter "${error.parameter}": `;
  const reason = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return new UsageError(`option '${flag}': ${reason}`);
}
