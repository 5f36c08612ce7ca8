import { randomUUID } from 'node:crypto';
import { PythonNotFoundError } from '../../tools/automation/executeScript';
import { configuredValues, isDeployTime, resolveParameters } from '../../tools/automation/parameterValues';
import type { Remediation } from '../../tools/automation/remediationOf';
import { type AutomationExecution, runDocument } from '../../tools/automation/runDocument';
import type { FakeUser } from '../../tools/fakeAws';
import type { DemoFunction, DemoInvoker } from './DemoInvoker';
import { type DemoReport, type RemediationRun, type ShownExecution, type ShownInvocation, shownKeys } from './DemoReport';
import type { DemoStandIn } from './DemoStandIn';
import type { Resources } from './Resources';

/**
 * The remediation document, run as Automation would for the sample account's user to remediate
 * (which Config must hold NON_COMPLIANT): a dry run, as a person starts it from Systems Manager
 * with DryRun=true, then a run with what Config passes. Also returns the user's keys before.
 */
export async function remediationRuns(
  standIn: DemoStandIn,
  remediation: Remediation,
  remediate: DemoFunction,
  invoker: DemoInvoker,
  resources: Resources,
): Promise<{ shown: DemoReport['remediation']; keysBefore: FakeUser }> {
  const { fake, account } = standIn;
  const target = account.remediate.userName;
  const targetId = standIn.userIdOf(target);
  const held = standIn.result(targetId).complianceType;
  if (held !== 'NON_COMPLIANT') throw new Error(`sample-account.json: remediate.userName ${target} is ${held}, not NON_COMPLIANT`);
  const base = configuredValues(remediation.parameters, targetId);
  const configured = resolveParameters(remediation.document, base);
  const keysBefore = fake.getUser(target, account.accountId)!;

  const run = async (dryRun: boolean, label: string): Promise<RemediationRun> => {
    const values = dryRun ? resolveParameters(remediation.document, { ...base, DryRun: 'true' }) : configured;
    let sent: { payload: unknown; invocation: ShownInvocation } | undefined;
    const execution = await shownExecution(
      runDocument(remediation.document, values, randomUUID(), {
        invokeLambdaFunction: async (step, payloadText) => {
          if (step.name !== remediation.step.name) throw new Error(`Step ${step.name} invokes a function the demo does not run`);
          const payload: unknown = JSON.parse(payloadText);
          const invocation = await invoker.invoke(remediate, payload, label, true);
          sent = { payload, invocation };
          return {
            Payload: JSON.stringify(invocation.payload ?? null),
            ...(invocation.functionError ? { FunctionError: invocation.functionError } : {}),
          };
        },
        track: (child) => resources.track("python3 (the document's script step)", child),
      }),
    );
    if (!sent) throw new Error(`The remediation document ended before its ${remediation.step.name} step invoked the function`);
    return {
      payload: sent.payload,
      ...(sent.invocation.functionError ? { functionError: sent.invocation.functionError } : {}),
      answer: sent.invocation.payload,
      invocation: sent.invocation,
      execution,
      keysAfter: shownKeys(fake.getUser(target, account.accountId)!, new Date()),
    };
  };
  const dryRun = await run(true, 'Remediation, dry run');
  const realRun = await run(false, 'Remediation');
  const lockTableName = remediate.fn.environment.LOCK_TABLE_NAME;
  const lockTable =
    lockTableName === undefined
      ? undefined
      : { name: lockTableName, itemsAfter: fake.tableItems(lockTableName, account.accountId)?.length ?? 0 };
  const shown: DemoReport['remediation'] = {
    userName: target,
    userId: targetId,
    document: remediation.documentLogicalId,
    step: remediation.step.name,
    parameters: Object.fromEntries(Object.entries(configured).filter((entry): entry is [string, string] => !isDeployTime(entry[1]))),
    keysBefore: shownKeys(keysBefore, standIn.seededAt),
    dryRun,
    run: realRun,
    ...(lockTable ? { lockTable } : {}),
  };
  return { shown, keysBefore };
}

/** The execution as the demo shows it; not known when python3 is missing to run the script step. */
async function shownExecution(running: Promise<AutomationExecution>): Promise<ShownExecution> {
  try {
    const execution = await running;
    return {
      status: execution.status,
      steps: execution.steps.map(({ name, action, status, failureMessage, python }) => ({
        name,
        action,
        status,
        ...(failureMessage ? { failureMessage } : {}),
        ...(python ? { python } : {}),
      })),
      outputs: execution.outputs,
      ...(execution.failureMessage ? { failureMessage: execution.failureMessage } : {}),
    };
  } catch (error) {
    if (!(error instanceof PythonNotFoundError)) throw error;
    return { status: 'Unknown', steps: [], outputs: {}, failureMessage: error.message };
  }
}
