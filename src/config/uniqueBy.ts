/** What uniqueBy tells and fills. */
export interface UniqueByOptions<T> {
  /** The keys seen so far; filled as the items come (pass one to read it afterwards). */
  seen?: Set<string>;
  /** Hears of each item left out because its key was seen before. */
  onRepeat?: (item: T) => void;
}

/**
 * The items of `source` whose key has not been seen before in it, in order. For listings that are
 * not snapshots: IAM's ListUsers pages can return a user twice (one renamed or moved while the
 * listing pages), and a sweep judges and counts each resource once.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html
 */
export async function* uniqueBy<T>(
  source: AsyncIterable<T>,
  keyOf: (item: T) => string,
  options: UniqueByOptions<T> = {},
): AsyncGenerator<T> {
  const seen = options.seen ?? new Set<string>();
  for await (const item of source) {
    const key = keyOf(item);
    if (seen.has(key)) {
      options.onRepeat?.(item);
      continue;
    }
    seen.add(key);
    yield item;
  }
}
