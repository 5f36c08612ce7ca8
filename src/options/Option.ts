import { type OptionKind } from './OptionKind';

/**
 * Where an option's value goes: a Config rule parameter (InputParameters, read by the function),
 * a deploy-only option (shapes the template), or both.
 */
export type OptionUse = 'rule parameter' | 'deploy' | 'both';

/**
 * The one definition of an option: the runtime's parser, the packaging step, the README and the
 * tests derive from it. `U` and `D` keep the literal `use` and `default`, so that the parsed
 * parameters' type can be derived from the definitions (src/config/ruleParameters.ts).
 */
export interface Option<T, U extends OptionUse = OptionUse, D extends string = string> {
  readonly kind: OptionKind<T>;
  readonly use: U;
  /** The text used when the option is not set or empty; '' means "not set". */
  readonly default: D;
  /** A default that depends on other options (given their values), instead of `default`; packaging only. */
  readonly defaultFrom?: (values: Readonly<Record<string, unknown>>) => string;
  /** The default as the README shows it, when `defaultFrom` decides it. */
  readonly defaultDoc?: string;
  /** One line: what the option does. */
  readonly doc: string;
  /** Where the README lists it (besides the rule-parameter table, which lists every option the function reads). */
  readonly section: OptionSection;
}

/** The README table an option belongs to. */
export type OptionSection = 'rule' | 'deployment' | 'organization' | 'remediation' | 'monitoring';

/** Options by name. */
export type Options = Readonly<Record<string, Option<unknown>>>;

/** The value an option parses to. */
export type ValueOf<O> = O extends Option<infer T> ? T : never;

/** The parsed value of each option; undefined for an option that is not set. */
export type OptionValues<D extends Options> = { [K in keyof D]: ValueOf<D[K]> | undefined };

/** Declares an option (the identity, for type inference). */
export function option<T, U extends OptionUse, D extends string>(definition: Option<T, U, D>): Option<T, U, D> {
  return definition;
}

/**
 * The value of `text` for an option: parsed, or when the text is empty the kind's empty value
 * (an empty list), else undefined. Throws OptionValueError.
 */
export function parseOptionText<T>(definition: Option<T>, text: string): T | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? definition.kind.empty?.() : definition.kind.parse(trimmed);
}

/** The value of an option in its own default, as packaging sets it (no `defaultFrom`). */
export function defaultValueOf<T>(definition: Option<T>): T | undefined {
  return parseOptionText(definition, definition.default);
}

/** Whether a name is one of the options (own names only: `__proto__`, `toString` are not). */
export function isOptionName<D extends Options>(options: D, name: string): name is Extract<keyof D, string> {
  return Object.hasOwn(options, name);
}

/** An option's default as documentation shows it (Markdown): its `defaultDoc`, `none` when unset, else the value as code. */
export function defaultText(option: Option<unknown>): string {
  return option.defaultDoc ?? (option.default === '' ? 'none' : `\`${option.default}\``);
}
