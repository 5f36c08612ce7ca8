import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openPromise } from 'yauzl';
import { type DeployTarget, deployTimeValue } from './deployTimeValue';
import type { DemoPackage } from './packageForDemo';
import { isRunning, type Resources } from './Resources';

/** The demo waits at most this long for one invocation, whatever the function's timeout. */
const DEMO_INVOCATION_LIMIT_MS = 120_000;

/** A Lambda function of the packaged template, as the demo runs it. */
export interface PackagedFunction {
  logicalId: string;
  functionName: string;
  /** Absolute path of its zip in the package. */
  zipFile: string;
  /** The module path and export of `Handler` (`src/x/handler.handler`). */
  modulePath: string;
  exportName: string;
  timeoutSeconds: number;
  memorySize: number;
  /** `Environment.Variables` as CloudFormation would set them. */
  environment: Record<string, string>;
}

/** One invocation: what Lambda's Invoke API would answer, and the function's log lines. */
export interface Invocation {
  /** Process id of the child process that ran the function. */
  pid: number;
  durationMs: number;
  /** Set when the function failed, as Lambda's Invoke sets it. */
  functionError?: 'Unhandled';
  /** The returned value, or `{ errorType, errorMessage }` when the function failed. */
  payload: unknown;
  /** What the function wrote to stdout and stderr (its logs), line by line. */
  logs: string[];
}

/** Where the function's code runs and what it talks to. */
export interface InvokeOptions {
  /** AWS_ENDPOINT_URL of the child: the local stand-in. */
  endpoint: string;
  region: string;
  accountId: string;
  resources: Resources;
  /** Called once the child process runs. */
  onStart?: (pid: number) => void;
}

/** The packaged function with this logical id (e.g. EvaluateLambdaFunction), deployed to `target`; throws naming what is missing. */
export function packagedFunction(pkg: DemoPackage, logicalId: string, target: DeployTarget): PackagedFunction {
  const resource = pkg.template.Resources[logicalId];
  if (resource?.Type !== 'AWS::Lambda::Function') throw new Error(`The packaged template has no Lambda function ${logicalId}`);
  const properties = (resource.Properties ?? {}) as Record<string, unknown>;
  const code = properties.Code as { S3Key?: unknown } | undefined;
  if (typeof code?.S3Key !== 'string') throw new Error(`${logicalId}: Code.S3Key is not a string in the packaged template`);
  const zipFile = join(pkg.directory, basename(code.S3Key));
  if (!existsSync(zipFile)) throw new Error(`${logicalId}: ${zipFile} (its Code.S3Key) is not in the package`);
  const handler = properties.Handler;
  if (typeof handler !== 'string' || !/^[^.]+\.[\w$]+$/.test(handler)) {
    throw new Error(`${logicalId}: Handler ${JSON.stringify(handler)} is not <module path>.<export>`);
  }
  const variables = ((properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<
    string,
    unknown
  >;
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    environment[name] = deployTimeValue(pkg.template, value, target, `${logicalId}: environment variable ${name}`);
  }
  const dot = handler.lastIndexOf('.');
  return {
    logicalId,
    functionName: typeof properties.FunctionName === 'string' ? properties.FunctionName : logicalId,
    zipFile,
    modulePath: handler.slice(0, dot),
    exportName: handler.slice(dot + 1),
    timeoutSeconds: Number(properties.Timeout ?? 3),
    memorySize: Number(properties.MemorySize ?? 128),
    environment,
  };
}

/** Extracts a function zip into a new temporary directory, removed when `resources` stop. */
export async function extractFunctionZip(fn: PackagedFunction, resources: Resources): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), `${fn.functionName}-`));
  resources.add(`temporary directory ${directory}`, () => rmSync(directory, { recursive: true, force: true }));
  const zip = await openPromise(fn.zipFile, { strictFileNames: true });
  try {
    for await (const entry of zip.eachEntry()) {
      const target = resolve(directory, entry.fileName);
      // yauzl already refuses absolute and '..' names; this keeps every write inside the directory regardless.
      if (!target.startsWith(directory + sep)) throw new Error(`${fn.zipFile}: entry ${entry.fileName} points outside the directory`);
      if (entry.fileName.endsWith('/')) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      mkdirSync(dirname(target), { recursive: true });
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(target));
    }
  } finally {
    zip.close();
  }
  return directory;
}

/**
 * Invokes the function's handler once, as Lambda would, in a child process of its own: plain
 * Node.js (no TypeScript loader), only the function's environment plus what Lambda sets, dummy
 * credentials, and AWS_ENDPOINT_URL pointing at the stand-in.
 */
export async function invokeFunction(
  fn: PackagedFunction,
  codeDirectory: string,
  event: unknown,
  options: InvokeOptions,
): Promise<Invocation> {
  const handlerFile = ['.js', '.cjs'].map((ext) => join(codeDirectory, fn.modulePath + ext)).find((file) => existsSync(file));
  if (!handlerFile) throw new Error(`${fn.logicalId}: ${fn.modulePath}.js is not in ${basename(fn.zipFile)}`);
  const child = options.resources.track(
    `${fn.functionName} function`,
    fork(join(__dirname, 'lambdaRuntime.mjs'), [], {
      cwd: codeDirectory,
      env: lambdaEnvironment(fn, codeDirectory, options),
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    }),
  );
  // A child that dies before it reads the event (killed by Ctrl-C, say) makes the send fail with
  // EPIPE: 'close' below answers for it as Lambda would (Runtime.ExitError); unhandled, Node would
  // throw the EPIPE at the demo. A failed start leaves no pid and fails just below.
  child.on('error', () => undefined);
  if (child.pid === undefined) throw new Error(`${fn.functionName}: the function's process did not start`);
  const pid = child.pid;
  options.onStart?.(pid);
  const logs: string[] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    logs.push(...lines.filter((line) => line.trim() !== ''));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const started = Date.now();
  const deadline = started + fn.timeoutSeconds * 1000;
  const limitMs = Math.min(fn.timeoutSeconds * 1000, DEMO_INVOCATION_LIMIT_MS);
  const answer = await new Promise<{ ok: boolean; payload: unknown }>((resolveAnswer) => {
    let answered: { ok: boolean; payload: unknown } | undefined;
    const timer = setTimeout(() => {
      answered ??= {
        ok: false,
        payload: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(limitMs / 1000).toFixed(2)} seconds` },
      };
      if (isRunning(child)) child.kill('SIGKILL');
    }, limitMs);
    child.once('message', (message) => {
      answered ??= message as { ok: boolean; payload: unknown };
    });
    // 'close' comes after the IPC channel and the logs are drained, so no answer is lost.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolveAnswer(
        answered ?? {
          ok: false,
          payload: {
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: exited before answering (${signal ?? `exit code ${code}`})`,
          },
        },
      );
    });
    const request = {
      handlerFile,
      exportName: fn.exportName,
      event,
      deadline,
      functionName: fn.functionName,
      functionArn: `arn:aws:lambda:${options.region}:${options.accountId}:function:${fn.functionName}`,
      memorySize: fn.memorySize,
      requestId: randomUUID(),
    };
    // The callback takes a failed send (see above) instead of an 'error' event.
    child.send(request, () => undefined);
  });
  if (partial.trim() !== '') logs.push(partial);
  return {
    pid,
    durationMs: Date.now() - started,
    ...(answer.ok ? {} : { functionError: 'Unhandled' as const }),
    payload: answer.payload,
    logs,
  };
}

/** The function's environment plus what Lambda sets; nothing of the demo's own environment. */
function lambdaEnvironment(fn: PackagedFunction, codeDirectory: string, options: InvokeOptions): NodeJS.ProcessEnv {
  const nowhere = join(codeDirectory, 'no-such-aws-config');
  return {
    ...fn.environment,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    LAMBDA_TASK_ROOT: codeDirectory,
    TZ: 'UTC',
    // Dummy credentials: the stand-in does not check signatures. No profile or config file is read.
    AWS_ACCESS_KEY_ID: 'DEMODUMMYACCESSKEY',
    AWS_SECRET_ACCESS_KEY: 'demo-dummy-secret',
    AWS_SESSION_TOKEN: 'demo-dummy-session-token',
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: options.endpoint,
  };
}
