// EventBridge's event pattern matching, for the parts this project's patterns use: exact values
// (an array of strings, numbers, booleans or null, any one of which matches), nested objects, and
// $or. Any other matcher (prefix, anything-but, numeric, exists, …) is refused rather than guessed,
// so that a pattern outside this subset fails its test instead of passing it.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pattern-operators.html

type Pattern = { [field: string]: unknown };

/** Whether `event` matches `pattern`, as EventBridge decides it (within the subset above). */
export function matchesEventPattern(pattern: Pattern, event: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    if (field === '$or') {
      if (!Array.isArray(expected) || expected.length < 2) throw new Error('$or takes an array of at least two patterns');
      return expected.some((alternative) => matchesEventPattern(alternative as Pattern, event));
    }
    const actual = typeof event === 'object' && event !== null ? (event as Record<string, unknown>)[field] : undefined;
    if (Array.isArray(expected)) return matchesValues(expected, actual, field);
    if (typeof expected === 'object' && expected !== null) return actual !== undefined && matchesEventPattern(expected as Pattern, actual);
    throw new Error(`pattern field ${field}: expected an array of values or a nested pattern, got ${JSON.stringify(expected)}`);
  });
}

/** An event value (or any element of an array value) equal to one of the pattern's values; a missing field matches none. */
function matchesValues(values: unknown[], actual: unknown, field: string): boolean {
  for (const value of values) {
    if (typeof value === 'object' && value !== null)
      throw new Error(`pattern field ${field}: matcher ${JSON.stringify(value)} is outside the subset this checks`);
  }
  if (actual === undefined) return false;
  const candidates = Array.isArray(actual) ? actual : [actual];
  return candidates.some((candidate) => values.some((value) => value === candidate));
}
