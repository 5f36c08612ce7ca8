import type { ChildProcess } from 'node:child_process';

/** How long a child gets to exit after SIGKILL before the demo stops waiting for it. */
const EXIT_WAIT_MS = 5_000;

/**
 * What the demo started and must stop on success, failure or a signal: child processes, servers,
 * temporary directories. Stopped in reverse order of starting, once.
 */
export class Resources {
  private readonly stops: { name: string; stop: () => Promise<void> | void }[] = [];
  private stopping: Promise<string[]> | undefined;

  /** Registers something to stop; `name` appears in errors. */
  add(name: string, stop: () => Promise<void> | void): void {
    if (this.stopping) throw new Error(`cannot start ${name}: the demo is stopping`);
    this.stops.push({ name, stop });
  }

  /** Registers a child process, killed unless it has exited (at once when the demo is already stopping). */
  track(name: string, child: ChildProcess): ChildProcess {
    try {
      this.add(`${name} (pid ${child.pid})`, () => killAndWait(child));
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return child;
  }

  /** Stops everything registered, newest first; returns what could not be stopped. */
  stopAll(): Promise<string[]> {
    this.stopping ??= (async () => {
      const failures: string[] = [];
      for (const { name, stop } of this.stops.reverse()) {
        try {
          await stop();
        } catch (error) {
          failures.push(`${name}: ${(error as Error).message}`);
        }
      }
      return failures;
    })();
    return this.stopping;
  }
}

/** Whether a child process has not exited yet. */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), EXIT_WAIT_MS);
  });
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome === 'late') throw new Error(`did not exit within ${EXIT_WAIT_MS / 1000} s of SIGKILL`);
}
