import { spawn } from 'node:child_process';
import type { FakeStats } from './FakeProcess';
import type { Invocation } from './packagedFunctions';

/** The median of the values. */
export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** A figure rounded for the results file. */
export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/** What makes the run exit 1: sweep errors and lost evaluations (never a timing). */
export class Failures {
  readonly list: string[] = [];

  add(failure: string): void {
    this.list.push(failure);
  }

  /** Checks a sweep: no error, every user reported. Returns the users lost. */
  checkSweep(name: string, users: number, invocation: Invocation, stats: FakeStats): number {
    const lost = users - stats.distinctResources;
    if (invocation.error) this.add(`${name}: ${invocation.error}`);
    if (lost !== 0) this.add(`${name}: ${lost} evaluation(s) lost`);
    return lost;
  }
}

/** A rate-limited sweep's figures against the bound (N + pages) / rate. */
export function rateFigures(n: number, rate: number, invocation: Invocation, stats: FakeStats) {
  const bound = (n + Math.ceil(n / 1000)) / rate;
  return {
    seconds: round(invocation.seconds),
    boundSeconds: round(bound),
    ratioToBound: round(bound / invocation.seconds),
    iamCalls: stats.iamCalls,
    throttled: stats.throttled,
    throttledShare: round(stats.throttled / stats.iamCalls),
    evaluationsLost: n - stats.distinctResources,
    error: invocation.error,
  };
}

/** Seconds a process takes from its start to its exit; fails on a non-zero exit with its stderr. */
export function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done((performance.now() - started) / 1000) : fail(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}
