import { expect } from 'chai';
import type { AutomationDocument, DocumentStep } from '../../../tools/automation/automationDocument';
import { runPythonScript } from '../../../tools/automation/executeScript';
import { resolveParameters } from '../../../tools/automation/parameterValues';
import { type AutomationExecution, type InvokeAnswer, runDocument } from '../../../tools/automation/runDocument';
import {
  ConcurrentChangeError,
  InvalidRemediationRequestError,
  RemediationError,
  RemediationInProgressError,
  UnknownIamUserError,
} from '../../../src/iam-user-single-access-key/remediation/errors';
import { parseRemediationRequest } from '../../../src/iam-user-single-access-key/remediation/RemediationRequest';
import type { RemediationResult } from '../../../src/iam-user-single-access-key/remediation/RemediationResult';
import { automationDocumentErrors } from '../../support/automationDocument';
import { packageService } from '../../support/packageTemplate';

// The packaged remediation document run as Automation runs it (tools/automation/runDocument.ts): the
// invoke step answered with every shape the function's Payload can take, and the CheckOutcome
// script, as packaged, run by the local python3. The execution must succeed only on an answer that
// says succeeded=true, and fail with the function's error or summary otherwise.

const EXECUTION_ID = '4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab';
const USER_ID = 'AIDAJQABLZS4A3QDU576Q';
const WHO = `IAM user alice (${USER_ID})`;

/** A result as the function returns it. */
const RESULT: RemediationResult = {
  summary: `${WHO}: kept ****OLD1; deactivated ****NEW2.`,
  succeeded: true,
  outcome: 'remediated',
  iamResourceId: USER_ID,
  userName: 'alice',
  path: '/',
  action: 'Deactivate',
  maxAccessKeys: 1,
  parameters: { source: 'rule', ruleName: 'iam-user-single-access-key', countInactiveKeys: false, rotationGraceHours: 0 },
  dryRun: false,
  plan: {
    keep: [{ accessKeyId: '****OLD1', status: 'Active', createDate: '2025-01-02T03:04:05.000Z', lastUsed: '2026-05-03T08:00:00.000Z' }],
    deactivate: [{ accessKeyId: '****NEW2', status: 'Active', lastUsed: 'never' }],
    delete: [],
  },
  deactivated: ['****NEW2'],
  deleted: [],
  alreadyGone: [],
  changed: true,
};
const result = (changes: Partial<RemediationResult>): RemediationResult => ({ ...structuredClone(RESULT), ...changes });

/** The Payload Lambda returns for an error the handler throws: the Node.js runtime's error object. */
const thrown = (error: Error): InvokeAnswer => ({
  FunctionError: 'Unhandled',
  Payload: JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') }),
});
const answered = (value: unknown): InvokeAnswer => ({ Payload: JSON.stringify(value) });
const FAILED = 'Exception: Remediation failed: ';

const partWay = new RemediationError(
  WHO,
  ['deactivated ****THR3'],
  [{ change: 'deactivate', accessKeyId: '****NEW2', reason: 'AccessDenied: not authorized' }],
  {
    cause: Object.assign(new Error('not authorized to perform iam:UpdateAccessKey'), { name: 'AccessDenied' }),
  },
);
const beforeAnyChange = new RemediationError(`IAM user id ${USER_ID}`, [], [], {
  cause: Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }),
});
const errors: [what: string, error: Error][] = [
  ['a malformed request', new InvalidRemediationRequestError('Action', 'Delete is not enabled in this deployment')],
  ['an unknown user id', new UnknownIamUserError(USER_ID, 'neither Config nor IAM knows it')],
  [
    'a concurrent change',
    new ConcurrentChangeError(`${WHO}: the kept key ****OLD1 is no longer active; stopped before changing anything else.`),
  ],
  [
    'another run holding the user',
    new RemediationInProgressError(WHO, USER_ID, 'iam-user-single-access-key-dev-RemediationLockTable-1A2B3C4D5E6F', {
      automationExecutionId: '3f1c2b7a-0000-4000-8000-000000000001',
      expiresAt: new Date('2026-05-04T09:14:44.000Z'),
    }),
  ],
  ['a failure before any change', beforeAnyChange],
  ['a failure part-way', partWay],
  ['a bug', new TypeError("Cannot read properties of undefined (reading 'accessKeyId')")],
];

/** What the execution must do with one shape of the function's Payload. */
interface Shape {
  name: string;
  answer: InvokeAnswer;
  /** Success: the document's outputs; Failed: CheckOutcome's message. */
  expected: { status: 'Success'; outcome: string; summary: string; result: unknown } | { status: 'Failed'; message: string };
}

const succeeded = (name: string, value: RemediationResult): Shape => ({
  name,
  answer: answered(value),
  expected: { status: 'Success', outcome: value.outcome, summary: value.summary, result: value },
});
const fails = (name: string, answer: InvokeAnswer, message: string): Shape => ({
  name,
  answer,
  expected: { status: 'Failed', message: FAILED + message },
});

const LONG = 'x'.repeat(400);
const SHAPES: Shape[] = [
  succeeded('a remediated user', RESULT),
  succeeded(
    'a dry run',
    result({
      outcome: 'dry-run',
      summary: `Dry run, nothing changed. ${WHO}: would keep ****OLD1; would deactivate ****NEW2.`,
      dryRun: true,
      deactivated: [],
      changed: false,
    }),
  ),
  succeeded(
    'a user within the limit',
    result({ outcome: 'nothing-to-do', summary: `Nothing to do: ${WHO} is within the limit.`, deactivated: [], changed: false }),
  ),
  succeeded(
    'an exempt user',
    result({ outcome: 'exempt', summary: 'Nothing to do: exempt by tag. Nothing was changed.', deactivated: [], changed: false }),
  ),
  fails(
    'succeeded=false: cannot comply (countInactiveKeys with Deactivate)',
    answered(
      result({
        succeeded: false,
        outcome: 'cannot-comply',
        summary: `${WHO} is over the limit counting inactive keys too: nothing was changed.`,
      }),
    ),
    `(cannot-comply) ${WHO} is over the limit counting inactive keys too: nothing was changed.`,
  ),
  fails(
    'succeeded=false: still over the limit (a key created meanwhile)',
    answered(
      result({
        succeeded: false,
        outcome: 'still-over-limit',
        summary: `${WHO}: kept ****OLD1; deactivated ****NEW2. Still over the limit: a key was created meanwhile.`,
      }),
    ),
    `(still-over-limit) ${WHO}: kept ****OLD1; deactivated ****NEW2. Still over the limit: a key was created meanwhile.`,
  ),
  fails(
    'succeeded=false without a summary',
    answered({ succeeded: false }),
    'the function answered without succeeded=true: {"succeeded": false}',
  ),
  fails('succeeded as the text "true"', answered({ summary: 'done', outcome: 'remediated', succeeded: 'true' }), '(remediated) done'),
  fails('an object without succeeded', answered({ summary: 'something else' }), 'something else'),
  fails(
    'succeeded=true without a summary',
    answered({ succeeded: true, outcome: 'remediated' }),
    'the function answered succeeded=true without a summary and an outcome: {"succeeded": true, "outcome": "remediated"}',
  ),
  ...errors.map(([what, error]) =>
    fails(
      `${what}: a thrown ${error.name} (the Node.js runtime's error object, with its trace)`,
      thrown(error),
      `${error.name}: ${error.message}`,
    ),
  ),
  fails(
    'a timeout, as Lambda has long written it (errorMessage only)',
    {
      FunctionError: 'Unhandled',
      Payload: '{"errorMessage":"2026-05-04T09:12:44.123Z 6f1c3a2b-0d4e-4f5a-9b8c-7d6e5f4a3b2c Task timed out after 120.00 seconds"}',
    },
    '2026-05-04T09:12:44.123Z 6f1c3a2b-0d4e-4f5a-9b8c-7d6e5f4a3b2c Task timed out after 120.00 seconds',
  ),
  fails(
    'a timeout, as newer runtimes write it (Sandbox.Timedout)',
    {
      FunctionError: 'Unhandled',
      Payload:
        '{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: 6f1c3a2b-0d4e-4f5a-9b8c-7d6e5f4a3b2c Error: Task timed out after 120.00 seconds"}',
    },
    'Sandbox.Timedout: RequestId: 6f1c3a2b-0d4e-4f5a-9b8c-7d6e5f4a3b2c Error: Task timed out after 120.00 seconds',
  ),
  fails(
    'a runtime that died (out of memory)',
    {
      FunctionError: 'Unhandled',
      Payload: '{"errorType":"Runtime.ExitError","errorMessage":"RequestId: 6f1c3a2b Error: Runtime exited with error: signal: killed"}',
    },
    'Runtime.ExitError: RequestId: 6f1c3a2b Error: Runtime exited with error: signal: killed',
  ),
  fails(
    'an error object that also says succeeded=true',
    { FunctionError: 'Unhandled', Payload: JSON.stringify({ ...RESULT, errorType: 'Error', errorMessage: 'boom' }) },
    'Error: boom',
  ),
  fails('an error object without a message', { FunctionError: 'Handled', Payload: '{"errorType":"Error"}' }, 'Error: no error message'),
  fails('an empty Payload', { Payload: '' }, 'the function returned nothing'),
  fails('a Payload of blanks', { Payload: ' \n' }, 'the function returned nothing'),
  fails(
    'text that is not JSON',
    { Payload: 'Internal Server Error' },
    'the function returned something that is not JSON: Internal Server Error',
  ),
  fails(
    'JSON cut short',
    { Payload: '{"summary": "IAM user al' },
    'the function returned something that is not JSON: {"summary": "IAM user al',
  ),
  fails(
    'a long text that is not JSON (cut at 300 characters)',
    { Payload: LONG },
    `the function returned something that is not JSON: ${'x'.repeat(300)}...`,
  ),
  fails(
    'JSON null (a handler that returned nothing)',
    { Payload: 'null' },
    'the function returned something that is not a JSON object: null',
  ),
  fails('a JSON list', { Payload: '[]' }, 'the function returned something that is not a JSON object: []'),
  fails('a JSON string', { Payload: '"remediated"' }, 'the function returned something that is not a JSON object: "remediated"'),
  fails('a JSON number', { Payload: '42' }, 'the function returned something that is not a JSON object: 42'),
  fails('JSON true', { Payload: 'true' }, 'the function returned something that is not a JSON object: true'),
];

describe('remediation document: the outcome of an execution', function () {
  this.timeout(180_000);
  let document: AutomationDocument;
  const step = (name: string): DocumentStep => document.mainSteps.find((candidate) => candidate.name === name)!;
  /** Runs the document for what Config passes, the invoke step answering `answer`; checks the Payload the function is sent. */
  const execute = (answer: InvokeAnswer): Promise<AutomationExecution> =>
    runDocument(
      document,
      resolveParameters(document, { AutomationAssumeRole: 'arn:aws:iam::123456789012:role/r', IAMResourceId: USER_ID }),
      EXECUTION_ID,
      {
        invokeLambdaFunction: (invoked, payload) => {
          expect(invoked.name).to.equal('RemediateAccessKeys');
          expect(parseRemediationRequest(JSON.parse(payload))).to.deep.include({
            iamResourceId: USER_ID,
            automationExecutionId: EXECUTION_ID,
          });
          return Promise.resolve(answer);
        },
      },
    );

  before(async () => {
    const { template } = await packageService();
    document = template.Resources.AccessKeyRemediationDocument.Properties!.Content as AutomationDocument;
  });

  it('invokes the function, then ends in a Python step that checks its answer; neither step is retried', () => {
    expect(
      document.mainSteps.map(({ name, action, nextStep, isEnd, onFailure, maxAttempts }) => ({
        name,
        action,
        nextStep,
        isEnd,
        onFailure,
        maxAttempts,
      })),
    ).to.deep.equal([
      {
        name: 'RemediateAccessKeys',
        action: 'aws:invokeLambdaFunction',
        nextStep: 'CheckOutcome',
        isEnd: undefined,
        onFailure: 'Abort',
        maxAttempts: 1,
      },
      { name: 'CheckOutcome', action: 'aws:executeScript', nextStep: undefined, isEnd: true, onFailure: 'Abort', maxAttempts: 1 },
    ]);
    expect(step('CheckOutcome').inputs).to.deep.include({
      Runtime: 'python3.11',
      Handler: 'check_outcome',
      InputPayload: { Payload: '{{ RemediateAccessKeys.Payload }}' },
    });
  });

  it('is valid against the Automation schema on python3.11, and would not be on a retired runtime', () => {
    // Prepare
    const retired = structuredClone(document);
    (retired.mainSteps[1]!.inputs as { Runtime: string }).Runtime = 'python3.8';

    // Assess
    expect(automationDocumentErrors(document)).to.deep.equal([]);
    expect(automationDocumentErrors(retired)).to.include('/mainSteps/1/inputs/Runtime: must match exactly one schema in oneOf');
  });

  it('declares no output on the invoke step and reads none of it but the Payload, which every successful invoke has', () => {
    // Prepare: every {{ Step.Output }} anywhere in the document
    const references = [...JSON.stringify(document).matchAll(/\{\{\s*(\w+)\.(\w+)\s*\}\}/g)].map(
      ([, stepName, output]) => `${stepName}.${output}`,
    );

    // Assess
    expect(step('RemediateAccessKeys')).not.to.have.property('outputs');
    expect(references).to.deep.equal(['RemediateAccessKeys.Payload']);
    expect(document.mainSteps.map((candidate) => candidate.action)).not.to.include('aws:branch');
  });

  it("outputs only what the check step returns, selected as $.Payload.<field> (aws:executeScript's documented form)", () => {
    expect(step('CheckOutcome').outputs).to.deep.equal([
      { Name: 'Summary', Selector: '$.Payload.summary', Type: 'String' },
      { Name: 'Outcome', Selector: '$.Payload.outcome', Type: 'String' },
      { Name: 'Result', Selector: '$.Payload.result', Type: 'String' },
    ]);
    expect(document.outputs).to.deep.equal(['CheckOutcome.Summary', 'CheckOutcome.Outcome', 'CheckOutcome.Result']);
  });

  for (const { name, answer, expected } of SHAPES) {
    it(`${expected.status === 'Success' ? 'succeeds, with every output,' : 'fails with the message'} for ${name}`, async () => {
      // Act
      const execution = await execute(answer);

      // Assess
      expect(execution.steps.map((run) => [run.name, run.status])).to.deep.equal([
        ['RemediateAccessKeys', 'Success'],
        ['CheckOutcome', expected.status],
      ]);
      if (expected.status === 'Failed') {
        expect(execution).to.deep.include({ status: 'Failed', failureMessage: expected.message, outputs: {} });
        return;
      }
      expect(execution.status).to.equal('Success');
      expect(Object.keys(execution.outputs)).to.deep.equal(document.outputs);
      expect(execution.outputs).to.deep.include({ 'CheckOutcome.Summary': expected.summary, 'CheckOutcome.Outcome': expected.outcome });
      expect(JSON.parse(execution.outputs['CheckOutcome.Result'] as string)).to.deep.equal(expected.result);
    });
  }

  describe('with the Payload handed to the script already parsed (the other reading of InputPayload)', () => {
    for (const { name, answer, expected } of SHAPES.filter(
      (shape) => /^\s*\{/.test(shape.answer.Payload) && isJson(shape.answer.Payload),
    )) {
      it(`${expected.status === 'Success' ? 'returns the same fields' : 'raises the same message'} for ${name}`, async () => {
        // Prepare
        const inputs = step('CheckOutcome').inputs as { Script: string; Handler: string };

        // Act
        const outcome = await runPythonScript({
          script: inputs.Script,
          handler: inputs.Handler,
          events: { Payload: JSON.parse(answer.Payload) as unknown },
          context: {},
        });

        // Assess
        if (expected.status === 'Failed') {
          expect(outcome).to.deep.include({
            status: 'Failed',
            errorType: 'Exception',
            message: expected.message.slice('Exception: '.length),
          });
          return;
        }
        expect(outcome).to.deep.include({ status: 'Success' });
        const payload = (outcome as { payload: { summary: string; outcome: string; result: string } }).payload;
        expect(payload).to.deep.include({ summary: expected.summary, outcome: expected.outcome });
        expect(JSON.parse(payload.result)).to.deep.equal(expected.result);
      });
    }
  });

  it("fails the same way whatever the invoke step's FunctionError says: the Payload decides", async () => {
    // Act
    const withFlag = await execute(thrown(partWay));
    const withoutFlag = await execute({ Payload: thrown(partWay).Payload });

    // Assess
    expect(withoutFlag.failureMessage).to.equal(withFlag.failureMessage);
    expect(withFlag.failureMessage).to.equal(`${FAILED}RemediationError: ${partWay.message}`);
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
