import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AutomationDocument, DocumentStep } from '../../../tools/automation/automationDocument';
import { PythonNotFoundError, runPythonScript } from '../../../tools/automation/executeScript';
import { resolveParameters } from '../../../tools/automation/parameterValues';
import { remediationOf } from '../../../tools/automation/remediationOf';
import { type InvokeAnswer, runDocument } from '../../../tools/automation/runDocument';
import type { Template } from '../../../tools/package/Template';
import templateFixture from '../fixtures/remediation-template.json';

// How an Automation document runs here (the invoke step, then the Python script step, as
// Automation would), on a small document shaped like the packaged one
// (fixtures/remediation-template.json: RemediateAccessKeys, then CheckOutcome).

const USER_ID = 'AIDA5DEMOBOB000000002';
const EXECUTION_ID = '4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab';
const documentOf = () => remediationOf(structuredClone(templateFixture) as unknown as Template).document;
const stepOf = (document: AutomationDocument, name: string): DocumentStep => document.mainSteps.find((step) => step.name === name)!;
const answering = (answer: InvokeAnswer) => ({ invokeLambdaFunction: () => Promise.resolve(answer) });
const run = (document: AutomationDocument, answer: InvokeAnswer) =>
  runDocument(document, resolveParameters(document, { IAMResourceId: USER_ID }), EXECUTION_ID, answering(answer));

describe('tools: runDocument', function () {
  this.timeout(30_000);

  it("invokes the function with the rendered Payload, runs the script on the step's Payload, and outputs what the script returns", async () => {
    // Prepare
    let sent: string | undefined;

    // Act
    const execution = await runDocument(documentOf(), resolveParameters(documentOf(), { IAMResourceId: USER_ID }), EXECUTION_ID, {
      invokeLambdaFunction: (_step, payload) => {
        sent = payload;
        return Promise.resolve({ Payload: '{"succeeded":true,"summary":"kept ****USED"}' });
      },
    });

    // Assess
    expect(JSON.parse(sent!)).to.deep.include({ IAMResourceId: USER_ID, AutomationExecutionId: EXECUTION_ID });
    expect(execution).to.deep.include({ status: 'Success', outputs: { 'CheckOutcome.Summary': 'kept ****USED' } });
    expect(execution.steps.map(({ name, status, outputs }) => [name, status, outputs])).to.deep.equal([
      ['RemediateAccessKeys', 'Success', { StatusCode: 200, Payload: '{"succeeded":true,"summary":"kept ****USED"}' }],
      ['CheckOutcome', 'Success', { Payload: { summary: 'kept ****USED' }, Summary: 'kept ****USED' }],
    ]);
  });

  it('keeps the invoke step successful on a function error (FunctionError is one of its outputs), and fails at the script that raises, with its message', async () => {
    // Act
    const execution = await run(documentOf(), { FunctionError: 'Unhandled', Payload: '{"errorType":"Error","errorMessage":"boom"}' });

    // Assess
    expect(execution.steps.map(({ name, status }) => [name, status])).to.deep.equal([
      ['RemediateAccessKeys', 'Success'],
      ['CheckOutcome', 'Failed'],
    ]);
    expect(execution.steps[0]!.outputs).to.deep.include({ FunctionError: 'Unhandled' });
    expect(execution).to.deep.include({ status: 'Failed', failureMessage: 'Exception: Remediation failed: boom', outputs: {} });
  });

  it('stops at a step with isEnd, whatever follows it', async () => {
    // Prepare: a step that cannot run here, after the end
    const document = documentOf();
    document.mainSteps.push({ name: 'Never', action: 'aws:sleep', inputs: { Duration: 'PT0S' } });

    // Act
    const execution = await run(document, { Payload: '{"succeeded":true,"summary":"ok"}' });

    // Assess
    expect(execution.steps.map((step) => step.name)).to.deep.equal(['RemediateAccessKeys', 'CheckOutcome']);
  });

  it('tries a failed step again up to maxAttempts', async () => {
    // Prepare: a script that fails the first time only (a marker file tells the second run)
    const directory = mkdtempSync(join(tmpdir(), 'run-automation-'));
    try {
      const document = documentOf();
      Object.assign(stepOf(document, 'CheckOutcome'), {
        maxAttempts: 2,
        inputs: {
          Runtime: 'python3.11',
          Handler: 'once',
          InputPayload: { Marker: join(directory, 'tried') },
          Script:
            "import os\n\ndef once(events, context):\n    if not os.path.exists(events['Marker']):\n        open(events['Marker'], 'w').close()\n        raise Exception('first attempt')\n    return {'summary': 'second attempt'}",
        },
      });

      // Act
      const execution = await run(document, { Payload: '{}' });

      // Assess
      expect(execution).to.deep.include({ status: 'Success', outputs: { 'CheckOutcome.Summary': 'second attempt' } });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  const refused: [what: string, change: (document: AutomationDocument) => void, message: RegExp][] = [
    [
      'custom outputs on an invoke step (no AWS document settles their form)',
      (document) => (stepOf(document, 'RemediateAccessKeys').outputs = [{ Name: 'Result', Selector: '$', Type: 'StringMap' }]),
      /^Step RemediateAccessKeys: custom outputs on aws:invokeLambdaFunction depend on behaviour no AWS document settles$/,
    ],
    [
      'a reference to an output the invoke step did not produce (FunctionError after a success)',
      (document) =>
        ((stepOf(document, 'CheckOutcome').inputs!.InputPayload as Record<string, string>).Error =
          '{{ RemediateAccessKeys.FunctionError }}'),
      /^\{\{ RemediateAccessKeys\.FunctionError \}\}: no earlier step produced that output$/,
    ],
    [
      'a script output selected otherwise than $.Payload.<field>',
      (document) => (stepOf(document, 'CheckOutcome').outputs = [{ Name: 'Summary', Selector: '$.summary', Type: 'String' }]),
      /^Step CheckOutcome: output Summary has selector \$\.summary; the documented form for aws:executeScript is \$\.Payload\.<field>$/,
    ],
    [
      'a script output whose value is not of its Type',
      (document) => (stepOf(document, 'CheckOutcome').outputs = [{ Name: 'Summary', Selector: '$.Payload.summary', Type: 'Boolean' }]),
      /^Step CheckOutcome: output Summary \(\$\.Payload\.summary\) is "ok", not a Boolean$/,
    ],
    [
      'an onFailure other than Abort',
      (document) => (stepOf(document, 'CheckOutcome').onFailure = 'Continue'),
      /^Step CheckOutcome: onFailure Continue is not supported here$/,
    ],
    [
      'a PowerShell script step',
      (document) => (stepOf(document, 'CheckOutcome').inputs!.Runtime = 'PowerShell 7.4'),
      /^Step CheckOutcome: only Python scripts run here, not Runtime PowerShell 7.4$/,
    ],
  ];
  for (const [what, change, message] of refused) {
    it(`refuses ${what}, naming it`, async () => {
      // Prepare
      const document = documentOf();
      change(document);

      // Act
      const error = await run(document, { Payload: '{"succeeded":true,"summary":"ok"}' }).then(
        () => undefined,
        (rejected: Error) => rejected,
      );

      // Assess
      expect(error?.message).to.match(message);
    });
  }
});

describe('tools: runPythonScript', () => {
  it("returns the handler's return value and the Python version, and keeps what the script prints out of it", async () => {
    // Act
    const outcome = await runPythonScript({
      script: "def handler(events, context):\n    print('noise')\n    return {'n': events['n'] + 1, 'id': context['id']}",
      handler: 'handler',
      events: { n: 1 },
      context: { id: 'x' },
    });

    // Assess
    expect(outcome).to.deep.include({ status: 'Success', payload: { n: 2, id: 'x' } });
    expect(outcome.python).to.match(/^3\.\d+\.\d+$/);
  });

  it('reports a script that does not compile as a failed step, as Automation does', async () => {
    // Act
    const outcome = await runPythonScript({
      script: 'def handler(events, context)\n    return 1',
      handler: 'handler',
      events: {},
      context: {},
    });

    // Assess
    expect(outcome).to.deep.include({ status: 'Failed', errorType: 'SyntaxError' });
  });

  it('fails with PythonNotFoundError when python3 is not on PATH', async () => {
    // Prepare
    const path = process.env.PATH;
    const empty = mkdtempSync(join(tmpdir(), 'no-python-'));
    process.env.PATH = empty;

    // Act
    const error = await runPythonScript({ script: '', handler: 'handler', events: {}, context: {} })
      .then(
        () => undefined,
        (rejected: Error) => rejected,
      )
      .finally(() => {
        process.env.PATH = path;
        rmSync(empty, { recursive: true, force: true });
      });

    // Assess
    expect(error).to.be.instanceOf(PythonNotFoundError);
  });
});
