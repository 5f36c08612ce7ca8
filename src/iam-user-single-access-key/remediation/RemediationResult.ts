import type { RemediationAction } from './RemediationAction';
import type { RemediationPolicy } from './remediationPolicy';

/** An access key as the result shows it: id masked to its last four characters. */
export interface KeyReport {
  accessKeyId: string;
  status: string;
  createDate?: string;
  /** ISO time of last use, `never`, or absent when not looked up (inactive keys). */
  lastUsed?: string;
}

/**
 * How a run ended. `cannot-comply` and `still-over-limit` leave the user over the limit and set
 * `succeeded` false, which fails the Automation execution; a run that could not do what it
 * planned throws instead (RemediationError).
 */
export type RemediationOutcome = 'remediated' | 'nothing-to-do' | 'exempt' | 'dry-run' | 'cannot-comply' | 'still-over-limit';

/** The lock a live run took on the user, and what became of it. */
export interface LockReport {
  table: string;
  /** When the lock would have expired by itself had the run died. */
  expiresAt: string;
  /** The holder of an expired lock this run took over: a run that did not finish. */
  tookOverFrom?: { holder: string; expiredAt?: string };
  /** False: the lock stays until `expiresAt` (nothing else is wrong with the user); the summary says so too. */
  released: boolean;
  /** Why the lock was not released. */
  notReleasedBecause?: string;
}

/** The keys a run changed, masked (all empty on a dry run). */
export interface KeyChanges {
  /** Masked ids of the keys this run deactivated. */
  deactivated: string[];
  /** Masked ids of the keys this run deleted. */
  deleted: string[];
  /** Masked ids of planned keys that were gone by the time they were changed. */
  alreadyGone: string[];
  changed: boolean;
}

/** What a remediation run planned and did; the SSM document's output. */
export interface RemediationResult extends KeyChanges {
  summary: string;
  /** False when the user is still over the limit; the document's branch fails the execution on it. */
  succeeded: boolean;
  outcome: RemediationOutcome;
  iamResourceId: string;
  userName: string;
  path: string;
  action: RemediationAction;
  maxAccessKeys: number;
  /** Where the limit came from: the rule's current parameters, or MaxAccessKeys passed by hand. */
  parameters: { source: RemediationPolicy['source']; ruleName?: string; countInactiveKeys: boolean; rotationGraceHours: number };
  dryRun: boolean;
  plan: { keep: KeyReport[]; deactivate: KeyReport[]; delete: KeyReport[] };
  /** The lock this run took on the user; absent when it took none (dry runs, exempt or compliant users). */
  lock?: LockReport;
}

/** What a run that changed nothing reports of the keys. */
export function noKeyChanges(): KeyChanges {
  return { deactivated: [], deleted: [], alreadyGone: [], changed: false };
}

/** Whether a run with this outcome leaves the user within the limit (the Automation execution succeeds). */
export function succeeded(outcome: RemediationOutcome): boolean {
  return outcome !== 'cannot-comply' && outcome !== 'still-over-limit';
}
