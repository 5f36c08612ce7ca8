import { InvalidParameterError } from './errors';

/** A Config rule's InputParameters are not a JSON object; the message names where they came from. */
export class MalformedInputParametersError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MalformedInputParametersError';
  }
}

/**
 * A Config rule's InputParameters (a JSON object, as text) as name -> text, read the same way
 * wherever they come from (the event's `ruleParameters`, DescribeConfigRules). Config documents
 * InputParameters only as "a string, in JSON format": the console and this project's packaging
 * write every value as a string, but CloudFormation's and the CDK's InputParameters take any JSON,
 * so an unquoted number or boolean reaches the function as one. Such a value is taken as its JSON
 * text (2 -> "2", true -> "true") and parsed like the string; any other value (null, a list, an
 * object) is an InvalidParameterError naming the parameter. `source` names the text in messages.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html (InputParameters)
 */
export function parseInputParameters(text: string | undefined, source: string): Record<string, string> {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new MalformedInputParametersError(`${source} is not valid JSON`, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MalformedInputParametersError(`${source} is not a JSON object: ${text.slice(0, 80)}`);
  }
  // A null prototype keeps a parameter named __proto__ as an entry, for the parser to refuse by name.
  const result = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === 'string') result[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') result[name] = JSON.stringify(value);
    else throw new InvalidParameterError(name, `expected a string (or a number or boolean), got ${JSON.stringify(value)}`);
  }
  return result;
}
