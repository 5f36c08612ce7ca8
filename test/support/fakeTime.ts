import sinon from 'sinon';

/**
 * What a fake clock takes over: the timers and clocks the runtime, the SDK and the local endpoint
 * read. Never setImmediate or process.nextTick, which real I/O and promises need.
 */
const FAKED = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const;

/** Turns of the event loop with no new activity after which the I/O in flight is taken as done for now. */
const QUIET_TURNS = 4;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `work` on a fake clock while its I/O (the real SDK's HTTP calls to the local endpoint)
 * stays real: whenever `activity()` (a figure that changes as requests arrive and are answered)
 * has stayed the same for a few turns of the event loop, the clock moves on to the next timer.
 * Backoffs, rate-limiter waits, the endpoint's latency and the Lambda deadline then take no real
 * time, and happen in the order they would on a network without latency: what such a test shows
 * does not depend on how fast the machine is. `work` gets the clock, to move it by hand too.
 */
export async function onFakeTime<T>(activity: () => unknown, work: (clock: sinon.SinonFakeTimers) => Promise<T>): Promise<T> {
  // A timer started before the clock (a socket's, say) may be cleared after: clear it for real.
  const clock = sinon.useFakeTimers({ now: Date.now(), toFake: [...FAKED], shouldClearNativeTimers: true });
  try {
    let done = false;
    const running = work(clock).finally(() => {
      done = true;
    });
    running.catch(() => undefined);
    let last = JSON.stringify(activity());
    let quiet = 0;
    while (!done) {
      await turn();
      const now = JSON.stringify(activity());
      quiet = now === last ? quiet + 1 : 0;
      last = now;
      if (quiet >= QUIET_TURNS) {
        quiet = 0;
        await clock.nextAsync();
      }
    }
    return await running;
  } finally {
    clock.restore();
  }
}
