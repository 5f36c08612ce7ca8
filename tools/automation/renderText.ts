import { isDeployTime, type ParameterValues } from './parameterValues';

/**
 * `text` with every `{{ Name }}` replaced as Automation does: a document parameter, the
 * automation:EXECUTION_ID variable, or `Step.Output` from `outputs` (an object or list as JSON).
 * An unknown name, an output the step did not produce, or a value only known at deploy time fails naming it.
 */
export function renderText(text: string, values: ParameterValues, executionId: string, outputs: Record<string, unknown> = {}): string {
  return text.replace(/\{\{\s*([\w:.-]+)\s*\}\}/g, (_match, name: string) => {
    if (name === 'automation:EXECUTION_ID') return executionId;
    if (/^\w+\.\w+$/.test(name)) {
      if (!Object.hasOwn(outputs, name)) throw new Error(`{{ ${name} }}: no earlier step produced that output`);
      const output = outputs[name];
      return typeof output === 'string' ? output : JSON.stringify(output);
    }
    const value = values[name];
    if (value === undefined) throw new Error(`{{ ${name} }} is neither a parameter of the document nor an Automation variable known here`);
    if (isDeployTime(value)) throw new Error(`{{ ${name} }} is only known once the stack is deployed`);
    return value;
  });
}
