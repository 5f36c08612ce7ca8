/** IAM actions of the fake (awsQuery, Version 2010-05-08). */
import type { AccountState, UserState } from './state';
import type { FakeAccessKey } from './types';
import { ApiError, el, list, marker, maxItems, queryValidation, truncation } from './wire';

export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const IAM_VERSION = '2010-05-08';

/** What an awsQuery action gets. */
export interface QueryContext {
  account: AccountState;
  params: Record<string, string>;
  accessKeyId?: string;
}

/** An awsQuery action: the inner XML of `<ActionResult>`, or undefined for actions with no output. */
export type QueryAction = (ctx: QueryContext) => string | undefined;

function noSuchUser(userName: string): ApiError {
  return new ApiError(404, 'NoSuchEntity', `The user with name ${userName} cannot be found.`);
}

function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') {
    const member = name[0]!.toLowerCase() + name.slice(1);
    throw queryValidation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

/** IAM's UserName constraint on GetUser, ListAccessKeys, ListUserTags and the like (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html). */
const USER_NAME = /^[\w+=,.@-]{1,128}$/;

/** A UserName IAM accepts, or the ValidationError IAM answers for one it does not (never NoSuchEntity). */
function checkedUserName(name: string): string {
  if (!USER_NAME.test(name)) {
    throw queryValidation(
      `1 validation error detected: Value '${name}' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
    );
  }
  return name;
}

/** The named user, or (no UserName) the user whose access key signed the request. */
function userOf(ctx: QueryContext): UserState {
  const name = ctx.params.UserName === undefined ? undefined : checkedUserName(ctx.params.UserName);
  if (name !== undefined) {
    const user = ctx.account.usersByName.get(name);
    if (!user) throw noSuchUser(name);
    return user;
  }
  const caller = ctx.accessKeyId === undefined ? undefined : ctx.account.keysById.get(ctx.accessKeyId)?.user;
  if (!caller) throw queryValidation('Must specify userName when calling with non-User credentials');
  return caller;
}

function keyOf(user: UserState, accessKeyId: string): FakeAccessKey {
  const key = user.keys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) throw new ApiError(404, 'NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`);
  return key;
}

function userXml(user: UserState, withTags: boolean): string {
  const tags = withTags && user.tags.length > 0 ? list('Tags', user.tags, tagXml) : '';
  return (
    el('Path', user.path) +
    el('UserName', user.userName) +
    el('UserId', user.userId) +
    el('Arn', user.arn) +
    el('CreateDate', user.createDate) +
    el('PasswordLastUsed', user.passwordLastUsed) +
    tags
  );
}

function tagXml([key, value]: [string, string]): string {
  return el('Key', key) + el('Value', value);
}

/** IAM actions by name. */
export const iamActions: Record<string, QueryAction> = {
  ListUsers(ctx) {
    const max = Math.min(maxItems(ctx.params.MaxItems), ctx.account.listUsersPaging.maxItems ?? Infinity);
    const start = marker(ctx.params.Marker);
    const prefix = ctx.params.PathPrefix;
    const listing = ctx.account.listing();
    const users = prefix && prefix !== '/' ? listing.filter((u) => u.path.startsWith(prefix)) : listing;
    const page = users.slice(start, start + max);
    return list('Users', page, (u) => userXml(u, false)) + truncation(start + page.length, users.length);
  },

  GetUser(ctx) {
    return `<User>${userXml(userOf(ctx), true)}</User>`;
  },

  ListAccessKeys(ctx) {
    const user = userOf(ctx);
    const max = maxItems(ctx.params.MaxItems);
    const start = marker(ctx.params.Marker);
    const page = user.keys.slice(start, start + max);
    const render = (k: FakeAccessKey) =>
      el('UserName', user.userName) + el('AccessKeyId', k.accessKeyId) + el('Status', k.status) + el('CreateDate', k.createDate);
    return list('AccessKeyMetadata', page, render) + truncation(start + page.length, user.keys.length);
  },

  GetAccessKeyLastUsed(ctx) {
    const accessKeyId = required(ctx.params, 'AccessKeyId');
    const found = ctx.account.keysById.get(accessKeyId);
    if (!found) {
      // IAM cannot tell which account an unknown key belongs to, so it refuses rather than 404s.
      throw new ApiError(
        403,
        'AccessDenied',
        `User is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${accessKeyId}`,
      );
    }
    const used = found.key.lastUsed;
    return (
      el('UserName', found.user.userName) +
      '<AccessKeyLastUsed>' +
      el('LastUsedDate', used?.date) +
      el('ServiceName', used?.serviceName ?? 'N/A') +
      el('Region', used?.region ?? 'N/A') +
      '</AccessKeyLastUsed>'
    );
  },

  ListUserTags(ctx) {
    const user = ctx.account.usersByName.get(checkedUserName(required(ctx.params, 'UserName')));
    if (!user) throw noSuchUser(ctx.params.UserName!);
    const max = maxItems(ctx.params.MaxItems);
    const start = marker(ctx.params.Marker);
    const page = user.tags.slice(start, start + max);
    return list('Tags', page, tagXml) + truncation(start + page.length, user.tags.length);
  },

  UpdateAccessKey(ctx) {
    const accessKeyId = required(ctx.params, 'AccessKeyId');
    const status = required(ctx.params, 'Status');
    if (status !== 'Active' && status !== 'Inactive') {
      throw queryValidation(
        `1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: ` +
          'Member must satisfy enum value set: [Active, Inactive]',
      );
    }
    keyOf(userOf(ctx), accessKeyId).status = status;
    return undefined;
  },

  TagUser(ctx) {
    const user = ctx.account.usersByName.get(required(ctx.params, 'UserName'));
    if (!user) throw noSuchUser(ctx.params.UserName!);
    const tags = new Map(user.tags);
    for (let i = 1; ctx.params[`Tags.member.${i}.Key`] !== undefined; i++) {
      tags.set(ctx.params[`Tags.member.${i}.Key`]!, ctx.params[`Tags.member.${i}.Value`] ?? '');
    }
    if (tags.size > 50) throw new ApiError(409, 'LimitExceeded', 'The number of tags has reached the maximum limit.');
    user.tags = [...tags];
    return undefined;
  },

  UntagUser(ctx) {
    const user = ctx.account.usersByName.get(required(ctx.params, 'UserName'));
    if (!user) throw noSuchUser(ctx.params.UserName!);
    const keys = new Set<string>();
    for (let i = 1; ctx.params[`TagKeys.member.${i}`] !== undefined; i++) keys.add(ctx.params[`TagKeys.member.${i}`]!);
    user.tags = user.tags.filter(([key]) => !keys.has(key));
    return undefined;
  },

  DeleteAccessKey(ctx) {
    const accessKeyId = required(ctx.params, 'AccessKeyId');
    const user = userOf(ctx);
    keyOf(user, accessKeyId);
    ctx.account.removeKey(user, accessKeyId);
    return undefined;
  },
};
