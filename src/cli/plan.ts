import { IAMClient } from '@aws-sdk/client-iam';
import type { RuleContext } from '../config/createRuleHandler';
import { IamAccessKeys } from '../iam-user-single-access-key/IamAccessKeys';
import type { AccessKeyRuleParameters } from '../iam-user-single-access-key/parameters';
import type { RemediationAction } from '../iam-user-single-access-key/remediation/RemediationAction';
import { reportPlan } from '../iam-user-single-access-key/remediation/describeRemediation';
import { planForUser } from '../iam-user-single-access-key/remediation/planForUser';
import type { KeyReport } from '../iam-user-single-access-key/remediation/RemediationResult';
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
    const { plan, lastUse } = await planForUser(user, keys, context.params, action, iam);
    const shown = reportPlan(plan, lastUse);
    return {
      userName: user.userName,
      userId: user.userId,
      arn: user.arn,
      annotation: user.verdict.annotation,
      ...shown,
    };
  });
  return { accountId: context.accountId, generatedAt: now.toISOString(), parameters, action, users };
}
