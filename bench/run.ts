// npm run bench [-- --quick]
// Measures the rule's periodic sweep and cold start against a local fake IAM/Config endpoint
// with configurable latency and a token-bucket rate limit, prints each figure with its target,
// and writes them to bench/results.json. It reports; it never fails on a timing.
import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { FakeUser } from '../test/support/fakeAws';

const ROOT = resolve(__dirname, '..');
const QUICK = process.argv.includes('--quick');
/** Sweeps of 300 users run before the warm measurement: V8 keeps optimising for about six (~1,800 calls). */
const WARM_UP_SWEEPS = QUICK ? 1 : 6;
const run = promisify(execFile);

process.env.AWS_REGION = 'us-east-1';
process.env.AWS_DEFAULT_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'AKIDBENCH';
process.env.AWS_SECRET_ACCESS_KEY = 'bench';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';

/** The fake endpoint in a child process. */
class FakeProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (message: { id: number; result: unknown }) => this.waiting.get(message.id)?.(message.result));
  }

  static async start(): Promise<FakeProcess> {
    const child = fork(join(__dirname, 'fakeProcess.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const { url } = await new Promise<{ url: string }>((done) => child.once('message', (message: { result: { url: string } }) => done(message.result)));
    return new FakeProcess(child, url);
  }

  request<T = unknown>(command: string, fields: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise((done) => {
      this.waiting.set(id, (result) => done(result as T));
      this.child.send({ id, command, ...fields });
    });
  }

  stop(): void {
    this.child.disconnect();
  }
}

interface FakeStats {
  iamCalls: number;
  throttled: number;
  evaluations: number;
  distinctResources: number;
  putTimes: number[];
  iamTimes: { first?: number; last?: number };
}

/** `count` users, each with one active key (compliant), and every `twoKeysEvery`th with two. */
function users(count: number, twoKeysEvery = 0): FakeUser[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, index) => ({
    userName: `bench-user-${index}`,
    userId: `AIDABENCH${String(index).padStart(12, '0')}`,
    path: index % 3 === 0 ? '/team/' : '/',
    accessKeys: Array.from({ length: twoKeysEvery && index % twoKeysEvery === 0 ? 2 : 1 }, (_, key) => ({
      accessKeyId: `AKIABENCH${String(index).padStart(8, '0')}K${key}`,
      status: 'Active' as const,
      createDate: new Date(now - (200 - key) * 86_400_000),
    })),
  }));
}

function scheduledEvent(): unknown {
  const event = JSON.parse(readFileSync(join(ROOT, 'events/scheduled-notification.json'), 'utf8'));
  return { ...event, resultToken: 'bench-token' };
}

async function loadHandler(): Promise<void> {
  await import('../src/config/awsClients');
  await import('../src/iam-user-single-access-key/handler');
}

async function sweep(fake: FakeProcess): Promise<{ seconds: number; cpuSeconds: number; stats: FakeStats; error?: string }> {
  const { resetClients } = await import('../src/config/awsClients');
  const { handler } = await import('../src/iam-user-single-access-key/handler');
  resetClients();
  await fake.request('reset');
  const started = performance.now();
  const cpu = process.cpuUsage();
  let error: string | undefined;
  try {
    await handler(scheduledEvent(), { getRemainingTimeInMillis: () => 900_000 - (performance.now() - started) });
  } catch (caught) {
    error = (caught as Error).message;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, stats: await fake.request<FakeStats>('stats'), error };
}

async function sequentialLoop(): Promise<number> {
  const { IAMClient, ListAccessKeysCommand, paginateListUsers } = await import('@aws-sdk/client-iam');
  const iam = new IAMClient({});
  const started = performance.now();
  for await (const page of paginateListUsers({ client: iam }, {})) {
    for (const user of page.Users ?? []) await iam.send(new ListAccessKeysCommand({ UserName: user.UserName }));
  }
  iam.destroy();
  return (performance.now() - started) / 1000;
}

function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => (code === 0 ? done((performance.now() - started) / 1000) : fail(new Error(`${command} exited ${code}: ${stderr}`))));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

async function main(): Promise<void> {
  const results: Record<string, unknown> = { mode: QUICK ? 'quick' : 'full', node: process.version, date: new Date().toISOString() };
  const fake = await FakeProcess.start();
  process.env.AWS_ENDPOINT_URL = fake.url;
  await loadHandler();
  const concurrency = Number(process.env.SWEEP_CONCURRENCY ?? 'default');
  results.sweepConcurrency = Number.isNaN(concurrency) ? 'default' : concurrency;

  // 1. Latency-bound sweep: no rate limit, 20 ms a call, against a sequential loop
  {
    const n = QUICK ? 100 : 300;
    await fake.request('clearUsers');
    await fake.request('addUsers', { users: users(n) });
    await fake.request('configure', { latencyMs: 20 });
    // The first sweep of a fresh process (JIT-cold code, new clients), as a Lambda's first invocation.
    const cold = await sweep(fake);
    // Then warm the code up, as a warm container is, and measure both approaches with new clients
    // (300 users a warm-up sweep, at no latency).
    await fake.request('configure', { latencyMs: 0 });
    for (let round = 0; round < WARM_UP_SWEEPS; round += 1) await sweep(fake);
    await fake.request('configure', { latencyMs: 20 });
    const sequential = await sequentialLoop();
    const { seconds, cpuSeconds, stats, error } = await sweep(fake);
    results.latencyBound = {
      users: n,
      latencyMs: 20,
      sequentialSeconds: round(sequential),
      seconds: round(seconds),
      cpuSeconds: round(cpuSeconds),
      cpuMsPerIamCall: round((1000 * cpuSeconds) / stats.iamCalls, 2),
      speedup: round(sequential / seconds, 1),
      coldProcessSeconds: round(cold.seconds),
      coldProcessSpeedup: round(sequential / cold.seconds, 1),
      target: '>= 15',
      evaluationsLost: n - stats.distinctResources,
      error,
    };
    console.log(`latency-bound sweep: ${n} users, 20 ms a call: ${round(seconds, 2)} s vs sequential ListUsers+ListAccessKeys loop ${round(sequential, 2)} s: ${round(sequential / seconds, 1)}x (target >= 15x); first sweep of a fresh process ${round(cold.seconds, 2)} s (${round(sequential / cold.seconds, 1)}x); handler CPU ${round(cpuSeconds, 2)} s = ${round((1000 * cpuSeconds) / stats.iamCalls, 2)} ms per IAM call; lost ${n - stats.distinctResources}${error ? `; ERROR ${error}` : ''}`);
  }

  // 2. Rate-limited sweep: close to the bound (N + N/1000 pages) / R
  {
    const n = QUICK ? 300 : 1000;
    const rate = QUICK ? 50 : 100;
    await fake.request('clearUsers');
    await fake.request('addUsers', { users: users(n) });
    await fake.request('configure', { latencyMs: 10, rateLimit: { perSecond: rate, burst: Math.ceil(rate / 10) } });
    const { seconds, stats, error } = await sweep(fake);
    const bound = (n + Math.ceil(n / 1000)) / rate;
    const first = stats.putTimes[0] - (stats.iamTimes.first ?? 0);
    results.rateLimited = {
      users: n,
      iamRatePerSecond: rate,
      latencyMs: 10,
      seconds: round(seconds),
      boundSeconds: round(bound),
      ratioToBound: round(bound / seconds),
      target: '>= 0.85',
      iamCalls: stats.iamCalls,
      throttled: stats.throttled,
      throttledShare: round(stats.throttled / stats.iamCalls),
      throttledTarget: '<= 0.15',
      evaluationsLost: n - stats.distinctResources,
      putEvaluationsCalls: stats.putTimes.length,
      firstReportAfterSeconds: round(first / 1000),
      benchProcessRssMiB: round(process.memoryUsage().rss / 1048576, 0),
      error,
    };
    console.log(`rate-limited sweep: ${n} users at ${rate} IAM calls/s, 10 ms: ${round(seconds, 2)} s, bound ${round(bound, 2)} s, ratio ${round(bound / seconds, 2)} (target >= 0.85); throttled ${stats.throttled}/${stats.iamCalls} = ${round((100 * stats.throttled) / stats.iamCalls, 1)}% (target <= 15%); lost ${n - stats.distinctResources}; first PutEvaluations ${round(first / 1000, 2)} s after the first IAM call${error ? `; ERROR ${error}` : ''}`);
  }

  // 3. Cold start of the packaged handler vs the same job in Python with boto3; zip size
  {
    await fake.request('clearUsers');
    await fake.request('addUsers', {
      users: [{ userName: 'alice', userId: 'AIDAJQABLZS4A3QDU576Q', path: '/team/ops/', accessKeys: users(1, 1)[0].accessKeys }],
    });
    await fake.request('configure', { latencyMs: 0 });
    const packaged = mkdtempSync(join(tmpdir(), 'bench-package-'));
    await run('npx', ['serverless', 'package', '--stage', 'bench', '--region', 'us-east-1', '--package', packaged], { cwd: ROOT, env: { ...process.env, AWS_ENDPOINT_URL: undefined } });
    const zip = join(packaged, 'evaluate.zip');
    const zipBytes = statSync(zip).size;
    await run('unzip', ['-q', zip, '-d', packaged]);
    const eventFile = join(packaged, 'event.json');
    const event = JSON.parse(readFileSync(join(ROOT, 'events/configuration-item-change.json'), 'utf8'));
    writeFileSync(eventFile, JSON.stringify({ ...event, resultToken: 'bench-token' }));
    copyFileSync(join(__dirname, 'coldStart.py'), join(packaged, 'coldStart.py'));
    const handlerPath = join(packaged, 'src/iam-user-single-access-key/handler.js');
    const script = `require(${JSON.stringify(handlerPath)}).handler(require(${JSON.stringify(eventFile)})).catch((e) => { console.error(e); process.exit(1); })`;
    const env = { ...process.env, AWS_ENDPOINT_URL: fake.url, NODE_OPTIONS: '' };
    const runs = QUICK ? 3 : 7;
    const nodeTimes: number[] = [];
    for (let index = 0; index < runs; index += 1) nodeTimes.push(await timeProcess(process.execPath, ['-e', script], env));
    const pythonTimes: number[] = [];
    let pythonError: string | undefined;
    try {
      for (let index = 0; index < runs; index += 1) pythonTimes.push(await timeProcess('python3', [join(packaged, 'coldStart.py'), eventFile], env));
    } catch (caught) {
      pythonError = (caught as Error).message.split('\n')[0];
    }
    const nodeSeconds = median(nodeTimes);
    const pythonSeconds = pythonTimes.length ? median(pythonTimes) : undefined;
    results.coldStart = {
      nodeSeconds: round(nodeSeconds),
      pythonBoto3Seconds: pythonSeconds === undefined ? null : round(pythonSeconds),
      ratio: pythonSeconds === undefined ? null : round(nodeSeconds / pythonSeconds),
      target: '<= 0.5',
      runs,
      pythonError,
      zipBytes,
      zipKiB: round(zipBytes / 1024, 1),
      zipTarget: '<= 250 KiB',
    };
    console.log(
      `cold start (fresh process, load + one change-triggered evaluation): node ${round(nodeSeconds, 3)} s, python+boto3 ${pythonSeconds === undefined ? `unavailable (${pythonError})` : `${round(pythonSeconds, 3)} s, ratio ${round(nodeSeconds / pythonSeconds, 2)} (target <= 0.5)`}; function zip ${round(zipBytes / 1024, 1)} KiB (target <= 250 KiB)`,
    );
  }

  fake.stop();
  writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to bench/results.json`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
