import { RUNTIME_PARAMETER_OPTIONS, RUNTIME_PARAMETERS } from '../options/runtimeOptions';
import { parameterSet, type ParameterValues } from './ruleParameters';

/** The runtime's own parameters, parsed: the execution role to assume, and whether to record unchanged results. */
export type RuntimeParameters = ParameterValues<typeof RUNTIME_PARAMETER_OPTIONS>;

const RUNTIME = parameterSet(RUNTIME_PARAMETER_OPTIONS);

/**
 * Splits InputParameters into the runtime's own parameters, parsed by their option definitions
 * (an InvalidParameterError names a malformed one), and the rule's, left as text for its parser.
 */
export function splitRuntimeParameters(raw: Readonly<Record<string, string>>): {
  runtime: RuntimeParameters;
  rule: Record<string, string>;
} {
  const entries = Object.entries(raw);
  // fromEntries defines each name as an own entry: a parameter named __proto__ stays one, for the rule to refuse.
  const rule = Object.fromEntries(entries.filter(([name]) => !RUNTIME_PARAMETERS.includes(name)));
  const runtime = RUNTIME.parse(Object.fromEntries(entries.filter(([name]) => RUNTIME_PARAMETERS.includes(name))));
  return { runtime, rule };
}
