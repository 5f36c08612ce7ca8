import { InvalidParameterError } from '../config/errors';
import { isOptionName, type Option, type OptionValues, type Options, parseOptionText } from './Option';
import { OptionValueError } from './OptionKind';

/** The options a Config rule's function reads from InputParameters (rule parameters, and those used by both). */
export function ruleParameterOptions(options: Options): Record<string, Option<unknown>> {
  return Object.fromEntries(Object.entries(options).filter(([, definition]) => definition.use !== 'deploy'));
}

/**
 * Parses Config InputParameters by their definitions: the value of each one given with a
 * non-empty text (each parsed exactly as the packaging step checks it). An unknown name or a
 * malformed value is an InvalidParameterError naming the parameter.
 */
export function parseRuleParameters<D extends Options>(options: D, raw: Readonly<Record<string, string>>): Partial<OptionValues<D>> {
  const values: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(raw)) {
    if (!isOptionName(options, name))
      throw new InvalidParameterError(name, `unknown parameter; the rule takes ${Object.keys(options).join(', ')}`);
    try {
      const value = parseOptionText(options[name], text);
      if (value !== undefined) values[name] = value;
    } catch (error) {
      if (error instanceof OptionValueError) throw new InvalidParameterError(name, error.message);
      throw error;
    }
  }
  return values as Partial<OptionValues<D>>;
}
