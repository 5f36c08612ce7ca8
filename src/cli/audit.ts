import type { ComplianceType } from '../config/ComplianceType';
import type { RuleContext } from '../config/createRuleHandler';
import type { AccessKeyRuleParameters } from '../iam-user-single-access-key/parameters';
import type { SweepProgress } from './progress';
import { sweepUsers } from './sweepUsers';

/** One user's result, as `audit` prints it. */
export interface AuditedUser {
  userName: string;
  userId: string;
  arn: string;
  complianceType: ComplianceType;
  annotation: string;
}

/** What `audit` prints: the account's users judged by the rule. */
export interface AuditReport {
  accountId: string;
  generatedAt: string;
  /** The flags given, as the rule's InputParameters (absent ones take the rule's defaults). */
  parameters: Record<string, string>;
  counts: Record<ComplianceType, number>;
  /** Sorted by user name. */
  users: AuditedUser[];
}

/** Judges every IAM user of the account with the rule's own code. */
export async function auditAccount(
  context: RuleContext<AccessKeyRuleParameters>,
  parameters: Record<string, string>,
  concurrency: number,
  progress: SweepProgress,
  now: Date = new Date(),
): Promise<AuditReport> {
  const users = await sweepUsers(context, concurrency, progress, async (user): Promise<AuditedUser> => ({
    userName: user.userName,
    userId: user.userId,
    arn: user.arn,
    complianceType: user.verdict.complianceType,
    annotation: user.verdict.annotation,
  }));
  return { accountId: context.accountId, generatedAt: now.toISOString(), parameters, counts: countByCompliance(users), users };
}

/** How many users have each result. */
export function countByCompliance(users: readonly { complianceType: ComplianceType }[]): Record<ComplianceType, number> {
  const counts: Record<ComplianceType, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  for (const user of users) counts[user.complianceType] += 1;
  return counts;
}
