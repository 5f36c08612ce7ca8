import { type ConfigServiceClient, ListDiscoveredResourcesCommand } from '@aws-sdk/client-config-service';
import { AwsCallError } from '../../config/errors';
import type { IamAccessKeys, IamUser } from '../IamAccessKeys';
import { UnknownIamUserError } from './errors';

/** An IAM user found by id and confirmed by GetUser: its current name and path. */
export interface ResolvedUser {
  userId: string;
  userName: string;
  path: string;
}

/**
 * The user with this id, as IAM knows it now. The name comes from Config's discovered resources
 * (as AWS's AWSConfigRemediation-RevokeUnusedIAMUserCredentials does), or from IAM's ListUsers
 * when Config has none: ListDiscoveredResources is regional and finds nothing in a region that
 * does not record IAM users, and a renamed user keeps its id but not its recorded name. Either
 * way GetUser must confirm that the name belongs to the id now; otherwise UnknownIamUserError.
 */
export async function resolveIamUser(
  userId: string,
  config: ConfigServiceClient,
  iam: IamAccessKeys,
  abortSignal?: AbortSignal,
): Promise<ResolvedUser> {
  const recordedName = await discoveredUserName(userId, config, abortSignal);
  if (recordedName !== undefined) {
    const user = await iam.getUser(recordedName);
    if (user?.userId === userId) return resolved(user);
  }
  const byId = await iam.findUserById(userId);
  if (byId.status === 'found') return resolved(byId.user);
  const where =
    recordedName === undefined
      ? "not in AWS Config's discovered resources"
      : `AWS Config knows it as ${recordedName}, which IAM no longer confirms`;
  throw new UnknownIamUserError(userId, `${where}, and not found in IAM's ListUsers`);
}

/** The user name Config recorded for the id, if Config discovered it (in this region). */
async function discoveredUserName(userId: string, config: ConfigServiceClient, abortSignal?: AbortSignal): Promise<string | undefined> {
  try {
    const { resourceIdentifiers } = await config.send(
      new ListDiscoveredResourcesCommand({ resourceType: 'AWS::IAM::User', resourceIds: [userId] }),
      { abortSignal },
    );
    return resourceIdentifiers?.find((identifier) => identifier.resourceId === userId)?.resourceName || undefined;
  } catch (cause) {
    throw new AwsCallError('config:ListDiscoveredResources', `IAM user id ${userId}`, { cause, abortSignal });
  }
}

function resolved(user: IamUser): ResolvedUser {
  return { userId: user.userId, userName: user.userName, path: user.path ?? '/' };
}
