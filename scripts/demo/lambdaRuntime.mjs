// The part of the Lambda Node.js runtime the demo needs, run in a child process of its own with
// nothing but the function's environment: load the handler from the extracted function zip,
// invoke it once with the event and a Lambda context, answer over IPC, exit.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
import { createRequire } from 'node:module';
import process from 'node:process';

// Never outlive the demo: it runs one invocation per process.
process.once('disconnect', () => process.exit(1));
process.once('message', (request) => {
  invoke(request).then((answer) => process.send(answer, () => process.exit(0)));
});

/** Runs the handler; a thrown error becomes the payload Lambda returns with FunctionError Unhandled. */
async function invoke({ handlerFile, exportName, event, deadline, functionName, functionArn, memorySize, requestId }) {
  try {
    const loaded = createRequire(handlerFile)(handlerFile);
    const handler = loaded[exportName];
    if (typeof handler !== 'function') {
      throw Object.assign(new Error(`${handlerFile} does not export a function named ${exportName}`), { name: 'Runtime.HandlerNotFound' });
    }
    const context = {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArn,
      memoryLimitInMB: String(memorySize),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'demo',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const result = await handler(event, context);
    return { ok: true, payload: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
  } catch (error) {
    const errorType = error instanceof Error ? error.name : typeof error;
    const errorMessage = error instanceof Error ? error.message : String(error);
    return { ok: false, payload: { errorType, errorMessage } };
  }
}
