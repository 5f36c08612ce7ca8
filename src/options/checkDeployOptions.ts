import { closest, distance } from 'fastest-levenshtein';
import { isOptionName, type OptionValues, type Options, parseOptionText } from './Option';
import { OptionValueError } from './OptionKind';

/** What a deployment of a Config rule may be given, and which combinations it refuses. */
export interface DeployDefinition<D extends Options> {
  readonly options: D;
  /** Each contradiction among valid values, as one line naming the options and the reason. */
  conflicts(values: OptionValues<D>, given: ReadonlySet<string>): string[];
  /** The most characters of InputParameters (as JSON) the chosen mode's Config rule takes. */
  maxInputParameters(values: OptionValues<D>): number;
}

/** The outcome of checking the deploy options: the values, or one line per error. */
export interface DeployOptionsCheck<D extends Options> {
  /** The text of every option: given, else its default. */
  texts: Record<string, string>;
  values: OptionValues<D>;
  /** The Config rule's InputParameters: each rule parameter with a non-empty text. */
  inputParameters: Record<string, string>;
  /** One line each; empty when the options are valid. */
  errors: string[];
}

/**
 * Checks deploy options (`--param name=value`, every value a string) against a definition, as the
 * packaging step does before anything reaches AWS: every name known, every value valid by the same
 * kind the runtime parses it with, no contradiction, InputParameters within the rule's limit.
 */
export function checkDeployOptions<D extends Options>(
  definition: DeployDefinition<D>,
  given: Readonly<Record<string, string>>,
): DeployOptionsCheck<D> {
  const { options } = definition;
  const names = Object.keys(options);
  const errors: string[] = [];
  for (const name of Object.keys(given)) {
    if (!isOptionName(options, name)) {
      const nearest = closest(name, names);
      // A suggestion only for a likely typo: at most a third of the name's letters differ.
      const suggestion = distance(name, nearest) <= Math.max(2, Math.floor(name.length / 3)) ? ` did you mean ${nearest}?` : '';
      errors.push(`--param ${name}: unknown option;${suggestion} options: ${names.join(', ')}`);
    }
  }
  const isSet = (name: string) => Object.hasOwn(given, name) && given[name].trim() !== '';
  const texts: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parse = (name: string, text: string) => {
    texts[name] = text;
    try {
      values[name] = parseOptionText(options[name], text);
    } catch (error) {
      if (!(error instanceof OptionValueError)) throw error;
      errors.push(`--param ${name}: ${isSet(name) ? '' : `default ${JSON.stringify(text)}: `}${error.message}`);
    }
  };
  for (const name of names) {
    if (isSet(name)) parse(name, given[name].trim());
    else if (!options[name].defaultFrom) parse(name, options[name].default);
  }
  for (const name of names) {
    const { defaultFrom } = options[name];
    if (!isSet(name) && defaultFrom) parse(name, errors.length === 0 ? defaultFrom(values) : '');
  }
  const typed = values as OptionValues<D>;
  const inputParameters: Record<string, string> = {};
  for (const name of names) {
    if (options[name].use !== 'deploy' && texts[name] !== '') inputParameters[name] = texts[name];
  }
  if (errors.length === 0) {
    errors.push(...definition.conflicts(typed, new Set(names.filter(isSet))));
    const length = JSON.stringify(inputParameters).length;
    const limit = definition.maxInputParameters(typed);
    if (length > limit) {
      const longest = Object.keys(inputParameters).reduce((a, b) => (inputParameters[a].length >= inputParameters[b].length ? a : b));
      errors.push(
        `The rule parameters take ${length} characters as JSON (InputParameters), more than the ${limit} this Config rule takes; ` +
          `the longest is ${longest} (${inputParameters[longest].length} characters)`,
      );
    }
  }
  return { texts, values: typed, inputParameters, errors };
}
