import { type OptionKind } from './OptionKind';

/**
 * Where an option's value goes: a Config rule parameter (InputParameters, read by the function),
 * a deploy-only option (shapes the template), or both.
 */
export type OptionUse = 'rule parameter' | 'deploy' | 'both';

/** The one definition of an option: the runtime's parser, the packaging step, the README and the tests derive from it. */
export interface Option<T> {
  readonly kind: OptionKind<T>;
  readonly use: OptionUse;
  /** The text used when the option is not set or empty; '' means "not set". */
  readonly default: string;
  /** A default that depends on other options (given their values), instead of `default`. */
  readonly defaultFrom?: (values: Readonly<Record<string, unknown>>) => string;
  /** The default as the README shows it, when `defaultFrom` decides it. */
  readonly defaultDoc?: string;
  /** One line: what the option does. */
  readonly doc: string;
  /** Where the README lists it (besides the rule-parameter table, which lists every option the function reads). */
  readonly section: OptionSection;
}

/** The README table an option belongs to. */
export type OptionSection = 'rule' | 'deployment' | 'organization' | 'remediation';

/** Options by name. */
export type Options = Readonly<Record<string, Option<unknown>>>;

/** The parsed value of each option; undefined for an option that is not set. */
export type OptionValues<D extends Options> = { [K in keyof D]: D[K] extends Option<infer T> ? T | undefined : never };

/** Declares an option (the identity, for type inference). */
export function option<T>(definition: Option<T>): Option<T> {
  return definition;
}

/** The value of `text` for an option: parsed, or undefined when the text is empty. Throws OptionValueError. */
export function parseOptionText<T>(definition: Option<T>, text: string): T | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : definition.kind.parse(trimmed);
}

/** Whether a name is one of the options (own names only: `__proto__`, `toString` are not). */
export function isOptionName<D extends Options>(options: D, name: string): name is Extract<keyof D, string> {
  return Object.hasOwn(options, name);
}
