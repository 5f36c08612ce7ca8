import {
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  IAMClient,
  NoSuchEntityException,
  paginateListAccessKeys,
  paginateListUsers,
  paginateListUserTags,
} from '@aws-sdk/client-iam';
import { AwsCallError } from '../config/errors';
import type { AccessKey } from './judgeAccessKeys';

/** When and where a key was last used (GetAccessKeyLastUsed); no date means never. */
export interface KeyLastUse {
  lastUsedDate?: Date;
  serviceName?: string;
  region?: string;
}

/** An IAM user as ListUsers and GetUser describe it. */
export interface IamUser {
  userName: string;
  userId: string;
  /** The user's ARN as ListUsers returns it (never built from the name and path). */
  arn?: string;
  /** The user's path, e.g. `/team/ops/` (GetUser). */
  path?: string;
  /** Present when the call returned them (GetUser does, ListUsers does not). */
  tags?: Record<string, string>;
}

/** What a look-up of a user by its id found (IamAccessKeys.findUserById). */
export type UserById =
  /** The user, confirmed by GetUser (with its path and tags). */
  | { status: 'found'; user: IamUser }
  /** No user has the id in a complete ListUsers listing: it no longer exists. */
  | { status: 'absent' }
  /** Listed under a name that GetUser no longer confirms: renamed or deleted meanwhile. */
  | { status: 'moving'; listedName: string };

/**
 * What GetUser, ListAccessKeys and ListUserTags accept as a UserName; IAM answers anything else
 * with a ValidationError, never NoSuchEntity.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html
 */
export const IAM_USER_NAME = /^[\w+=,.@-]{1,128}$/;

/**
 * The IAM calls the rule makes, each failure wrapped in an error that names the API and the
 * user. NoSuchEntity (the user was deleted meanwhile) is an answer, `undefined`, not an error.
 */
export class IamAccessKeys {
  constructor(
    protected readonly iam: IAMClient,
    private readonly abortSignal?: AbortSignal,
  ) {}

  /** Every user of the account, page by page (1,000 a page, IAM's most). */
  async *listUsers(): AsyncIterable<IamUser> {
    try {
      for await (const page of paginateListUsers({ client: this.iam, pageSize: 1000 }, {}, this.sendOptions)) {
        for (const user of page.Users ?? []) {
          if (user.UserName && user.UserId) {
            yield { userName: user.UserName, userId: user.UserId, ...(user.Arn ? { arn: user.Arn } : {}) };
          }
        }
      }
    } catch (cause) {
      throw new AwsCallError('iam:ListUsers', 'the account', { cause, abortSignal: this.abortSignal });
    }
  }

  /**
   * The user with this id, found in ListUsers (a user's id never changes, its name may) and
   * confirmed by GetUser. Pages only until it is found: a full listing only when it is absent.
   */
  async findUserById(userId: string): Promise<UserById> {
    for await (const listed of this.listUsers()) {
      if (listed.userId !== userId) continue;
      const user = await this.getUser(listed.userName);
      return user?.userId === userId ? { status: 'found', user } : { status: 'moving', listedName: listed.userName };
    }
    return { status: 'absent' };
  }

  /** The user with its tags, or undefined if there is none by that name. */
  async getUser(userName: string): Promise<IamUser | undefined> {
    const response = await this.call('iam:GetUser', userName, () =>
      this.iam.send(new GetUserCommand({ UserName: userName }), this.sendOptions),
    );
    const user = response?.User;
    if (!user?.UserName || !user.UserId) return undefined;
    return { userName: user.UserName, userId: user.UserId, path: user.Path, tags: toTagMap(user.Tags) };
  }

  /** The user's access keys, or undefined if the user no longer exists. */
  async listAccessKeys(userName: string): Promise<AccessKey[] | undefined> {
    return this.call('iam:ListAccessKeys', userName, async () => {
      const keys: AccessKey[] = [];
      const pages = paginateListAccessKeys({ client: this.iam }, { UserName: userName }, this.sendOptions);
      for await (const page of pages) {
        for (const key of page.AccessKeyMetadata ?? []) {
          if (key.AccessKeyId) keys.push({ accessKeyId: key.AccessKeyId, status: key.Status ?? 'Unknown', createDate: key.CreateDate });
        }
      }
      return keys;
    });
  }

  /** The user's tags, or undefined if the user no longer exists. */
  async listUserTags(userName: string): Promise<Record<string, string> | undefined> {
    return this.call('iam:ListUserTags', userName, async () => {
      const tags: Record<string, string> = {};
      for await (const page of paginateListUserTags({ client: this.iam }, { UserName: userName }, this.sendOptions)) {
        Object.assign(tags, toTagMap(page.Tags));
      }
      return tags;
    });
  }

  /** When the key was last used; an empty answer if the key was deleted meanwhile. */
  async lastUse(accessKeyId: string, userName: string): Promise<KeyLastUse> {
    const response = await this.call('iam:GetAccessKeyLastUsed', userName, () =>
      this.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }), this.sendOptions),
    );
    const used = response?.AccessKeyLastUsed;
    return { lastUsedDate: used?.LastUsedDate, serviceName: used?.ServiceName, region: used?.Region };
  }

  /** Options for every send; paginators pass their extra arguments on to send. */
  protected get sendOptions(): { abortSignal?: AbortSignal } {
    return { abortSignal: this.abortSignal };
  }

  protected async call<T>(api: string, userName: string, send: () => Promise<T>): Promise<T | undefined> {
    try {
      return await send();
    } catch (cause) {
      if (cause instanceof NoSuchEntityException) return undefined;
      throw new AwsCallError(api, `IAM user ${userName}`, { cause, abortSignal: this.abortSignal });
    }
  }
}

function toTagMap(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) map[tag.Key] = tag.Value ?? '';
  return map;
}
