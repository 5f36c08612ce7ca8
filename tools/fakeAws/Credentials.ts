import { randomBytes } from 'node:crypto';
import type { Protocol } from './protocols';
import type { IssuedCredentials } from './types';
import type { ApiError } from './wire';

/**
 * The credentials the stand-in's AssumeRole issued, and which account a request's credentials act
 * on: issued ones their role's (with their session token, unexpired), bound access keys their
 * account, any other the default account.
 */
export class Credentials {
  private readonly issued = new Map<string, IssuedCredentials>();
  private readonly expired = new Set<string>();
  private readonly bound = new Map<string, string>();
  private counter = 0;

  /** Issues credentials for a role session in `accountId`. */
  issue(roleArn: string, roleSessionName: string, durationSeconds: number, accountId: string): IssuedCredentials {
    this.counter += 1;
    const n = this.counter;
    const creds: IssuedCredentials = {
      accessKeyId: `ASIA${String(n).padStart(4, '0')}${accountId}`,
      secretAccessKey: `fake-secret-${n}-${randomBytes(8).toString('hex')}`,
      sessionToken: `fake-session-${n}-${randomBytes(16).toString('base64url')}`,
      expiration: new Date(Math.floor(Date.now() / 1000 + durationSeconds) * 1000),
      roleArn,
      roleSessionName,
      accountId,
    };
    this.issued.set(creds.accessKeyId, creds);
    return creds;
  }

  /** What was issued under an access key id, if anything. */
  get(accessKeyId: string): IssuedCredentials | undefined {
    return this.issued.get(accessKeyId);
  }

  /** Makes issued credentials expired (all when no id). */
  expire(accessKeyId?: string): void {
    for (const id of accessKeyId === undefined ? this.issued.keys() : [accessKeyId]) this.expired.add(id);
  }

  /** Makes requests signed with this access key id act on `accountId`. */
  bind(accessKeyId: string, accountId: string): void {
    this.bound.set(accessKeyId, accountId);
  }

  /**
   * The account a request signed with `accessKeyId` acts on, and the protocol's error to answer
   * when issued credentials come with another session token or have expired.
   */
  accountOf(
    accessKeyId: string | undefined,
    sessionToken: string | undefined,
    protocol: Protocol,
    defaultAccountId: string,
  ): { accountId: string; refusal?: ApiError } {
    if (accessKeyId === undefined) return { accountId: defaultAccountId };
    const issued = this.issued.get(accessKeyId);
    if (!issued) return { accountId: this.bound.get(accessKeyId) ?? defaultAccountId };
    if (sessionToken !== issued.sessionToken) return { accountId: issued.accountId, refusal: protocol.invalidToken() };
    if (this.expired.has(issued.accessKeyId) || issued.expiration.getTime() <= Date.now())
      return { accountId: issued.accountId, refusal: protocol.expiredToken() };
    return { accountId: issued.accountId };
  }
}
