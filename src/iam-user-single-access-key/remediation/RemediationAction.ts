/**
 * What the remediation does with a user's extra access keys: the one list the deploy option
 * (options.ts), the SSM document's allowed values (deployment.js), the function's payload parser
 * and the command line all take.
 */
export const REMEDIATION_ACTIONS = ['Deactivate', 'Delete'] as const;

/** What to do with a user's extra access keys. */
export type RemediationAction = (typeof REMEDIATION_ACTIONS)[number];

/** The action taken when none is chosen: the reversible one. */
export const DEFAULT_REMEDIATION_ACTION: RemediationAction = 'Deactivate';

/** Whether the action deletes keys: it needs iam:DeleteAccessKey, and counts inactive keys as extra. */
export function deletesKeys(action: RemediationAction): boolean {
  return action === 'Delete';
}

/** The actions a deployment offers: every one where the function may delete keys, else those that do not delete. */
export function actionsOffered(canDelete: boolean): RemediationAction[] {
  return REMEDIATION_ACTIONS.filter((action) => canDelete || !deletesKeys(action));
}
