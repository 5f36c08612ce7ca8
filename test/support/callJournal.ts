import type { FakeAwsCall } from '../../tools/fakeAws';

// The calls the functions make in the wire tests, kept for the permission tests
// (test/permissions/rolePermissions.test.ts), which evaluate each against the packaged roles.
// Mocha runs every test file in this one process: the wire tests journal their calls as they
// run, and the permission test runs after them (it imports them, so it also runs them alone).

/** A function of the stack whose calls are journaled, by its name in serverless.yml. */
export type JournaledFunction = 'evaluate' | 'remediate';

/** One call a function made, and where. */
export interface JournalEntry {
  function: JournaledFunction;
  /** The full title of the test that made it. */
  scenario: string;
  /** The title of its outermost describe (one per wire test file). */
  suite: string;
  /** The account the function runs in: the fake's default account (requests signed by the function's own credentials act there). */
  homeAccount: string;
  /** What the function's environment let it do when it made the call (JournalOptions.settings). */
  settings: Record<string, unknown>;
  /**
   * The resource names its environment gave it (LOCK_TABLE_NAME: the table the test or the demo
   * created): the permission test reads a call on such a resource as a call on the resource the
   * same variable names in each packaged template.
   */
  resourceNames: Record<string, string>;
  call: FakeAwsCall;
}

/** What a wire test journals: which function its calls are from, and the settings its environment gives that function. */
export interface JournalOptions {
  function: JournaledFunction;
  /** Read at each call: the function's settings from the environment the test gave it (e.g. the remediation's allowDelete). */
  settings?: () => Record<string, unknown>;
  /** Read at each call: the environment variables naming resources, with the values the test gave them (JournalEntry.resourceNames). */
  resourceNames?: () => Record<string, string>;
}

/** The access key a test signs its own calls with (staging or reading state through the SDK): they are not the function's, and are not journaled. */
export const TEST_HARNESS_ACCESS_KEY_ID = 'AKIDTESTHARNESS';

const entries: JournalEntry[] = [];
let titles = ['(outside a test)'];

/** Every call journaled so far in this process. */
export const journalEntries = (): readonly JournalEntry[] => entries;

/** Names the test whose calls come next, by its title path (test/setup.ts calls it before each test). */
export function setJournalScenario(titlePath: string[]): void {
  titles = titlePath.length > 0 ? titlePath : ['(unnamed test)'];
}

/** Journals one call made outside a wire test (the demo's packaged functions), under `scenario`, which is its suite too. */
export function journalCall(entry: Omit<JournalEntry, 'suite'>): void {
  entries.push({ ...entry, suite: entry.scenario });
}

/** A FakeAws onCall listener that journals each call of a fake whose default account is `homeAccount`. */
export function journalCalls(options: JournalOptions, homeAccount: string): (call: FakeAwsCall) => void {
  return (call) => {
    if (call.accessKeyId === TEST_HARNESS_ACCESS_KEY_ID) return;
    entries.push({
      function: options.function,
      scenario: titles.join(' '),
      suite: titles[0]!,
      homeAccount,
      settings: options.settings?.() ?? {},
      resourceNames: options.resourceNames?.() ?? {},
      call,
    });
  };
}
