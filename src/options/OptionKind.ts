/** A value an option cannot take; the message says what was expected, the caller names the option. */
export class OptionValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionValueError';
  }
}

/** How an option's text (a Config rule parameter or a `--param` value, always a string) becomes a value. */
export interface OptionKind<T> {
  /** What the option takes, for messages and the README: "a whole number from 1 to 8760". */
  readonly expected: string;
  /** Parses a trimmed, non-empty text; throws OptionValueError. */
  parse(text: string): T;
  /** The value of an empty text, for kinds that have one (an empty list); without it, empty means "not set". */
  empty?(): T;
}

/** A whole number within bounds (decimal digits only: no sign, exponent or fraction). */
export function wholeNumber(minimum: number, maximum: number): OptionKind<number> {
  const expected = `a whole number from ${minimum} to ${maximum}`;
  return {
    expected,
    parse(text) {
      const number = Number(text);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(number) || number < minimum || number > maximum) {
        throw new OptionValueError(`expected ${expected}, got ${JSON.stringify(text)}`);
      }
      return number;
    },
  };
}

/** true or false, in any case. */
export const flag: OptionKind<boolean> = {
  expected: 'true or false',
  parse(text) {
    const lower = text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw new OptionValueError(`expected "true" or "false", got ${JSON.stringify(text)}`);
  },
};

/** One of a fixed list of words, exactly as written. */
export function oneOf<T extends string>(values: readonly T[]): OptionKind<T> {
  const expected = `one of ${values.join(', ')}`;
  return {
    expected,
    parse(text) {
      if (!(values as readonly string[]).includes(text)) throw new OptionValueError(`expected ${expected}, got ${JSON.stringify(text)}`);
      return text as T;
    },
  };
}

/** A text matching a pattern; `what` names it in messages ("an IAM role name"). */
export function matching(pattern: RegExp, what: string): OptionKind<string> {
  return {
    expected: what,
    parse(text) {
      if (!pattern.test(text)) throw new OptionValueError(`${JSON.stringify(text)} is not ${what}`);
      return text;
    },
  };
}

/** A comma-separated list: items trimmed, empty items dropped, duplicates kept once, each parsed by `item`. */
export function listOf<T>(item: OptionKind<T>): OptionKind<T[]> {
  return {
    expected: `a comma-separated list, each ${item.expected}`,
    parse(text) {
      const items = [
        ...new Set(
          text
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part.length > 0),
        ),
      ];
      return items.map((part) => item.parse(part));
    },
    empty: () => [],
  };
}

/** A comma-separated list as a set (see listOf). */
export function setOf<T>(item: OptionKind<T>): OptionKind<ReadonlySet<T>> {
  const list = listOf(item);
  return { expected: list.expected, parse: (text) => new Set(list.parse(text)), empty: () => new Set() };
}
