import { execFileSync } from 'node:child_process';

/** A step of an Automation document, as far as these tests read it. */
export interface AutomationStep {
  name: string;
  action: string;
  inputs: Record<string, unknown>;
  outputs?: { Name: string; Selector: string; Type?: string }[];
  nextStep?: string;
  isEnd?: boolean;
  onFailure?: string;
}

/** What the function answered: its returned JSON, or its error object with FunctionError set. */
export interface FunctionAnswer {
  payload: unknown;
  functionError?: 'Handled' | 'Unhandled';
}

/**
 * The outputs aws:invokeLambdaFunction leaves: its own (StatusCode, FunctionError only when set,
 * Payload as a string) and the step's selected ones, each selector applied to the returned JSON.
 * A selector that matches nothing leaves its output unset.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-lamb.html
 */
export function invokeOutputs(step: AutomationStep, answer: FunctionAnswer): Record<string, unknown> {
  const outputs: Record<string, unknown> = { StatusCode: 200, Payload: JSON.stringify(answer.payload) };
  if (answer.functionError) outputs.FunctionError = answer.functionError;
  for (const output of step.outputs ?? []) {
    const value = select(output.Selector, answer.payload);
    if (value !== undefined) outputs[output.Name] = value;
  }
  return outputs;
}

/** `$` (the whole object) or `$.a.b`: the only selector forms the document may use. */
export function select(selector: string, value: unknown): unknown {
  if (selector === '$') return value;
  if (!/^\$(\.\w+)+$/.test(selector)) throw new Error(`unsupported selector ${selector}`);
  let current = value;
  for (const field of selector.slice(2).split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, field)) return undefined;
    current = (current as Record<string, unknown>)[field];
  }
  return current;
}

type Condition = Record<string, unknown>;

/**
 * The step aws:branch goes to: the first choice that holds, else Default, else undefined (the
 * next step). A `{{ Step.Output }}` that resolves to nothing makes its comparison false here;
 * Automation may instead fail the step, which fails the execution just as well.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-branch.html
 */
export function branchTarget(step: AutomationStep, outputs: Record<string, Record<string, unknown>>): string | undefined {
  const choices = step.inputs.Choices as (Condition & { NextStep: string })[];
  const holds = (condition: Condition): boolean => {
    if (Array.isArray(condition.And)) return (condition.And as Condition[]).every(holds);
    if (Array.isArray(condition.Or)) return (condition.Or as Condition[]).some(holds);
    if (condition.Not) return !holds(condition.Not as Condition);
    const value = resolve(condition.Variable as string, outputs);
    if ('StringEquals' in condition) return typeof value === 'string' && value === condition.StringEquals;
    if ('BooleanEquals' in condition) return typeof value === 'boolean' && value === condition.BooleanEquals;
    throw new Error(`unsupported condition ${JSON.stringify(condition)}`);
  };
  return choices.find(holds)?.NextStep ?? (step.inputs.Default as string | undefined);
}

function resolve(variable: string, outputs: Record<string, Record<string, unknown>>): unknown {
  const match = /^\{\{\s*(\w+)\.(\w+)\s*\}\}$/.exec(variable);
  if (!match) throw new Error(`unsupported variable ${variable}`);
  return outputs[match[1]!]?.[match[2]!];
}

/**
 * Runs an aws:executeScript Python step locally with its InputPayload rendered from the step
 * outputs: the exception text it raises, or undefined when it returns.
 */
export function runPythonStep(step: AutomationStep, outputs: Record<string, Record<string, unknown>>): string | undefined {
  const events = Object.fromEntries(
    Object.entries(step.inputs.InputPayload as Record<string, string>).map(([name, template]) => [
      name,
      template.replace(/\{\{\s*(\w+)\.(\w+)\s*\}\}/g, (_, stepName: string, output: string) => String(outputs[stepName]?.[output] ?? '')),
    ]),
  );
  const program = `${step.inputs.Script as string}
import json, sys
try:
    ${step.inputs.Handler as string}(json.loads(sys.stdin.read()), None)
except Exception as error:
    print('RAISED:' + str(error))
`;
  const printed = execFileSync('python3', ['-c', program], { input: JSON.stringify(events), encoding: 'utf8' }).trim();
  return printed.startsWith('RAISED:') ? printed.slice('RAISED:'.length) : undefined;
}
