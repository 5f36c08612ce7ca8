// The part of Lambda's Node.js runtime that running a packaged function locally needs, in a
// process of its own started by LambdaProcess.ts with nothing but the function's environment:
// the handler named by _HANDLER is loaded from LAMBDA_TASK_ROOT on the first invocation (timed, as
// a cold start), then each invocation message runs it with a Lambda context in this same process,
// as a warm execution environment does. A thrown error answers with the object Lambda returns.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

/** The loaded handler, once the first invocation has loaded it. */
let handler;

// Never outlive the process that started this one, and end when it says so.
process.once('disconnect', () => process.exit(0));
process.on('message', (request) => {
  if (request.exit) process.exit(0);
  invoke(request).then((answer) => process.send(answer));
});

/** Runs the handler once; a thrown error becomes the payload Lambda returns with FunctionError Unhandled. */
async function invoke({ event, deadline, requestId, functionArn }) {
  let initMs;
  try {
    if (!handler) {
      const loading = performance.now();
      handler = load();
      initMs = performance.now() - loading;
    }
  } catch (error) {
    return { ok: false, payload: errorObject(error), durationMs: 0, ...usage(process.cpuUsage()) };
  }
  const cpu = process.cpuUsage();
  const started = performance.now();
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: functionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let answer;
  try {
    const result = await handler(event, context);
    answer = { ok: true, payload: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
  } catch (error) {
    answer = { ok: false, payload: errorObject(error) };
  }
  return { ...answer, durationMs: performance.now() - started, ...(initMs === undefined ? {} : { initMs }), ...usage(cpu) };
}

/** The export `_HANDLER` names (`<module path>.<export>`), from the function's code in LAMBDA_TASK_ROOT. */
function load() {
  const name = process.env._HANDLER ?? '';
  const dot = name.lastIndexOf('.');
  const modulePath = name.slice(0, dot);
  const file = ['.js', '.cjs'].map((ext) => join(process.env.LAMBDA_TASK_ROOT, modulePath + ext)).find((path) => existsSync(path));
  if (dot < 1 || !file) throw runtimeError('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'`);
  const loaded = createRequire(file)(file)[name.slice(dot + 1)];
  if (typeof loaded !== 'function') throw runtimeError('Runtime.HandlerNotFound', `${name} is undefined or not exported`);
  return loaded;
}

function runtimeError(name, message) {
  return Object.assign(new Error(message), { name });
}

/**
 * The error object Lambda's Node.js runtime returns for a thrown value: errorType, errorMessage and
 * the stack as trace lines (aws-lambda-nodejs-runtime-interface-client, src/utils/error.ts).
 */
function errorObject(error) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: error.stack ? error.stack.split('\n') : [] };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** CPU time since `since` and the resident memory now. */
function usage(since) {
  const used = process.cpuUsage(since);
  return { cpuMs: (used.user + used.system) / 1000, rssMiB: process.memoryUsage().rss / 1048576 };
}
