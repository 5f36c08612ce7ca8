/** STS actions of the fake (awsQuery, Version 2011-06-15). */
import type { QueryAction, QueryContext } from './iam';
import type { IssuedCredentials } from './types';
import { el, queryValidation } from './wire';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_VERSION = '2011-06-15';

/** What the STS actions need from the fake. */
export interface StsHost {
  /** Hands out credentials acting on `accountId`, recording the assumed role. */
  issueCredentials(roleArn: string, roleSessionName: string, durationSeconds: number, accountId: string): IssuedCredentials;
  /** The credentials AssumeRole issued under this access key id, if any. */
  issuedCredentials(accessKeyId: string): IssuedCredentials | undefined;
}

const ROLE_ARN = /^arn:([\w-]+):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

function validation(member: string, value: string, constraint: string): Error {
  return queryValidation(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

/** STS actions by name. */
export function stsActions(host: StsHost): Record<string, QueryAction> {
  return {
    AssumeRole(ctx: QueryContext) {
      const roleArn = ctx.params.RoleArn ?? '';
      const sessionName = ctx.params.RoleSessionName ?? '';
      const match = ROLE_ARN.exec(roleArn);
      if (!match) throw validation('roleArn', roleArn, 'Member must be the ARN of an IAM role');
      if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
        throw validation(
          'roleSessionName',
          sessionName,
          'Member must have length 2..64 and satisfy regular expression pattern: [\\w+=,.@-]*',
        );
      }
      const durationSeconds = ctx.params.DurationSeconds === undefined ? 3600 : Number(ctx.params.DurationSeconds);
      if (!Number.isInteger(durationSeconds) || durationSeconds < 900) {
        throw validation('durationSeconds', String(ctx.params.DurationSeconds), 'Member must have value greater than or equal to 900');
      }
      if (durationSeconds > 3600) {
        // Roles default to MaxSessionDuration 3600; the fake's roles all keep that default.
        throw queryValidation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
      }
      const [, partition, accountId, roleName] = match;
      const creds = host.issueCredentials(roleArn, sessionName, durationSeconds, accountId!);
      const roleId = `AROA${accountId}FAKE`;
      return (
        '<AssumedRoleUser>' +
        el('AssumedRoleId', `${roleId}:${sessionName}`) +
        el('Arn', `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`) +
        '</AssumedRoleUser><Credentials>' +
        el('AccessKeyId', creds.accessKeyId) +
        el('SecretAccessKey', creds.secretAccessKey) +
        el('SessionToken', creds.sessionToken) +
        el('Expiration', creds.expiration) +
        '</Credentials>'
      );
    },

    GetCallerIdentity(ctx: QueryContext) {
      const issued = ctx.accessKeyId === undefined ? undefined : host.issuedCredentials(ctx.accessKeyId);
      if (issued) {
        const roleName = issued.roleArn.split('/').pop()!;
        const partition = issued.roleArn.split(':')[1];
        return (
          el('UserId', `AROA${issued.accountId}FAKE:${issued.roleSessionName}`) +
          el('Account', issued.accountId) +
          el('Arn', `arn:${partition}:sts::${issued.accountId}:assumed-role/${roleName}/${issued.roleSessionName}`)
        );
      }
      const user = ctx.accessKeyId === undefined ? undefined : ctx.account.keysById.get(ctx.accessKeyId)?.user;
      const accountId = ctx.account.accountId;
      return (
        el('UserId', user?.userId ?? `AIDA${accountId}FAKE`) +
        el('Account', accountId) +
        el('Arn', user?.arn ?? `arn:aws:iam::${accountId}:user/fake-caller`)
      );
    },
  };
}
