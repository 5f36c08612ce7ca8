import type { ChildProcess } from 'node:child_process';
import type { AutomationDocument, DocumentStep } from './automationDocument';
import { runPythonScript } from './executeScript';
import type { ParameterValues } from './parameterValues';
import { renderText } from './renderText';
import { selectedOutputs } from './selectedOutputs';

/** What Lambda's Invoke answered, as aws:invokeLambdaFunction sees it: the payload bytes as text, FunctionError when the function failed. */
export interface InvokeAnswer {
  Payload: string;
  FunctionError?: string;
}

/** One step as it ran. */
export interface StepExecution {
  name: string;
  action: string;
  status: 'Success' | 'Failed';
  /** The step's outputs: the action's own, then the selected ones; only those it produced. */
  outputs: Record<string, unknown>;
  failureMessage?: string;
  /** aws:executeScript: the local Python version that ran the script. */
  python?: string;
}

/** One execution of the document, as Automation reports it. */
export interface AutomationExecution {
  status: 'Success' | 'Failed';
  steps: StepExecution[];
  /** The document's `outputs` that the execution produced, by `Step.Output`. */
  outputs: Record<string, unknown>;
  /** The failed step's message. */
  failureMessage?: string;
}

/** How the steps reach the outside: the function an invoke step calls, the child processes a script runs in. */
export interface AutomationHandlers {
  invokeLambdaFunction(step: DocumentStep, payload: string): Promise<InvokeAnswer>;
  track?: (child: ChildProcess) => void;
}

/**
 * Runs the document's mainSteps as Automation does, for the actions this project's documents use:
 * aws:invokeLambdaFunction (the documented outputs StatusCode, Payload, FunctionError when set;
 * a step that also declares custom outputs is refused, as no AWS document settles their form) and
 * aws:executeScript in Python (run locally with python3; its outputs selected as `$.Payload.<field>`).
 * Steps run in order, or to `nextStep`, until `isEnd` or the last; a failed step is tried again up
 * to `maxAttempts`, then ends the execution Failed (`onFailure: Abort`, the only one supported).
 * A `{{ Step.Output }}` that the step did not produce fails naming it.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html
 */
export async function runDocument(
  document: AutomationDocument,
  values: ParameterValues,
  executionId: string,
  handlers: AutomationHandlers,
): Promise<AutomationExecution> {
  const steps = document.mainSteps;
  const produced: Record<string, unknown> = {};
  const executed: StepExecution[] = [];
  let index = 0;
  while (index < steps.length) {
    const step = steps[index]!;
    const onFailure = step.onFailure ?? 'Abort';
    if (onFailure !== 'Abort') throw new Error(`Step ${step.name}: onFailure ${onFailure} is not supported here`);
    const attempts = Math.max(1, Number(step.maxAttempts ?? 1));
    let run: StepExecution | undefined;
    for (let attempt = 1; attempt <= attempts && run?.status !== 'Success'; attempt += 1)
      run = await runStep(step, values, executionId, produced, handlers);
    executed.push(run!);
    for (const [name, value] of Object.entries(run!.outputs)) produced[`${step.name}.${name}`] = value;
    if (run!.status === 'Failed') return { status: 'Failed', steps: executed, outputs: {}, failureMessage: run!.failureMessage! };
    if (step.isEnd === true || step.isEnd === 'true') break;
    if (step.nextStep === undefined) index += 1;
    else {
      index = steps.findIndex((candidate) => candidate.name === step.nextStep);
      if (index < 0) throw new Error(`Step ${step.name}: nextStep ${step.nextStep} is not a step of the document`);
    }
  }
  const outputs = Object.fromEntries((document.outputs ?? []).filter((name) => name in produced).map((name) => [name, produced[name]]));
  return { status: 'Success', steps: executed, outputs };
}

async function runStep(
  step: DocumentStep,
  values: ParameterValues,
  executionId: string,
  produced: Record<string, unknown>,
  handlers: AutomationHandlers,
): Promise<StepExecution> {
  const render = (text: string) => renderText(text, values, executionId, produced);
  if (step.action === 'aws:invokeLambdaFunction') {
    if ((step.outputs ?? []).length > 0)
      throw new Error(`Step ${step.name}: custom outputs on aws:invokeLambdaFunction depend on behaviour no AWS document settles`);
    const payload = step.inputs?.Payload;
    if (typeof payload !== 'string') throw new Error(`Step ${step.name}: a Payload string is needed`);
    const answer = await handlers.invokeLambdaFunction(step, render(payload));
    // A function error is the step's FunctionError output, not a failed step.
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-lamb.html
    const outputs = { StatusCode: 200, Payload: answer.Payload, ...(answer.FunctionError ? { FunctionError: answer.FunctionError } : {}) };
    return { name: step.name, action: step.action, status: 'Success', outputs };
  }
  if (step.action === 'aws:executeScript') {
    const inputs = step.inputs ?? {};
    if (typeof inputs.Runtime !== 'string' || !/^python3\.\d+$/.test(inputs.Runtime))
      throw new Error(`Step ${step.name}: only Python scripts run here, not Runtime ${String(inputs.Runtime)}`);
    if (typeof inputs.Script !== 'string' || typeof inputs.Handler !== 'string')
      throw new Error(`Step ${step.name}: an inline Script and a Handler are needed`);
    const events = Object.fromEntries(
      Object.entries((inputs.InputPayload ?? {}) as Record<string, unknown>).map(([name, value]) => [
        name,
        typeof value === 'string' ? render(value) : value,
      ]),
    );
    const outcome = await runPythonScript(
      { script: inputs.Script, handler: inputs.Handler, events, context: { 'automation:EXECUTION_ID': executionId } },
      handlers.track,
    );
    if (outcome.status === 'Failed') {
      return {
        name: step.name,
        action: step.action,
        status: 'Failed',
        outputs: {},
        failureMessage: `${outcome.errorType}: ${outcome.message}`,
        python: outcome.python,
      };
    }
    const stepOutputs = { Payload: outcome.payload, ...selectedOutputs(step, outcome.payload) };
    return { name: step.name, action: step.action, status: 'Success', outputs: stepOutputs, python: outcome.python };
  }
  throw new Error(`Step ${step.name}: ${step.action} steps do not run here`);
}
