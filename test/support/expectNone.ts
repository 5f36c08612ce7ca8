import { expect } from 'chai';

/** Fails with every line in the message when there is any: chai shortens a long array to "[ …(n) ]". */
export function expectNone(lines: readonly string[], what: string): void {
  if (lines.length > 0) expect.fail(`${lines.length} ${what}:\n  ${lines.join('\n  ')}`);
}
