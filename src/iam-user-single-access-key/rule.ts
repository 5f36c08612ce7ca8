import { IAMClient } from '@aws-sdk/client-iam';
import { notApplicable, type Verdict } from '../config/ComplianceType';
import type { ConfigurationItem } from '../config/ConfigurationItem';
import type { ConfigRuleDefinition, RuleContext } from '../config/ConfigRuleDefinition';
import { MalformedEventError } from '../config/errors';
import { actionableAnnotation, describeJudgement, type KeyLastUse } from './describeJudgement';
import { IamAccessKeys, type IamUser } from './IamAccessKeys';
import { findExemption, judgeAccessKeys } from './judgeAccessKeys';
import { type AccessKeyRuleParameters, parseAccessKeyRuleParameters } from './parameters';

/** The Config rule name this project deploys by default. */
export const RULE_NAME = 'iam-user-single-access-key';

type Context = RuleContext<AccessKeyRuleParameters>;

/** An IAM user must not have more than `maxAccessKeys` (default one) active access keys. */
export const accessKeyRule: ConfigRuleDefinition<AccessKeyRuleParameters, IamUser> = {
  resourceType: 'AWS::IAM::User',
  parseParameters: parseAccessKeyRuleParameters,

  async evaluateItem(item: ConfigurationItem, context: Context): Promise<Verdict> {
    const userName = userNameOf(item);
    // The item may be hours old and names can be reused: judge the user only if the name
    // still belongs to the id Config evaluates. GetUser also gives the user's current tags.
    const user = await iamOf(context).getUser(userName);
    if (!user) return gone(userName, item.resourceId);
    if (user.userId !== item.resourceId) return renamedOrDeleted(userName, item.resourceId, user.userId);
    return judgeUser(user, context);
  },

  listResources: (context) => iamOf(context).listUsers(),
  resourceIdOf: (user) => user.userId,
  evaluateResource: judgeUser,
  actionableAnnotation,
};

/** Judges one user: exemptions, then its keys, then last use of the keys a person must act on. */
async function judgeUser(user: IamUser, context: Context): Promise<Verdict> {
  const { params } = context;
  const iam = iamOf(context);
  let tags = user.tags;
  if (params.exemptTag && !tags && !params.exemptUserNames.has(user.userName)) {
    tags = await iam.listUserTags(user.userName);
    if (!tags) return gone(user.userName, user.userId);
  }
  const exemption = findExemption(user.userName, tags, params);
  if (exemption) return notApplicable(exemption);

  const keys = await iam.listAccessKeys(user.userName);
  if (!keys) return gone(user.userName, user.userId);
  const now = new Date();
  const judgement = judgeAccessKeys(keys, params, now);
  // Last use matters for choosing which key to keep, so it is looked up only for users who must
  // act; compliant users cost one IAM call each, which keeps a periodic sweep cheap.
  let lastUse: Map<string, KeyLastUse> | undefined;
  if (judgement.complianceType === 'NON_COMPLIANT') {
    const uses = await Promise.all(judgement.counted.map((key) => iam.lastUse(key.accessKeyId, user.userName)));
    lastUse = new Map(judgement.counted.map((key, index) => [key.accessKeyId, uses[index]]));
  }
  return { complianceType: judgement.complianceType, annotation: describeJudgement(judgement, params, lastUse, now) };
}

function iamOf(context: Context): IamAccessKeys {
  return new IamAccessKeys(context.clients.get(IAMClient), context.abortSignal);
}

function gone(userName: string, userId: string): Verdict {
  return notApplicable(`IAM user ${userName} (${userId}) no longer exists (NoSuchEntity).`);
}

function renamedOrDeleted(userName: string, userId: string, nowUserId: string): Verdict {
  return notApplicable(`IAM user ${userName} (${userId}) was renamed or deleted: the name ${userName} now belongs to user id ${nowUserId}.`);
}

function userNameOf(item: ConfigurationItem): string {
  const fromConfiguration = item.configuration?.userName;
  const userName = typeof fromConfiguration === 'string' && fromConfiguration ? fromConfiguration : item.resourceName;
  if (!userName) throw new MalformedEventError(`configuration item ${item.resourceId} carries no user name (configuration.userName or resourceName)`);
  return userName;
}
