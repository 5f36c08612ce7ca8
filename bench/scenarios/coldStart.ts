import { join } from 'node:path';
import type { Bench } from '../Bench';
import { median, round, timeProcess } from '../measure';
import { changeEvent, users } from '../workload';
import { BENCH_REGION } from '../packagedFunctions';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * Cold start of the packaged function (a fresh process, from its start to the answer of one
 * change-triggered evaluation) against the same job in Python with boto3 (bench/coldStart.py, the
 * runtime of AWS's Rule Development Kit), also a fresh process each run; and the zip's size.
 */
export async function coldStart(bench: Bench): Promise<Record<string, unknown>> {
  const { fake, functions, failures, options } = bench;
  await fake.setUsers([{ userName: 'alice', userId: 'AIDAJQABLZS4A3QDU576Q', path: '/team/ops/', accessKeys: users(1, 1)[0]!.accessKeys }]);
  await fake.request('configure', { latencyMs: 0 });
  const runs = options.quick ? 3 : 7;
  const nodeTimes: number[] = [];
  for (let index = 0; index < runs && nodeTimes.length === index; index += 1) {
    const started = performance.now();
    const container = functions.container('evaluate', fake.url);
    const invocation = await container.invoke(changeEvent());
    const seconds = (performance.now() - started) / 1000;
    await container.stop();
    if (invocation.error) failures.add(`cold start: ${invocation.error}`);
    else nodeTimes.push(seconds);
  }
  const python = await pythonTimes(runs, fake.url);
  const nodeSeconds = nodeTimes.length ? median(nodeTimes) : Number.NaN;
  const pythonSeconds = python.times.length ? median(python.times) : undefined;
  const zipBytes = functions.evaluateZipBytes;
  console.log(
    `cold start (fresh process, load + one change-triggered evaluation): node ${round(nodeSeconds, 3)} s, python+boto3 ${pythonSeconds === undefined ? `unavailable (${python.error})` : `${round(pythonSeconds, 3)} s, ratio ${round(nodeSeconds / pythonSeconds, 2)} (target <= 0.5)`}; function zip ${round(zipBytes / 1024, 1)} KiB (target <= 250 KiB)`,
  );
  return {
    nodeSeconds: round(nodeSeconds),
    pythonBoto3Seconds: pythonSeconds === undefined ? null : round(pythonSeconds),
    ratio: pythonSeconds === undefined ? null : round(nodeSeconds / pythonSeconds),
    target: '<= 0.5',
    runs,
    pythonError: python.error,
    zipBytes,
    zipKiB: round(zipBytes / 1024, 1),
    zipTarget: '<= 250 KiB',
  };
}

/** Seconds of each run of bench/coldStart.py, or why Python could not run it. */
async function pythonTimes(runs: number, endpoint: string): Promise<{ times: number[]; error?: string }> {
  const work = mkdtempSync(join(tmpdir(), 'bench-cold-'));
  const eventFile = join(work, 'event.json');
  writeFileSync(eventFile, JSON.stringify(changeEvent()));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_REGION: BENCH_REGION,
    AWS_DEFAULT_REGION: BENCH_REGION,
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: endpoint,
  };
  for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_MAX_ATTEMPTS']) delete env[name];
  const times: number[] = [];
  try {
    for (let index = 0; index < runs; index += 1)
      times.push(await timeProcess('python3', [join(__dirname, '../coldStart.py'), eventFile], env));
    return { times };
  } catch (caught) {
    return { times, error: (caught as Error).message.split('\n')[0] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
