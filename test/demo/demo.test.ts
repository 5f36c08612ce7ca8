import { expect } from 'chai';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { comparable, markedBlocks, zipSizes } from '../../scripts/docBlocks';
import type { DemoReport } from '../../scripts/demo/DemoReport';
import { ensureDemoPackage } from '../../scripts/demo/packageForDemo';
import { Resources } from '../../scripts/demo/Resources';
import { SAMPLE_ACCOUNT, sampleAccessKeyIds } from '../../scripts/demo/sampleAccount';
import type { RunSummary } from '../../src/config/createRuleHandler';
import { emfValues } from '../../tools/lambda/emfDocuments';
import { accepts } from '../support/accepts';

// `npm run demo` end to end: the packaged functions, run in child processes against the local
// stand-in, as a user runs them.

const PROJECT = resolve(__dirname, '../..');
const DEMO = [process.execPath, '--import', 'tsx', 'scripts/demo/demo.ts'] as const;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: readonly string[],
  options: { detached?: boolean; onStderr?: (text: string, child: ChildProcess) => void } = {},
): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, {
      cwd: PROJECT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.detached ?? false,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      options.onStderr?.(stderr, child);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** What Config holds for every sample user after the periodic run, written out here on purpose. */
const EXPECTED: [user: string, compliance: string, why: string][] = [
  ['alice', 'COMPLIANT', 'one key'],
  ['bob', 'NON_COMPLIANT', 'two active keys, one long unused'],
  ['carol', 'COMPLIANT', 'one active key and one inactive'],
  ['dave', 'COMPLIANT', 'an expired key is not active'],
  ['deploy-bot', 'NON_COMPLIANT', 'a user with a path is found by name and reported by id'],
  ['erin', 'NOT_APPLICABLE', 'exempt by tag'],
  ['frank', 'COMPLIANT', 'the new key is inside the rotation grace window'],
  ['grace', 'NON_COMPLIANT', 'the new key is past the grace window'],
  ['heidi', 'COMPLIANT', 'no key'],
  ['ivan', 'COMPLIANT', 'only inactive keys'],
  ['legacy-etl', 'NON_COMPLIANT', 'two active keys'],
  ['judy', 'NOT_APPLICABLE', 'deleted since the last run'],
];

describe('npm run demo', function () {
  this.timeout(240_000);
  let json: Run;
  let text: Run;
  let report: DemoReport;

  before(async () => {
    // Packaged first (when missing or stale), so that the two runs can go at once: each runs its functions in processes of its own against a stand-in of its own.
    const resources = new Resources();
    await ensureDemoPackage(PROJECT, SAMPLE_ACCOUNT.deployOptions, resources, () => undefined).finally(() => resources.stopAll());
    [json, text] = await Promise.all([run('npm', ['run', '--silent', 'demo', '--', '--json']), run(DEMO[0], [...DEMO.slice(1)])]);
    expect(json.code, json.stderr).to.equal(0);
    expect(text.code, text.stderr).to.equal(0);
    report = JSON.parse(json.stdout) as DemoReport;
  });

  it('prints what docs/demo.md shows, but for what changes from run to run (else run npm run docs -- demo)', () => {
    // Prepare
    const block = markedBlocks(readFileSync(resolve(PROJECT, 'docs/demo.md'), 'utf8'), 'docs/demo.md').get('demo-output');
    const documented = block?.replace(/^```text\n/, '').replace(/\n```$/, '');

    // Assess
    expect(comparable(text.stdout.trimEnd())).to.equal(comparable(documented ?? 'docs/demo.md has no demo-output block'));
    // The zips' sizes, within 2%: any change of code moves them a little.
    const [shown, measured] = [zipSizes(documented ?? ''), zipSizes(text.stdout)];
    expect(Object.keys(shown)).to.deep.equal(['evaluate.zip', 'remediate.zip']);
    for (const [zip, kib] of Object.entries(shown)) expect(Math.abs(kib - measured[zip]!) / measured[zip]!, zip).to.be.at.most(0.02);
  });

  it('prints one JSON object and nothing else on stdout with --json', () => {
    expect(json.stdout.trim().startsWith('{')).to.equal(true);
    expect(() => JSON.parse(json.stdout) as unknown).not.to.throw();
    expect(report.checks.length).to.be.greaterThan(0);
    expect(report.checks.filter((check) => !check.ok)).to.deep.equal([]);
  });

  for (const [user, compliance, why] of EXPECTED) {
    it(`records ${compliance} for ${user} in the periodic run (${why})`, () => {
      const result = report.periodic.results.find((candidate) => candidate.userName === user);
      expect(result?.complianceType).to.equal(compliance);
    });
  }

  it('runs the packaged evaluate function once per message type, in a process of its own', () => {
    expect(report.periodic.invocation.function).to.match(/-evaluate$/);
    expect(report.change.invocation.function).to.match(/-evaluate$/);
    expect(report.periodic.invocation.pid).not.to.equal(report.change.invocation.pid);
    expect(report.periodic.evaluationsRecorded).to.equal(EXPECTED.length);
    expect(report.periodic.counts).to.deep.equal({ COMPLIANT: 6, NON_COMPLIANT: 4, NOT_APPLICABLE: 2 });
  });

  it("prints one EMF document for the sweep, of the rule's one series, whose figures equal the run summary's counts", () => {
    // Prepare
    const { metrics, payload } = report.periodic.invocation;
    const summary = payload as RunSummary;

    // Assess: the document as the packaged function printed it on stdout
    expect(metrics).to.have.length(1);
    const [document] = metrics;
    expect(document._aws.CloudWatchMetrics.map(({ Namespace, Dimensions }) => ({ Namespace, Dimensions }))).to.deep.equal([
      { Namespace: 'ConfigRuleSweeps', Dimensions: [['ConfigRuleName']] },
    ]);
    expect(document.ConfigRuleName).to.equal('iam-user-single-access-key');
    expect(emfValues(document)).to.deep.equal({
      SweepCompleted: 1,
      ResourcesJudged: summary.sweep?.judged,
      NonCompliantResources: summary.sweep?.nonCompliant,
      EvaluationsRecorded: summary.recorded,
      EvaluationsUnchanged: summary.unchanged,
      ThrottledCalls: summary.sweep?.throttledCalls,
      SweepDuration: summary.sweep?.elapsedSeconds,
    });
    expect(emfValues(document), 'the sample account: 11 users judged, 4 NON_COMPLIANT, 12 recorded with the deleted one').to.include({
      ResourcesJudged: 11,
      NonCompliantResources: 4,
      EvaluationsRecorded: report.periodic.evaluationsRecorded,
    });
    expect(text.stdout).to.match(
      /^ {2}ConfigRuleSweeps by ConfigRuleName=iam-user-single-access-key: SweepCompleted 1, ResourcesJudged 11, NonCompliantResources 4, EvaluationsRecorded 12, /m,
    );
  });

  it('prints one EMF document for the change notification: the evaluation recorded, no failure', () => {
    const [document, ...others] = report.change.invocation.metrics;

    expect(others).to.deep.equal([]);
    expect(document._aws.CloudWatchMetrics[0]).to.deep.include({ Namespace: 'ConfigRuleSweeps', Dimensions: [['ConfigRuleName']] });
    expect(emfValues(document)).to.deep.equal({ EvaluationsRecorded: 1, EvaluationFailures: 0 });
  });

  it('records NOT_APPLICABLE for the user tagged exempt after the change notification', () => {
    expect(report.change).to.deep.include({ userName: 'legacy-etl', evaluationsRecorded: 1 });
    expect(report.change.result.complianceType).to.equal('NOT_APPLICABLE');
    expect(report.change.invocation.calls.ListUsers ?? 0).to.equal(0);
  });

  it('renders the remediation Payload for the non-compliant user, DryRun first', () => {
    expect(report.remediation.dryRun.payload).to.deep.include({ IAMResourceId: report.remediation.userId, DryRun: 'true' });
    expect(report.remediation.run.payload).to.deep.include({ IAMResourceId: report.remediation.userId, DryRun: 'false' });
  });

  it("runs the whole document, the CheckOutcome script included, and shows both executions succeeding with the document's outputs", () => {
    for (const [run, outcome] of [
      [report.remediation.dryRun, 'dry-run'],
      [report.remediation.run, 'remediated'],
    ] as const) {
      expect(run.execution.steps.map(({ name, action, status }) => [name, action, status])).to.deep.equal([
        ['RemediateAccessKeys', 'aws:invokeLambdaFunction', 'Success'],
        ['CheckOutcome', 'aws:executeScript', 'Success'],
      ]);
      expect(run.execution).to.deep.include({ status: 'Success' });
      expect(run.execution.outputs).to.deep.include({
        'CheckOutcome.Outcome': outcome,
        'CheckOutcome.Summary': (run.answer as { summary: string }).summary,
      });
      expect(JSON.parse(run.execution.outputs['CheckOutcome.Result'] as string)).to.deep.equal(run.answer);
    }
    expect(text.stdout).to.match(/^ {2}Execution: Success \(CheckOutcome\.Outcome remediated\)$/m);
  });

  it('changes no key on the dry run, then keeps the most recently used key and deactivates the other', () => {
    const statuses = (keys: { accessKeyId: string; status: string }[]) =>
      Object.fromEntries(keys.map((key) => [key.accessKeyId, key.status]));
    expect(report.remediation.userName).to.equal('bob');
    expect(statuses(report.remediation.keysBefore)).to.deep.equal({ '****USED': 'Active', '****IDLE': 'Active' });
    expect(statuses(report.remediation.dryRun.keysAfter)).to.deep.equal({ '****USED': 'Active', '****IDLE': 'Active' });
    expect(statuses(report.remediation.run.keysAfter)).to.deep.equal({ '****USED': 'Active', '****IDLE': 'Inactive' });
    expect(report.remediation.run.answer).to.deep.include({ deactivated: ['****IDLE'], changed: true });
  });

  it('prints no full access key id on stdout or stderr, in JSON or text, only masked ones', () => {
    const printed = [json.stdout, json.stderr, text.stdout, text.stderr].join('\n');
    const leaked = sampleAccessKeyIds().filter((id) => printed.includes(id));
    expect(leaked).to.deep.equal([]);
    expect(printed).to.include('****USED');
    expect(printed).not.to.match(/AKIA[A-Z0-9]{16}/);
  });

  it('prints the findings as a table in text mode', () => {
    for (const [user, compliance] of EXPECTED) expect(text.stdout).to.match(new RegExp(`^${user} +AIDA\\w+ +${compliance} `, 'm'));
    expect(text.stdout).to.include('npx serverless deploy');
  });

  it('leaves no server listening and no function process running', async () => {
    expect(await accepts(report.endpoint)).to.equal(false);
    const pids = [
      report.periodic.invocation,
      report.change.invocation,
      report.remediation.dryRun.invocation,
      report.remediation.run.invocation,
    ].map((i) => i.pid);
    expect(pids.filter(isAlive)).to.deep.equal([]);
  });

  const interruptions: [how: string, signal: NodeJS.Signals, group: boolean, code: number][] = [
    ['Ctrl-C (SIGINT to the whole process group)', 'SIGINT', true, 130],
    ['SIGTERM to the demo alone', 'SIGTERM', false, 143],
  ];
  for (const [how, signal, group, code] of interruptions) {
    it(`stops the stand-in and the function process on ${how} mid-run`, async () => {
      // Prepare
      let endpoint: string | undefined;
      let functionPid: number | undefined;
      let sent = false;

      // Act: signal as soon as the first packaged function runs.
      const interrupted = await run(DEMO[0], [...DEMO.slice(1), '--json'], {
        detached: true,
        onStderr: (stderr, child) => {
          endpoint ??= /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
          functionPid ??= Number(/running in process (\d+)/.exec(stderr)?.[1]) || undefined;
          if (!sent && endpoint && functionPid) {
            sent = true;
            process.kill(group ? -child.pid! : child.pid!, signal);
          }
        },
      });

      // Assess
      expect(sent, interrupted.stderr).to.equal(true);
      expect(interrupted.code, interrupted.stderr).to.equal(code);
      expect(interrupted.stdout).to.equal('');
      expect(interrupted.stderr).to.include(`${signal}: stopping everything the demo started`);
      expect(await accepts(endpoint!)).to.equal(false);
      expect(isAlive(functionPid!)).to.equal(false);
    });
  }
});
