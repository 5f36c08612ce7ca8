import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import type { FakeAws, FakeAwsCall } from '../../tools/fakeAws';
import { emfDocumentsIn } from '../../tools/lambda/emfDocuments';
import { extractZip } from '../../tools/lambda/extractZip';
import { LambdaProcess } from '../../tools/lambda/LambdaProcess';
import type { PackagedFunction } from '../../tools/lambda/packagedFunction';
import type { ShownInvocation } from './DemoReport';
import { DEMO_REGION } from './packageForDemo';
import type { Resources } from './Resources';

/** The demo waits at most this long for one invocation, whatever the function's timeout. */
const DEMO_INVOCATION_LIMIT_MS = 120_000;

/** A packaged function with its code extracted, ready to invoke. */
export interface DemoFunction {
  fn: PackagedFunction;
  codeDirectory: string;
}

/** Where the demo runs and what it tells. */
export interface DemoInvokerContext {
  projectDir: string;
  accountId: string;
  resources: Resources;
  log: (line: string) => void;
  /** Told of each call a packaged function makes, with the function (the permission tests evaluate them). */
  observeCalls?: (fn: PackagedFunction, call: FakeAwsCall) => void;
}

/** Extracts a function's zip into a temporary directory, removed when `resources` stop. */
export async function extracted(fn: PackagedFunction, resources: Resources): Promise<DemoFunction> {
  const codeDirectory = await extractZip(fn.zipFile, fn.functionName);
  resources.add(`temporary directory ${codeDirectory}`, () => rmSync(codeDirectory, { recursive: true, force: true }));
  return { fn, codeDirectory };
}

/** Invokes the packaged functions, each invocation in a fresh process of its own, against the stand-in. */
export class DemoInvoker {
  private running: PackagedFunction | undefined;
  private fake: FakeAws | undefined;

  constructor(private readonly context: DemoInvokerContext) {}

  /** The stand-in's call listener: tells `observeCalls` which function made each call. */
  readonly onCall = (call: FakeAwsCall): void => {
    if (this.running) this.context.observeCalls?.(this.running, call);
  };

  /** The stand-in the functions talk to (started with `onCall` as its listener). */
  useStandIn(fake: FakeAws): void {
    this.fake = fake;
  }

  /** Invokes a function once; a FunctionError stops the demo unless `mayFail` (the document's step reports it). */
  async invoke({ fn, codeDirectory }: DemoFunction, event: unknown, label: string, mayFail = false): Promise<ShownInvocation> {
    const { projectDir, accountId, resources, log } = this.context;
    const fake = this.fake;
    if (!fake) throw new Error('DemoInvoker: no stand-in to invoke against');
    fake.reset();
    this.running = fn;
    const lambda = LambdaProcess.start(fn, codeDirectory, {
      endpoint: fake.url,
      region: DEMO_REGION,
      accountId,
      limitMs: DEMO_INVOCATION_LIMIT_MS,
      track: (child) => resources.track(`${fn.functionName} function`, child),
    });
    log(`${label}: ${relative(projectDir, fn.zipFile)} running in process ${lambda.pid}`);
    const started = Date.now();
    const answer = await lambda.invoke(event).finally(() => lambda.stop());
    this.running = undefined;
    const shown: ShownInvocation = {
      function: fn.functionName,
      pid: lambda.pid,
      durationMs: Date.now() - started,
      ...(answer.functionError ? { functionError: answer.functionError } : {}),
      payload: answer.payload,
      calls: fake.stats().byAction,
      metrics: emfDocumentsIn(lambda.logs),
    };
    if (shown.functionError && !mayFail) throw new FunctionFailedError(shown, lambda.logs);
    if (shown.functionError) log(`${label} failed; the function's last log lines:\n${lambda.logs.slice(-20).join('\n')}`);
    return shown;
  }
}

/** A packaged function answered with FunctionError: the demo stops, showing its last log lines. */
export class FunctionFailedError extends Error {
  constructor(
    readonly invocation: ShownInvocation,
    readonly logs: string[],
  ) {
    const payload = invocation.payload as { errorType?: string; errorMessage?: string };
    super(
      `${invocation.function} failed (FunctionError ${invocation.functionError}): ${payload.errorType ?? 'Error'}: ${payload.errorMessage ?? ''}`,
    );
    this.name = 'FunctionFailedError';
  }
}
