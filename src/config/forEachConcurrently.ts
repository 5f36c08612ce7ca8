/** How a bounded-concurrency run ended. */
export interface PoolOutcome {
  /** The source was read to its end and every item was handled. */
  completed: boolean;
  /** Items handed to `handle` that finished without an error. */
  handled: number;
}

/**
 * Runs `handle` on the items of `source` with at most `limit` running at once. Stops taking new
 * items when `shouldStop` says so or an item fails; items already started run to their end.
 * The first failure is thrown after that, so work finished before it is never lost.
 */
export async function forEachConcurrently<T>(
  source: AsyncIterable<T>,
  limit: number,
  handle: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<PoolOutcome> {
  const iterator = source[Symbol.asyncIterator]();
  let exhausted = false;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  let handled = 0;

  // Async generators queue concurrent next() calls, but other iterables need not: serialize.
  let reading: Promise<unknown> = Promise.resolve();
  const next = (): Promise<IteratorResult<T>> => {
    const result = reading.then(() => iterator.next());
    reading = result.catch(() => undefined);
    return result;
  };

  const worker = async (): Promise<void> => {
    while (!exhausted && !failure) {
      if (shouldStop()) {
        stopped = true;
        return;
      }
      let result: IteratorResult<T>;
      try {
        result = await next();
      } catch (error) {
        failure ??= { error };
        return;
      }
      if (result.done) {
        exhausted = true;
        return;
      }
      try {
        await handle(result.value);
        handled += 1;
      } catch (error) {
        failure ??= { error };
      }
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (!exhausted) await iterator.return?.();
  if (failure) throw failure.error;
  return { completed: exhausted && !stopped, handled };
}
