import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import { CubicRateLimiter } from './CubicRateLimiter';
import { ExecutionRoleError } from './errors';
import { ThrottleTolerantRetryStrategy } from './ThrottleTolerantRetryStrategy';

/** Constructor of an AWS SDK v3 client. */
export type ClientClass<C> = new (config: ClientSettings) => C;

/** The client settings this runtime sets. */
export interface ClientSettings {
  region?: string;
  credentials?: AwsCredentialIdentityProvider;
  maxAttempts?: number;
  retryMode?: string;
  retryStrategy?: AdaptiveRetryStrategy | ThrottleTolerantRetryStrategy;
}

/** Hands out SDK clients that act in one account. */
export interface ClientProvider {
  /** A client of the function's region (AWS_REGION), or of `region` when given. */
  get<C>(clientClass: ClientClass<C>, region?: string): C;
  /** Resolves the credentials now, so that a role that cannot be assumed fails as itself. */
  ready(): Promise<void>;
  /** Throttled responses the clients handed out so far have had, over their lifetime (each one retried). */
  throttledCalls(): number;
}

/**
 * What a client does when throttled: `attempts`, as any SDK client, spends one of its attempts
 * and some retry quota; `untilAborted` retries until the caller's abort signal (every call of a
 * sweep carries one), spending neither (see ThrottleTolerantRetryStrategy).
 */
export type ThrottlePolicy = 'attempts' | 'untilAborted';

/** Credentials are refreshed when they have less than this left. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The SDK's retry strategy, tuned rather than replaced: adaptive mode (the SDK's
 * AdaptiveRetryStrategy: exponential backoff with jitter for throttling and 5xx errors, a retry
 * quota, and client-side rate limiting), with more attempts than the default 3 for calls that
 * really fail, throttles retried until the caller's abort signal without spending attempts or
 * quota (see ThrottleTolerantRetryStrategy), and a rate limiter that measures the rate it backs
 * off from and recovers after a quiet period (see CubicRateLimiter). Each client gets its own
 * limiter: IAM throttles per account, and a client acts in one account. AWS_MAX_ATTEMPTS
 * overrides the attempts and AWS_RETRY_MODE=standard turns client-side rate limiting (and the
 * patience with throttles) off, as they do for any SDK client.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export function retrySettings(
  env: NodeJS.ProcessEnv = process.env,
  throttling: ThrottlePolicy = 'attempts',
): Pick<ClientSettings, 'maxAttempts' | 'retryMode' | 'retryStrategy'> {
  const parsed = Number.parseInt(env.AWS_MAX_ATTEMPTS ?? '', 10);
  const maxAttempts = Number.isInteger(parsed) && parsed > 0 ? parsed : 8;
  const retryMode = env.AWS_RETRY_MODE || 'adaptive';
  if (retryMode !== 'adaptive') return { maxAttempts, retryMode };
  const rateLimiter = new CubicRateLimiter();
  const retryStrategy =
    throttling === 'untilAborted'
      ? new ThrottleTolerantRetryStrategy({ maxAttempts, rateLimiter })
      : new AdaptiveRetryStrategy(maxAttempts, { rateLimiter });
  rateLimiters.set(retryStrategy, rateLimiter);
  return { maxAttempts, retryMode, retryStrategy };
}

/** The limiter of each retry strategy retrySettings made. */
const rateLimiters = new WeakMap<object, CubicRateLimiter>();

/** Cached clients: by client class, then by role ARN ('' for the function's own credentials), throttle policy and region ('' for the default). */
const clients = new Map<ClientClass<unknown>, Map<string, unknown>>();
const credentialProviders = new Map<string, AwsCredentialIdentityProvider>();
let sessionCounter = 0;

/**
 * Clients that act with the function's own credentials (no role) or with `roleArn` assumed.
 * Clients and credentials are cached for the life of the Lambda container, one per service
 * per role, so warm invocations reuse connections and credentials until they near expiry.
 */
export function clientsFor(
  roleArn: string | undefined,
  sessionName = 'config-rule',
  throttling: ThrottlePolicy = 'attempts',
): ClientProvider {
  const handedOut = new Set<object>();
  return {
    get<C>(clientClass: ClientClass<C>, region?: string): C {
      const key = `${roleArn ?? ''} ${throttling} ${region ?? ''}`;
      let byRole = clients.get(clientClass as ClientClass<unknown>);
      if (!byRole) {
        byRole = new Map();
        clients.set(clientClass as ClientClass<unknown>, byRole);
      }
      let client = byRole.get(key) as C | undefined;
      if (!client) {
        const settings: ClientSettings = { ...retrySettings(process.env, throttling), ...(region === undefined ? {} : { region }) };
        if (roleArn) settings.credentials = assumedRoleCredentials(roleArn, sessionName);
        client = new clientClass(settings);
        byRole.set(key, client);
        if (settings.retryStrategy) retryStrategies.set(client as object, settings.retryStrategy);
      }
      handedOut.add(client as object);
      return client;
    },
    async ready(): Promise<void> {
      if (roleArn) await assumedRoleCredentials(roleArn, sessionName)();
    },
    throttledCalls(): number {
      let total = 0;
      for (const client of handedOut) {
        const strategy = retryStrategies.get(client);
        if (strategy instanceof ThrottleTolerantRetryStrategy) total += strategy.throttledCount;
      }
      return total;
    },
  };
}

/** The retry strategy each cached client was built with, for its throttle count and limiter state. */
const retryStrategies = new WeakMap<object, AdaptiveRetryStrategy | ThrottleTolerantRetryStrategy>();

/** The client-side rate limiter of a client made by clientsFor (undefined with AWS_RETRY_MODE=standard). */
export function rateLimiterOf(client: object): CubicRateLimiter | undefined {
  const strategy = retryStrategies.get(client);
  return strategy && rateLimiters.get(strategy);
}

/** Forgets cached clients and credentials (tests, and a changed environment). */
export function resetClients(): void {
  clients.clear();
  credentialProviders.clear();
}

function assumedRoleCredentials(roleArn: string, sessionName: string): AwsCredentialIdentityProvider {
  let provider = credentialProviders.get(roleArn);
  if (provider) return provider;
  let cached: AwsCredentialIdentity | undefined;
  let inFlight: Promise<AwsCredentialIdentity> | undefined;
  provider = async () => {
    if (cached?.expiration && cached.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS) return cached;
    inFlight ??= assumeRole(roleArn, sessionName).finally(() => {
      inFlight = undefined;
    });
    cached = await inFlight;
    return cached;
  };
  credentialProviders.set(roleArn, provider);
  return provider;
}

async function assumeRole(roleArn: string, sessionName: string): Promise<AwsCredentialIdentity> {
  // STS is loaded only when a rule runs with an execution role.
  const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const sts = clientsFor(undefined).get(STSClient);
  sessionCounter += 1;
  try {
    const { Credentials: credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: roleSessionName(sessionName, sessionCounter) }),
    );
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error('the response carried no credentials');
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    };
  } catch (cause) {
    throw new ExecutionRoleError(roleArn, { cause });
  }
}

/**
 * A RoleSessionName (2 to 64 of [\w+=,.@-]) from the rule name: other characters become "-".
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export function roleSessionName(name: string, counter: number): string {
  const suffix = `-${counter}`;
  return `${name.replace(/[^\w+=,.@-]/g, '-').slice(0, 64 - suffix.length)}${suffix}`;
}
