import { IAMClient } from '@aws-sdk/client-iam';
import { notApplicable, type Verdict } from '../config/ComplianceType';
import type { ConfigurationItem } from '../config/ConfigurationItem';
import type { ConfigRuleDefinition, RuleContext } from '../config/ConfigRuleDefinition';
import type { RecordingCheck } from '../config/recordingRegion';
import { AwsCallError, MalformedEventError } from '../config/errors';
import { type GoneFacts, keyFactsOf } from './accessKeyFacts';
import { describeExemption, describeGone, describeKeyFacts, keyDetailsOf } from './describeJudgement';
import { IAM_USER_NAME, IamAccessKeys, type IamUser, type KeyLastUse } from './IamAccessKeys';
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
    // The item may be hours old (Config delivers late and out of order), and a name may have
    // been changed or reused since: judge the user of the id Config evaluates, found by the item's
    // name when that name still leads to the id (GetUser, which also gives the current tags),
    // else by the id itself. A name IAM would refuse is no lead at all.
    const byName = IAM_USER_NAME.test(userName) ? await iamOf(context).getUser(userName) : undefined;
    if (byName?.userId === item.resourceId) return judgeUser(byName, context);
    return judgeById(item.resourceId, userName, context, byName?.userId);
  },

  listResources: (context) => iamOf(context).listUsers(),
  resourceIdOf: (user) => user.userId,
  evaluateResource: judgeUser,
  recordingNotice,
};

/**
 * What to say of the region a sweep runs in, when it does not record IAM users: a periodic rule
 * for a global type judges every user in every region it is deployed in, and each one bills every
 * user again; Config records IAM users in one region (docs/recording-region.md). Undefined when
 * this region records them. Never a reason to stop: the sweep is correct wherever it runs.
 */
export function recordingNotice(check: RecordingCheck): string | undefined {
  if (check.recordedHere === true) return undefined;
  const unchecked = check.unchecked.map((entry) => `${entry.region}: ${entry.reason}`).join('; ');
  if (check.recordedHere === undefined) {
    return `Could not check whether region ${check.region} records AWS::IAM::User (${unchecked}); the sweep judges every IAM user all the same. Deploy the rule in the one region that records IAM users (docs/recording-region.md).`;
  }
  let where: string;
  if (check.recordedIn === undefined) where = `The region that does could not be found (${unchecked}): see docs/recording-region.md.`;
  else if (check.recordedIn.length === 0)
    where = `No region of this account records IAM users: no change notification ever comes, only the sweeps judge them. Record IAM users in one region and deploy the rule there (docs/recording-region.md).`;
  else
    where = `Deploy the rule in ${check.recordedIn.join(' or ')}, where the account records IAM users, and remove it from ${check.region}.`;
  const notAsked = check.recordedIn !== undefined && check.unchecked.length > 0 ? ` (Not asked: ${unchecked}.)` : '';
  return `Region ${check.region} does not record AWS::IAM::User: ${check.detail}. This sweep judges every IAM user here all the same, and each region the rule runs in bills every user again. ${where}${notAsked}`;
}

/** How often one judgement looks a user up by its id before it gives up on a user that keeps changing. */
const MAX_LOOKUPS_BY_ID = 3;

/**
 * Judges one user: exemptions, then its keys, then last use of the keys a person must act on.
 * When its name stops leading to it meanwhile (renamed or deleted), the user is looked up by id.
 */
async function judgeUser(user: IamUser, context: Context, lookupsLeft = MAX_LOOKUPS_BY_ID): Promise<Verdict> {
  const { params } = context;
  const iam = iamOf(context);
  let tags = user.tags;
  if (params.exemptTag && !tags && !params.exemptUserNames.has(user.userName)) {
    tags = await iam.listUserTags(user.userName);
    if (!tags) return judgeById(user.userId, user.userName, context, undefined, lookupsLeft);
  }
  const exemption = findExemption(user.userName, tags, params);
  if (exemption)
    return notApplicable(describeExemption(user.userName, exemption), { judged: 'exempt', userName: user.userName, exemption });

  const keys = await iam.listAccessKeys(user.userName);
  if (!keys) return judgeById(user.userId, user.userName, context, undefined, lookupsLeft);
  const now = new Date();
  const judgement = judgeAccessKeys(keys, params, now);
  // Last use matters for choosing which key to keep, so it is looked up only for users who must
  // act; compliant users cost one IAM call each, which keeps a periodic sweep cheap.
  let lastUse: Map<string, KeyLastUse> | undefined;
  if (judgement.complianceType === 'NON_COMPLIANT') {
    const uses = await Promise.all(judgement.counted.map((key) => iam.lastUse(key.accessKeyId, user.userName)));
    lastUse = new Map(judgement.counted.map((key, index) => [key.accessKeyId, uses[index]]));
  }
  const facts = keyFactsOf(judgement, params);
  return {
    complianceType: judgement.complianceType,
    annotation: describeKeyFacts(facts, keyDetailsOf(judgement.counted, lastUse), now),
    facts,
  };
}

function iamOf(context: Context): IamAccessKeys {
  return new IamAccessKeys(context.clients.get(IAMClient), context.abortSignal);
}

/**
 * Judges the user with this id under its current name, found in ListUsers: the name last known
 * (`lastName`) no longer leads to it. "No longer exists" only when a complete listing lacks the
 * id. Costs one ListUsers listing, paged only until the id is found; made only when a name fails.
 */
async function judgeById(
  userId: string,
  lastName: string,
  context: Context,
  nameTakenBy: string | undefined,
  lookupsLeft = MAX_LOOKUPS_BY_ID,
): Promise<Verdict> {
  if (lookupsLeft <= 0) {
    throw new AwsCallError('iam:ListUsers', `IAM user id ${userId}`, {
      cause: new Error(
        `the user was renamed or deleted again each of the ${MAX_LOOKUPS_BY_ID} times it was looked up by id (last listed as ${lastName})`,
      ),
    });
  }
  const byId = await iamOf(context).findUserById(userId);
  if (byId.status === 'absent') return gone(lastName, userId, nameTakenBy);
  if (byId.status === 'moving') return judgeById(userId, byId.listedName, context, nameTakenBy, lookupsLeft - 1);
  return judgeUser(byId.user, context, lookupsLeft - 1);
}

function gone(userName: string, userId: string, nameTakenBy: string | undefined): Verdict {
  const facts: GoneFacts = { judged: 'gone', userName, nameTakenBy: nameTakenBy ?? null };
  return notApplicable(describeGone(facts, userId), facts);
}

function userNameOf(item: ConfigurationItem): string {
  const fromConfiguration = item.configuration?.userName;
  const userName = typeof fromConfiguration === 'string' && fromConfiguration ? fromConfiguration : item.resourceName;
  if (!userName)
    throw new MalformedEventError(`configuration item ${item.resourceId} carries no user name (configuration.userName or resourceName)`);
  return userName;
}
