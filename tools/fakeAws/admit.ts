import { type AuthorizedRequest, authorizationOf } from './authorization';
import { DEFAULT_MESSAGES, PROTOCOLS, regionOf, type SigV4Scope } from './protocols';
import { type AccountState, TokenBucket } from './state';
import type { FakeService } from './types';
import { ApiError } from './wire';
import type { World } from './World';

/** Where a request acts: its account, and the request as IAM authorizes it there (set by admit). */
export interface Admission {
  accountId: string;
  authorization?: AuthorizedRequest;
}

/**
 * Counts the request, then checks what comes before any action: the credentials (setting
 * `where.accountId` to the account they act on, and `where.authorization` to the request as IAM
 * authorizes it there, derived before anything changes the state it names), IAM's rate limit,
 * injected faults, hooks. Throws the ApiError to answer; returns the account to act on.
 */
export function admit(
  world: World,
  request: { service: FakeService; action: string; params: Record<string, unknown> },
  auth: SigV4Scope | undefined,
  sessionToken: string | undefined,
  where: Admission,
): AccountState {
  const { service, action, params } = request;
  world.traffic.count(service, action);
  const { accountId, refusal } = world.credentials.accountOf(auth?.accessKeyId, sessionToken, PROTOCOLS[service], world.defaultAccountId);
  where.accountId = accountId;
  if (refusal) throw refusal;
  const account = world.account(accountId);
  where.authorization = authorizationOf(service, action, { params, account, region: regionOf(auth) });
  if (service === 'iam' && world.rateLimit) {
    account.bucket ??= new TokenBucket(world.rateLimit);
    if (!account.bucket.take()) {
      world.traffic.answered('throttled');
      throw new ApiError(400, 'Throttling', 'Rate exceeded');
    }
  }
  const fault = world.faults.errorFor(service, action, params, accountId, auth?.region);
  if (fault) {
    world.traffic.answered('injected');
    throw new ApiError(fault.status, fault.code, fault.message ?? DEFAULT_MESSAGES[fault.code] ?? fault.code);
  }
  world.faults.runHooks(service, action, params, accountId);
  return account;
}
