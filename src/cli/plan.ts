import { IAMClient } from '@aws-sdk/client-iam';
import type { RuleContext } from '../config/createRuleHandler';
import { type KeyLastUse, maskAccessKeyId } from '../iam-user-single-access-key/describeJudgement';
import { IamAccessKeys } from '../iam-user-single-access-key/IamAccessKeys';
import type { AccessKey } from '../iam-user-single-access-key/judgeAccessKeys';
import type { AccessKeyRuleParameters } from '../iam-user-single-access-key/parameters';
import { planRemediation } from '../iam-user-single-access-key/remediation/planRemediation';
import type { RemediationAction } from '../iam-user-single-access-key/remediation/RemediationRequest';
import type { KeyReport } from '../iam-user-single-access-key/remediation/remediateAccessKeys';
import type { SweepProgress } from './progress';
import { sweepUsers } from './sweepUsers';

/** What the remediation would do to one NON_COMPLIANT user, keys shown as the remediation's result shows them. */
export interface PlannedUser {
  userName: string;
  userId: string;
  arn: string;
  /** The rule's annotation: why the user is NON_COMPLIANT. */
  annotation: string;
  keep: KeyReport[];
  deactivate: KeyReport[];
  delete: KeyReport[];
}

/** What `plan` prints. */
export interface PlanReport {
  accountId: string;
  generatedAt: string;
  parameters: Record<string, string>;
  action: RemediationAction;
  /** NON_COMPLIANT users only, sorted by user name. */
  users: PlannedUser[];
}

/** The remediation's actions as the SSM document takes them (RemediationRequest.ts keeps its list private). */
export const REMEDIATION_ACTIONS = ['Deactivate', 'Delete'] as const satisfies readonly RemediationAction[];
// Fails to compile when the remediation gains an action this list lacks.
const everyActionListed: Exclude<RemediationAction, (typeof REMEDIATION_ACTIONS)[number]> extends never ? true : never = true;
void everyActionListed;

/**
 * Judges every user with the rule's code and, for each NON_COMPLIANT one, plans its remediation
 * with the remediation's own planning code, reading the keys and the last use of the active
 * ones as the remediation does. Changes nothing.
 */
export async function planAccount(
  context: RuleContext<AccessKeyRuleParameters>,
  parameters: Record<string, string>,
  action: RemediationAction,
  concurrency: number,
  progress: SweepProgress,
  now: Date = new Date(),
): Promise<PlanReport> {
  const iam = new IamAccessKeys(context.clients.get(IAMClient), context.abortSignal);
  const users = await sweepUsers(context, concurrency, progress, async (user): Promise<PlannedUser | undefined> => {
    if (user.verdict.complianceType !== 'NON_COMPLIANT') return undefined;
    // Read again, as the remediation will: the plan is made on the keys as they are now.
    const keys = await iam.listAccessKeys(user.userName);
    if (!keys) return undefined; // deleted since it was judged: nothing left to remediate
    const active = keys.filter((key) => key.status === 'Active');
    const uses = await Promise.all(active.map((key) => iam.lastUse(key.accessKeyId, user.userName)));
    const lastUse = new Map(active.map((key, index) => [key.accessKeyId, uses[index]!]));
    const plan = planRemediation(keys, lastUse, context.params.maxAccessKeys, action);
    const report = (key: AccessKey) => keyReport(key, lastUse);
    return {
      userName: user.userName,
      userId: user.userId,
      arn: user.arn,
      annotation: user.verdict.annotation,
      keep: plan.keep.map(report),
      deactivate: plan.deactivate.map(report),
      delete: plan.delete.map(report),
    };
  });
  return { accountId: context.accountId, generatedAt: now.toISOString(), parameters, action, users };
}

/** A key as the remediation's result reports it: masked id, status, creation, last use if looked up. */
export function keyReport(key: AccessKey, lastUse: ReadonlyMap<string, KeyLastUse>): KeyReport {
  const entry: KeyReport = { accessKeyId: maskAccessKeyId(key.accessKeyId), status: key.status };
  if (key.createDate) entry.createDate = key.createDate.toISOString();
  const use = lastUse.get(key.accessKeyId);
  if (use) entry.lastUsed = use.lastUsedDate ? use.lastUsedDate.toISOString() : 'never';
  return entry;
}
