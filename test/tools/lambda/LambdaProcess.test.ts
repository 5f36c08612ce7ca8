import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LambdaProcessOptions, LambdaProcess } from '../../../tools/lambda/LambdaProcess';
import type { PackagedFunction } from '../../../tools/lambda/packagedFunction';

// Running a function's code as Lambda's Node.js runtime would, on small handlers written for each
// case into a throw-away code directory (what a packaged zip extracts to).

const HANDLERS = `
let invocations = 0;
exports.echo = async (event, context) => ({
  event,
  invocation: ++invocations,
  pid: process.pid,
  env: process.env,
  context: { ...context, remaining: context.getRemainingTimeInMillis() },
});
exports.fails = async () => { const error = new Error('the user is gone'); error.name = 'UserGoneError'; throw error; };
exports.throwsText = async () => { throw 'plain text'; };
exports.logs = async () => { console.log('first line'); console.error('second line'); return 'logged'; };
exports.never = () => new Promise(() => undefined);
exports.exits = () => process.exit(3);
exports.notAFunction = 42;
`;

const OPTIONS: LambdaProcessOptions = { endpoint: 'http://127.0.0.1:9', region: 'eu-west-1', accountId: '123456789012' };

describe('tools: LambdaProcess', function () {
  this.timeout(20_000);
  let code: string;
  const started: LambdaProcess[] = [];
  const fn = (handler: string, timeoutSeconds = 30): PackagedFunction => ({
    logicalId: 'EchoLambdaFunction',
    functionName: 'svc-test-echo',
    zipFile: join(code, 'echo.zip'),
    handler,
    timeoutSeconds,
    memorySize: 256,
    environment: { GREETING: 'hello' },
  });
  const start = (handler: string, options: Partial<LambdaProcessOptions> = {}, timeoutSeconds?: number) => {
    const lambda = LambdaProcess.start(fn(handler, timeoutSeconds), code, { ...OPTIONS, ...options });
    started.push(lambda);
    return lambda;
  };

  before(() => {
    code = mkdtempSync(join(tmpdir(), 'lambda-process-'));
    mkdirSync(join(code, 'src'));
    writeFileSync(join(code, 'src/handlers.js'), HANDLERS);
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((lambda) => lambda.stop()));
  });

  after(() => {
    rmSync(code, { recursive: true, force: true });
  });

  it("runs the handler in a process of its own with the function's environment and what Lambda sets, nothing of this process's", async () => {
    // Prepare
    process.env.LAMBDA_PROCESS_TEST_ONLY = 'not for the function';

    // Act
    const answer = await start('src/handlers.echo').invoke({ hello: 'world' });

    // Assess
    delete process.env.LAMBDA_PROCESS_TEST_ONLY;
    const payload = answer.payload as { event: unknown; pid: number; env: Record<string, string> };
    expect(answer.functionError).to.equal(undefined);
    expect(payload.event).to.deep.equal({ hello: 'world' });
    expect(payload.pid).not.to.equal(process.pid);
    expect(payload.env).to.include({
      GREETING: 'hello',
      _HANDLER: 'src/handlers.echo',
      LAMBDA_TASK_ROOT: code,
      AWS_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'svc-test-echo',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    expect(Object.keys(payload.env)).not.to.include.members(['LAMBDA_PROCESS_TEST_ONLY', 'AWS_MAX_ATTEMPTS', 'PATH']);
  });

  it('gives the handler a Lambda context whose remaining time counts down from the timeout', async () => {
    // Act
    const answer = await start('src/handlers.echo', {}, 30).invoke({});

    // Assess
    const { context } = answer.payload as { context: Record<string, unknown> & { remaining: number } };
    expect(context).to.include({
      functionName: 'svc-test-echo',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:svc-test-echo',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/svc-test-echo',
    });
    expect(context.awsRequestId).to.match(/^[0-9a-f-]{36}$/);
    expect(context.remaining).to.be.within(1, 30_000);
  });

  it('loads the handler on the first invocation (timed, a cold start) and runs later ones warm in the same process', async () => {
    // Prepare
    const lambda = start('src/handlers.echo');

    // Act
    const cold = await lambda.invoke({});
    const warm = await lambda.invoke({});

    // Assess
    expect([cold.payload, warm.payload].map((payload) => (payload as { invocation: number }).invocation)).to.deep.equal([1, 2]);
    expect(cold.initMs).to.be.a('number');
    expect(warm).not.to.have.property('initMs');
    expect((warm.payload as { pid: number }).pid).to.equal(lambda.pid);
  });

  const failures: [what: string, handler: string, errorType: string, errorMessage: string][] = [
    ['a thrown error', 'src/handlers.fails', 'UserGoneError', 'the user is gone'],
    ['a thrown string', 'src/handlers.throwsText', 'string', 'plain text'],
    [
      'an export that is not a function',
      'src/handlers.notAFunction',
      'Runtime.HandlerNotFound',
      'src/handlers.notAFunction is undefined or not exported',
    ],
    ['a module that is not in the code', 'src/missing.handler', 'Runtime.ImportModuleError', "Error: Cannot find module 'src/missing'"],
  ];
  for (const [what, handler, errorType, errorMessage] of failures) {
    it(`answers ${what} with FunctionError Unhandled and the error object Lambda returns`, async () => {
      // Act
      const answer = await start(handler).invoke({});

      // Assess
      expect(answer.functionError).to.equal('Unhandled');
      expect(answer.payload).to.deep.include({ errorType, errorMessage });
      expect((answer.payload as { trace: unknown }).trace).to.be.an('array');
    });
  }

  it("keeps the error's stack as the trace lines", async () => {
    const answer = await start('src/handlers.fails').invoke({});

    expect((answer.payload as { trace: string[] }).trace[0]).to.equal('UserGoneError: the user is gone');
  });

  it('stops an invocation past its limit, kills the process and answers Sandbox.Timedout', async () => {
    // Prepare
    const lambda = start('src/handlers.never', { limitMs: 100 });

    // Act
    const answer = await lambda.invoke({});

    // Assess
    expect(answer).to.deep.include({
      functionError: 'Unhandled',
      payload: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 0.10 seconds' },
    });
    await lambda.stop();
    await expectRefused(lambda);
  });

  it('answers Runtime.ExitError when the function ends its process, and refuses another invocation', async () => {
    // Prepare
    const lambda = start('src/handlers.exits');

    // Act
    const answer = await lambda.invoke({});

    // Assess
    expect(answer.functionError).to.equal('Unhandled');
    expect(answer.payload).to.deep.equal({
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: exited before answering (exit code 3)',
    });
    await expectRefused(lambda);
  });

  it('keeps what the function writes to stdout and stderr, line by line, or drops it', async () => {
    // Prepare
    const kept = start('src/handlers.logs');
    const dropped = start('src/handlers.logs', { logs: 'drop' });

    // Act
    await Promise.all([kept.invoke({}), dropped.invoke({})]);
    await Promise.all([kept.stop(), dropped.stop()]);

    // Assess
    expect(kept.logs).to.deep.equal(['first line', 'second line']);
    expect(dropped.logs).to.deep.equal([]);
  });
});

async function expectRefused(lambda: LambdaProcess): Promise<void> {
  const refused = await lambda.invoke({}).then(
    () => undefined,
    (error: Error) => error,
  );
  expect(refused?.message).to.match(/^svc-test-echo: its process \d+ has exited/);
}
