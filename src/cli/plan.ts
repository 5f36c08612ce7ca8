import { IAMClient } from '@aws-sdk/client-iam';
import type { RuleContext } from '../config/createRuleHandler';
import { describeJudgement } from '../iam-user-single-access-key/describeJudgement';
import { IamAccessKeys, type KeyLastUse } from '../iam-user-single-access-key/IamAccessKeys';
import { type AccessKey, judgeAccessKeys } from '../iam-user-single-access-key/judgeAccessKeys';
import type { AccessKeyRuleParameters } from '../iam-user-single-access-key/parameters';
import type { RemediationAction } from '../iam-user-single-access-key/remediation/RemediationAction';
import { describeCannotComply, describePlan, reportKey, reportPlan } from '../iam-user-single-access-key/remediation/describeRemediation';
import { type ExplainedKey, explainPlan, type KeyChange } from '../iam-user-single-access-key/remediation/explainPlan';
import { planForUser } from '../iam-user-single-access-key/remediation/planForUser';
import { deactivatingCannotComply } from '../iam-user-single-access-key/remediation/planRemediation';
import type { KeyReport } from '../iam-user-single-access-key/remediation/RemediationResult';
import type { SweepProgress } from './progress';
import { sweepUsers } from './sweepUsers';

/**
 * What the remediation would do for a NON_COMPLIANT user: change keys; nothing, because
 * deactivating cannot bring it within the limit (inactive keys count); nothing, because its keys
 * changed since it was judged and it is within the limit now; nothing, because it was deleted.
 */
export type PlanOutcome = 'change' | 'cannot-comply' | 'within-limit' | 'gone';

/** One key of a planned user, with what the remediation would do to it and why. */
export interface PlannedKey extends KeyReport {
  change: KeyChange;
  reason: string;
}

/** What the remediation would do to one NON_COMPLIANT user, keys shown as the remediation's result shows them. */
export interface PlannedUser {
  userName: string;
  userId: string;
  arn: string;
  /** The rule's annotation: why the user is NON_COMPLIANT. */
  annotation: string;
  outcome: PlanOutcome;
  /** One sentence: what the remediation would do, or why it would do nothing and what would. */
  summary: string;
  /** The remediation's plan, as its dry run shows it (all empty when it would change nothing). */
  keep: KeyReport[];
  deactivate: KeyReport[];
  delete: KeyReport[];
  /** Every key of the user, with what the plan does to it and why; with `cannot-comply`, what Action=Delete would do. */
  keys: PlannedKey[];
}

/** How many NON_COMPLIANT users have each outcome; they add up to `users.length`. */
export type PlanCounts = Record<PlanOutcome, number>;

/** What `plan` prints. */
export interface PlanReport {
  accountId: string;
  generatedAt: string;
  parameters: Record<string, string>;
  action: RemediationAction;
  counts: PlanCounts;
  /** Every NON_COMPLIANT user, sorted by user name. */
  users: PlannedUser[];
}

/**
 * Judges every user with the rule's code and, for each NON_COMPLIANT one, plans its remediation
 * with the remediation's own planning code, reading the keys and the last use of the active
 * ones as the remediation does. Every NON_COMPLIANT user is in the report, with what the
 * remediation would do or why it would do nothing. Changes nothing.
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
  const { params } = context;
  const users = await sweepUsers(context, concurrency, progress, async (user): Promise<PlannedUser | undefined> => {
    if (user.verdict.complianceType !== 'NON_COMPLIANT') return undefined;
    const planned = { userName: user.userName, userId: user.userId, arn: user.arn, annotation: user.verdict.annotation };
    const nothing = { keep: [], deactivate: [], delete: [] };
    // Read again, as the remediation will: the plan is made on the keys as they are now.
    const keys = await iam.listAccessKeys(user.userName);
    if (!keys) {
      return { ...planned, ...nothing, outcome: 'gone', summary: 'Deleted since it was judged: nothing to remediate.', keys: [] };
    }
    const judgedAt = new Date();
    const judgement = judgeAccessKeys(keys, params, judgedAt);
    if (judgement.complianceType === 'COMPLIANT') {
      const summary = `Within the limit now (its keys changed since it was judged): ${describeJudgement(judgement, params, undefined, judgedAt)}`;
      return { ...planned, ...nothing, outcome: 'within-limit', summary, keys: keys.map((key) => leftAlone(key, 'within the limit now')) };
    }
    if (deactivatingCannotComply(params, action)) {
      // What the remediation would do with Action=Delete, the one action that can.
      const { plan, lastUse, candidates } = await planForUser(user, keys, params, 'Delete', iam);
      const summary = `${describeCannotComply(user, params)}: Action=Delete ${describePlan(plan)}.`;
      const withDelete = explainPlan(keys, candidates, plan, lastUse, params).map((explained) => ({
        ...plannedKey(explained, lastUse),
        change: 'none' as const,
        reason: explained.change === 'none' ? explained.reason : `Action=Delete would ${verbOf(explained.change)} it: ${explained.reason}`,
      }));
      return { ...planned, ...nothing, outcome: 'cannot-comply', summary, keys: withDelete };
    }
    const { plan, lastUse, candidates } = await planForUser(user, keys, params, action, iam);
    const explained = explainPlan(keys, candidates, plan, lastUse, params);
    const summary = `Action=${action} ${describePlan(plan)}.`;
    return {
      ...planned,
      ...reportPlan(plan, lastUse),
      outcome: 'change',
      summary,
      keys: explained.map((key) => plannedKey(key, lastUse)),
    };
  });
  const counts: PlanCounts = { change: 0, 'cannot-comply': 0, 'within-limit': 0, gone: 0 };
  for (const user of users) counts[user.outcome] += 1;
  return { accountId: context.accountId, generatedAt: now.toISOString(), parameters, action, counts, users };
}

/** Whether the remediation would change a key or leave a user over the limit: `plan`'s finding. */
export function planFinds(report: PlanReport): boolean {
  return report.counts.change + report.counts['cannot-comply'] > 0;
}

function plannedKey({ key, change, reason }: ExplainedKey, lastUse: ReadonlyMap<string, KeyLastUse>): PlannedKey {
  return { ...reportKey(key, lastUse), change, reason };
}

function leftAlone(key: AccessKey, reason: string): PlannedKey {
  return { ...reportKey(key, new Map()), change: 'none', reason };
}

function verbOf(change: KeyChange): string {
  return change === 'deactivate, delete' ? 'deactivate and delete' : change;
}
