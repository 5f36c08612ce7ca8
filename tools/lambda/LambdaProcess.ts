import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PackagedFunction } from './packagedFunction';

/** The error object Lambda returns for a function that failed. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** One invocation: what Lambda's Invoke would answer, and what it cost in the function's process. */
export interface LambdaAnswer {
  /** Set when the function failed, as Lambda's Invoke sets it. */
  functionError?: 'Unhandled';
  /** The returned value as JSON would carry it, or the LambdaError when the function failed. */
  payload: unknown;
  /** Time in the handler, measured in the function's process. */
  durationMs: number;
  /** Time to load the handler's module: the first invocation of a process only (a cold start). */
  initMs?: number;
  /** CPU time of the invocation, and the process's resident memory after it. */
  cpuMs: number;
  rssMiB: number;
}

/** Where the function runs and what it talks to. */
export interface LambdaProcessOptions {
  /** AWS_ENDPOINT_URL of the function: the local stand-in of AWS. */
  endpoint: string;
  region: string;
  accountId: string;
  /** Variables set over the function's own environment (the benchmark silences the logger). */
  overrides?: Record<string, string>;
  /** The function's stdout and stderr: kept line by line in `logs` (the default), or dropped. */
  logs?: 'keep' | 'drop';
  /** An invocation is stopped after the function's timeout, or after this when it is shorter. */
  limitMs?: number;
  /** Told of the child process once it runs (the demo stops it on a signal). */
  track?: (child: ChildProcess) => void;
}

/**
 * A packaged function's execution environment: a fresh Node.js process (no TypeScript loader)
 * running tools/lambda/lambdaRuntime.mjs with only the function's environment, what Lambda sets,
 * dummy credentials and AWS_ENDPOINT_URL. The first invocation loads the handler (a cold start);
 * later ones run warm in the same process. An invocation past the function's timeout kills the
 * process, as Lambda does, and answers Sandbox.Timedout.
 */
export class LambdaProcess {
  /** What the function wrote to stdout and stderr, line by line (complete once `stop` resolves). */
  readonly logs: string[] = [];
  readonly pid: number;
  private readonly closed: Promise<string>;
  private exit: string | undefined;
  private busy = false;
  private partial = '';

  private constructor(
    private readonly fn: PackagedFunction,
    private readonly child: ChildProcess,
    private readonly options: LambdaProcessOptions,
  ) {
    // A child that dies before it reads a message makes the send fail with EPIPE: 'close' answers for it.
    child.on('error', () => undefined);
    if (child.pid === undefined) throw new Error(`${fn.functionName}: the function's process did not start`);
    this.pid = child.pid;
    options.track?.(child);
    child.stdout?.on('data', (chunk: Buffer) => this.collect(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => this.collect(chunk.toString('utf8')));
    this.closed = new Promise((resolve) => {
      // 'close' comes after the IPC channel and the output are drained, so no answer or log line is lost.
      child.once('close', (code, signal) => {
        this.exit = signal ?? `exit code ${code}`;
        if (this.partial.trim() !== '') this.logs.push(this.partial);
        resolve(this.exit);
      });
    });
  }

  /** Starts the function's process from its extracted code in `codeDirectory`. */
  static start(fn: PackagedFunction, codeDirectory: string, options: LambdaProcessOptions): LambdaProcess {
    const output = options.logs === 'drop' ? 'ignore' : 'pipe';
    const child = fork(join(__dirname, 'lambdaRuntime.mjs'), [], {
      cwd: codeDirectory,
      env: lambdaEnvironment(fn, codeDirectory, options),
      execArgv: [],
      stdio: ['ignore', output, output, 'ipc'],
      serialization: 'json',
    });
    return new LambdaProcess(fn, child, options);
  }

  /** Invokes the function with `event`, one invocation at a time, as Lambda does in one execution environment. */
  async invoke(event: unknown): Promise<LambdaAnswer> {
    if (this.busy) throw new Error(`${this.fn.functionName}: an invocation is already running in process ${this.pid}`);
    if (this.exit !== undefined) throw new Error(`${this.fn.functionName}: its process ${this.pid} has exited (${this.exit})`);
    this.busy = true;
    const limitMs = Math.min(this.fn.timeoutSeconds * 1000, this.options.limitMs ?? Infinity);
    let timer: NodeJS.Timeout | undefined;
    let onMessage: ((message: unknown) => void) | undefined;
    try {
      const answered = new Promise<LambdaAnswer>((resolve) => {
        onMessage = (message) => resolve(answerOf(message as { ok: boolean } & Omit<LambdaAnswer, 'functionError'>));
        this.child.once('message', onMessage);
      });
      const timedOut = new Promise<LambdaAnswer>((resolve) => {
        timer = setTimeout(() => {
          this.child.kill('SIGKILL');
          resolve(failure('Sandbox.Timedout', `Task timed out after ${(limitMs / 1000).toFixed(2)} seconds`, limitMs));
        }, limitMs);
      });
      const exited = this.closed.then((how) => failure('Runtime.ExitError', `RequestId: exited before answering (${how})`, 0));
      const request = {
        event,
        deadline: Date.now() + this.fn.timeoutSeconds * 1000,
        requestId: randomUUID(),
        functionArn: `arn:aws:lambda:${this.options.region}:${this.options.accountId}:function:${this.fn.functionName}`,
      };
      // The callback takes a failed send (see the constructor) instead of an 'error' event.
      this.child.send(request, () => undefined);
      return await Promise.race([answered, timedOut, exited]);
    } finally {
      clearTimeout(timer);
      if (onMessage) this.child.off('message', onMessage);
      this.busy = false;
    }
  }

  /** Ends the process and waits until it has, its logs drained. */
  async stop(): Promise<void> {
    // The runtime exits itself: after a disconnect() from this side, Node 20 never emits 'close'.
    if (this.exit === undefined && this.child.connected) this.child.send({ exit: true }, () => undefined);
    const late = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.closed;
    clearTimeout(late);
  }

  private collect(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    this.logs.push(...lines.filter((line) => line.trim() !== ''));
  }
}

function answerOf({ ok, ...answer }: { ok: boolean } & Omit<LambdaAnswer, 'functionError'>): LambdaAnswer {
  return ok ? answer : { functionError: 'Unhandled', ...answer };
}

function failure(errorType: string, errorMessage: string, durationMs: number): LambdaAnswer {
  return { functionError: 'Unhandled', payload: { errorType, errorMessage }, durationMs, cpuMs: 0, rssMiB: 0 };
}

/** The function's environment plus what Lambda sets; nothing of this process's own environment. */
function lambdaEnvironment(fn: PackagedFunction, codeDirectory: string, options: LambdaProcessOptions): NodeJS.ProcessEnv {
  const nowhere = join(codeDirectory, 'no-such-aws-config');
  return {
    ...fn.environment,
    _HANDLER: fn.handler,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'local',
    LAMBDA_TASK_ROOT: codeDirectory,
    TZ: 'UTC',
    // Dummy credentials: the stand-in does not check signatures. No profile or config file is read.
    AWS_ACCESS_KEY_ID: 'LOCALDUMMYACCESSKEY',
    AWS_SECRET_ACCESS_KEY: 'local-dummy-secret',
    AWS_SESSION_TOKEN: 'local-dummy-session-token',
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: options.endpoint,
    ...options.overrides,
  };
}
