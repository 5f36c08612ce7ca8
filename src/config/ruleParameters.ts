import { defaultValueOf, isOptionName, type Option, type Options, type OptionUse, parseOptionText, type ValueOf } from '../options/Option';
import { OptionValueError } from '../options/OptionKind';
import { RUNTIME_PARAMETERS, type RuntimeParameterName } from '../options/runtimeOptions';
import { InvalidParameterError } from './errors';

/** Whether an option can be left without a value: an empty default, and not a list (an empty list is a value). */
type Unsettable<O> =
  O extends Option<infer T, OptionUse, infer D>
    ? D extends ''
      ? T extends readonly unknown[] | ReadonlySet<unknown>
        ? false
        : true
      : false
    : false;

/** The parsed values of a set of options: each option with a default always has one, the others are optional. */
export type ParameterValues<D extends Options> = {
  -readonly [K in keyof D as Unsettable<D[K]> extends true ? never : K]: ValueOf<D[K]>;
} & {
  -readonly [K in keyof D as Unsettable<D[K]> extends true ? K : never]?: ValueOf<D[K]>;
};

/** The options of `D` that are a rule's own parameters: read from InputParameters, and not the runtime's. */
export type RuleParameterOptions<D extends Options> = {
  [K in keyof D as K extends RuntimeParameterName ? never : D[K] extends Option<unknown, 'deploy'> ? never : K]: D[K];
};

/** A rule's parsed parameters, derived from its option definitions. */
export type RuleParameters<D extends Options> = ParameterValues<RuleParameterOptions<D>>;

/** Parameters parsed by their option definitions. */
export interface ParameterSet<V> {
  /** Their names, in the order of the definitions. */
  readonly names: readonly string[];
  /** The value of each parameter when none is given. */
  readonly defaults: V;
  /**
   * Parses InputParameters (every value a string; an empty one means the default). An unknown
   * name or a malformed value is an InvalidParameterError naming the parameter: a typo must not
   * silently fall back to the default.
   */
  parse(raw: Readonly<Record<string, string>>): V;
}

/** Parameters parsed by the definitions `options`, each value exactly as the packaging step checks it. */
export function parameterSet<D extends Options>(options: D): ParameterSet<ParameterValues<D>> {
  const names = Object.keys(options);
  const parse = (raw: Readonly<Record<string, string>>): ParameterValues<D> => {
    const values: Record<string, unknown> = {};
    for (const [name, text] of Object.entries(raw)) {
      if (!isOptionName(options, name)) throw new InvalidParameterError(name, `unknown parameter; the rule takes ${names.join(', ')}`);
      try {
        values[name] = parseOptionText(options[name], text);
      } catch (error) {
        if (error instanceof OptionValueError) throw new InvalidParameterError(name, error.message);
        throw error;
      }
    }
    for (const name of names) {
      values[name] ??= defaultValueOf(options[name]);
      if (values[name] === undefined) delete values[name];
    }
    return values as ParameterValues<D>;
  };
  return { names, defaults: parse({}), parse };
}

/** The options of a rule that are its own parameters (not deploy-only, not the runtime's). */
export function ruleParameterOptions<D extends Options>(options: D): RuleParameterOptions<D> {
  return Object.fromEntries(
    Object.entries(options).filter(([name, definition]) => definition.use !== 'deploy' && !RUNTIME_PARAMETERS.includes(name)),
  ) as RuleParameterOptions<D>;
}

/** A rule's parameters, derived from all its options: its names, defaults and parser. */
export function ruleParametersOf<D extends Options>(options: D): ParameterSet<RuleParameters<D>> {
  return parameterSet(ruleParameterOptions(options) as Options) as ParameterSet<RuleParameters<D>>;
}
