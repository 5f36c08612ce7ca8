import { InvalidParameterError } from '../config/errors';
import { PARAMETER_OPTIONS } from '../iam-user-single-access-key/parameters';
import { defaultText, type Option } from '../options/Option';
import { flag as trueOrFalse } from '../options/OptionKind';
import { UsageError } from './errors';

/** A rule parameter taken as a command-line flag. */
export interface RuleFlag {
  /** The rule's parameter name, e.g. `maxAccessKeys`; also the flag's key in commander's options. */
  parameter: string;
  /** The flag, e.g. `--max-access-keys`. */
  flag: string;
  /** The parameter's definition: what it takes, its default, what it means. */
  definition: Option<unknown>;
}

/** `maxAccessKeys` -> `max-access-keys`. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * The rule's parameters as flags, from the rule's own parameter definitions. The runtime's own
 * parameters (execution role, recordUnchanged) are not among them: they are the Lambda runtime's
 * business (the CLI has --role-arn instead, and records nothing).
 */
export const RULE_FLAGS: readonly RuleFlag[] = Object.entries(PARAMETER_OPTIONS as Record<string, Option<unknown>>).map(
  ([parameter, definition]) => ({ parameter, flag: `--${kebabCase(parameter)}`, definition }),
);

/** Whether the flag may stand alone, for "true": a true-or-false parameter. */
export function standsAlone(rule: RuleFlag): boolean {
  return rule.definition.kind === trueOrFalse;
}

/** A rule flag as help shows it (`--max-access-keys <value>`, `--count-inactive-keys [true|false]`); undefined for any other option. */
export function flagTerm(long: string | undefined): string | undefined {
  const rule = RULE_FLAGS.find((candidate) => candidate.flag === long);
  return rule && `${rule.flag} ${standsAlone(rule) ? '[true|false]' : '<value>'}`;
}

/** The flag's help, from the parameter's definition: what it means, what it takes, its default. */
export function flagHelp(rule: RuleFlag): string {
  const { definition } = rule;
  const takes = standsAlone(rule) ? `${definition.kind.expected}, alone: true` : definition.kind.expected;
  return plainText(`${definition.doc} Takes ${takes}; default: ${defaultText(definition)}.`);
}

/**
 * The InputParameters the deployed rule would receive for these flags: every value a string, only
 * the flags given. A bare true-or-false flag (`--count-inactive-keys`) stands for "true"; any
 * other flag needs a value.
 */
export function ruleInputParameters(options: Readonly<Record<string, unknown>>): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const rule of RULE_FLAGS) {
    const value = options[rule.parameter];
    if (value === undefined) continue;
    if (value === true && !standsAlone(rule)) {
      throw new UsageError(`option '${rule.flag}' needs a value: ${rule.definition.kind.expected}`);
    }
    raw[rule.parameter] = value === true ? 'true' : String(value);
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

/** Markdown's inline code marks dropped, for a terminal. */
function plainText(markdown: string): string {
  return markdown.replace(/`([^`]*)`/g, '$1');
}
