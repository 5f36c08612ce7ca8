import { resetClients } from '../../src/config/awsClients';
import { FakeAws, type FakeAwsOptions } from './fakeAws';

const saved: { endpoint?: string; attempts?: string }[] = [];

/**
 * Starts a local fake AWS endpoint and points every SDK client the code creates at it
 * (AWS_ENDPOINT_URL), with `maxAttempts` attempts per call. Undo with `stopFakeAws`.
 */
export async function startFakeAws(options: FakeAwsOptions & { maxAttempts: number }): Promise<FakeAws> {
  const fake = await FakeAws.start(options);
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
