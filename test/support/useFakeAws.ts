import { resetClients } from '../../src/config/awsClients';
import { journalCalls, type JournalOptions } from './callJournal';
import { FakeAws, type FakeAwsCall, type FakeAwsOptions } from '../../tools/fakeAws';

const saved: { endpoint?: string; attempts?: string }[] = [];

/**
 * Starts a local fake AWS endpoint and points every SDK client the code creates at it
 * (AWS_ENDPOINT_URL), with `maxAttempts` attempts per call. With `journal`, every call is kept
 * for the permission tests (test/support/callJournal.ts). Undo with `stopFakeAws`.
 */
export async function startFakeAws(options: FakeAwsOptions & { maxAttempts: number; journal?: JournalOptions }): Promise<FakeAws> {
  const { journal, ...fakeOptions } = options;
  let journaled: ((call: FakeAwsCall) => void) | undefined;
  const fake = await FakeAws.start(journal ? { ...fakeOptions, onCall: (call) => journaled?.(call) } : fakeOptions);
  if (journal) journaled = journalCalls(journal, fake.defaultAccountId);
  saved.push({ endpoint: process.env.AWS_ENDPOINT_URL, attempts: process.env.AWS_MAX_ATTEMPTS });
  process.env.AWS_ENDPOINT_URL = fake.url;
  process.env.AWS_MAX_ATTEMPTS = String(options.maxAttempts);
  resetClients();
  return fake;
}

/** Stops the endpoint, restores the environment `startFakeAws` changed, and drops cached clients. */
export async function stopFakeAws(fake: FakeAws): Promise<void> {
  const previous = saved.pop();
  process.env.AWS_ENDPOINT_URL = previous?.endpoint;
  process.env.AWS_MAX_ATTEMPTS = previous?.attempts;
  resetClients();
  await fake.close();
}
