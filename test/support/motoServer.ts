import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// moto_server (moto 5.2.1) for wire tests against a DynamoDB that enforces condition expressions:
// a third party's reading of DynamoDB's semantics, beside the fake's own. The project's machines
// have it (not installed by the project); .ci/run requires it, starts one, exports its URL as
// MOTO_ENDPOINT_URL and sets REQUIRE_MOTO. Under plain `npm test`, a moto_server on PATH is
// started here (about 0.3 s, its DynamoDB backend loads on the first request) so developers run
// those tests too; without one they are skipped, saying so, unless REQUIRE_MOTO is set.

/** The moto version the project's machines have. */
export const MOTO_VERSION = '5.2.1';
export const MOTO_INSTALL = `python3 -m pip install "moto[server]==${MOTO_VERSION}"`;

const READY_WITHIN_MS = 15_000;
let endpoint: Promise<string | undefined> | undefined;

/**
 * The URL of a running moto_server: MOTO_ENDPOINT_URL when set (it must answer), else one started
 * now from PATH on MOTO_PORT or a free port (once per test process, stopped when it exits), else
 * undefined.
 */
export function motoEndpoint(): Promise<string | undefined> {
  endpoint ??= findOrStart();
  return endpoint;
}

/**
 * For a mocha `before`: the moto endpoint, or the suite skipped with a message naming what was
 * left out and how to install moto; with REQUIRE_MOTO set, an error instead of the skip.
 */
export async function motoOrSkip(context: Mocha.Context, what: string): Promise<string> {
  const url = await motoEndpoint();
  if (url !== undefined) return url;
  if (process.env.REQUIRE_MOTO)
    throw new Error(`moto_server is not installed and REQUIRE_MOTO is set: ${what} cannot run. Install it: ${MOTO_INSTALL}`);
  console.warn(`      moto_server is not installed: skipped ${what}. Install it: ${MOTO_INSTALL}`);
  context.skip();
}

async function findOrStart(): Promise<string | undefined> {
  const given = process.env.MOTO_ENDPOINT_URL?.trim();
  if (given) {
    if (!(await answers(given, READY_WITHIN_MS))) throw new Error(`MOTO_ENDPOINT_URL=${given} does not answer (is moto_server running?)`);
    return given.replace(/\/+$/, '');
  }
  if (spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status !== 0) return undefined;
  const port = process.env.MOTO_PORT ? Number(process.env.MOTO_PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  // The tests end when mocha's work does; moto must not keep the process alive, nor outlive it.
  child.unref();
  process.once('exit', () => child.kill());
  if (!(await answers(url, READY_WITHIN_MS, child))) {
    child.kill();
    throw new Error(`moto_server did not answer at ${url} within ${READY_WITHIN_MS / 1000} s`);
  }
  return url;
}

/** Whether `url` answers moto's own API before `withinMs` (false at once if `child` exits). */
async function answers(url: string, withinMs: number, child?: ChildProcess): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until && child?.exitCode == null) {
    try {
      if ((await fetch(`${url.replace(/\/+$/, '')}/moto-api/`)).ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
