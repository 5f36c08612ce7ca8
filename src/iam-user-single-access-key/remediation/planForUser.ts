import type { KeyLastUse } from '../IamAccessKeys';
import type { IamAccessKeys } from '../IamAccessKeys';
import { type AccessKey, judgeAccessKeys } from '../judgeAccessKeys';
import type { AccessKeyRuleParameters } from '../parameters';
import { assertSafePlan, planRemediation, type RemediationPlan } from './planRemediation';
import type { RemediationAction } from './RemediationAction';

/**
 * The plan over the keys the rule counts (`candidates`), with their last use (the remediation and the command
 * line's `plan` both call it). Keys younger than rotationGraceHours are not counted by the rule,
 * so they are neither kept nor touched: asking judgeAccessKeys to count every status yields
 * exactly the keys outside the grace period.
 */
export async function planForUser(
  user: { userName: string },
  keys: readonly AccessKey[],
  params: AccessKeyRuleParameters,
  action: RemediationAction,
  iam: IamAccessKeys,
): Promise<{ plan: RemediationPlan; lastUse: Map<string, KeyLastUse>; candidates: AccessKey[] }> {
  const candidates = judgeAccessKeys(keys, { ...params, countInactiveKeys: true }, new Date()).counted;
  const active = candidates.filter((key) => key.status === 'Active');
  const uses = await Promise.all(active.map((key) => iam.lastUse(key.accessKeyId, user.userName)));
  const lastUse = new Map(active.map((key, index) => [key.accessKeyId, uses[index]!]));
  const plan = planRemediation(candidates, lastUse, params.maxAccessKeys, action);
  assertSafePlan(candidates, plan, params.maxAccessKeys);
  return { plan, lastUse, candidates };
}
