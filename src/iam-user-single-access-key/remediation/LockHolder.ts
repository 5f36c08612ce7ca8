/** Who holds a lock, as its item says. */
export interface LockHolder {
  /** The Automation execution that invoked the holder, when it was invoked by one. */
  automationExecutionId?: string;
  runId?: string;
  /** Undefined for an item without a readable expiry (not written by a run). */
  expiresAt?: Date;
}

/** The holder as the result and the errors name it: its Automation execution id, else its run id. */
export function describeHolder(holder: LockHolder): string {
  if (holder.automationExecutionId) return `Automation execution ${holder.automationExecutionId}`;
  return holder.runId ? `run ${holder.runId} (invoked without an Automation execution id)` : 'an unknown holder (the item names none)';
}
