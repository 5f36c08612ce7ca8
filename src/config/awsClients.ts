import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from '@smithy/core';
import { ClientRetryStrategy, type ThrottlePolicy } from './clientRetryStrategy';
import type { CubicRateLimiter } from './CubicRateLimiter';
import { ExecutionRoleError } from './errors';

/** Constructor of an AWS SDK v3 client. */
export type ClientClass<C> = new (config: ClientSettings) => C;

/** The client settings this runtime sets. */
export interface ClientSettings {
  region?: string;
  credentials?: AwsCredentialIdentityProvider;
  retryStrategy?: ClientRetryStrategy;
  maxAttempts?: () => Promise<number>;
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

/** Cached clients: by client class, then by role ARN ('' for the function's own credentials), throttle policy and region ('' for the default). */
const clients = new Map<ClientClass<unknown>, Map<string, unknown>>();
/** The retry strategy each cached client was built with, for its throttle count and limiter. */
const retryStrategies = new WeakMap<object, ClientRetryStrategy>();
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
        const retryStrategy = new ClientRetryStrategy(throttling);
        const settings: ClientSettings = {
          retryStrategy,
          maxAttempts: () => retryStrategy.maxAttempts(),
          ...(region === undefined ? {} : { region }),
        };
        if (roleArn) settings.credentials = assumedRoleCredentials(roleArn, sessionName);
        client = new clientClass(settings);
        byRole.set(key, client);
        retryStrategies.set(client as object, retryStrategy);
      }
      handedOut.add(client as object);
      return client;
    },
    async ready(): Promise<void> {
      if (roleArn) await assumedRoleCredentials(roleArn, sessionName)();
    },
    throttledCalls(): number {
      let total = 0;
      for (const client of handedOut) total += retryStrategies.get(client)?.throttledCount ?? 0;
      return total;
    },
  };
}

/** The client-side rate limiter of a client made by clientsFor (undefined in standard mode, or before its first call). */
export function rateLimiterOf(client: object): CubicRateLimiter | undefined {
  return retryStrategies.get(client)?.rateLimiter;
}

/** Forgets cached clients and credentials (tests, and a changed environment). */
export function resetClients(): void {
  clients.clear();
  credentialProviders.clear();
}

/**
 * The credentials of `roleArn`, one provider per role: the SDK's fromTemporaryCredentials
 * (sts:AssumeRole with the function's own credentials, in its region), memoized as the SDK
 * memoizes any provider (refreshed 5 minutes before expiry, one AssumeRole at a time), so that
 * every client of the role shares one session. A role that cannot be assumed is an
 * ExecutionRoleError naming the role and its account.
 */
function assumedRoleCredentials(roleArn: string, sessionName: string): AwsCredentialIdentityProvider {
  let provider = credentialProviders.get(roleArn);
  if (provider) return provider;
  sessionCounter += 1;
  const assume = fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: roleSessionName(sessionName, sessionCounter) },
    clientConfig: { retryStrategy: new ClientRetryStrategy('attempts') },
  });
  provider = memoizeIdentityProvider(
    async (properties?: Parameters<AwsCredentialIdentityProvider>[0]) => {
      try {
        return await assume(properties);
      } catch (cause) {
        throw new ExecutionRoleError(roleArn, { cause });
      }
    },
    isIdentityExpired,
    doesIdentityRequireRefresh,
  )!;
  credentialProviders.set(roleArn, provider);
  return provider;
}

/**
 * A RoleSessionName (2 to 64 of [\w+=,.@-]) from the rule name: other characters become "-".
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export function roleSessionName(name: string, counter: number): string {
  const suffix = `-${counter}`;
  return `${name.replace(/[^\w+=,.@-]/g, '-').slice(0, 64 - suffix.length)}${suffix}`;
}
