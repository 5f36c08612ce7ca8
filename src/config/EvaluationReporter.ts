import type { Evaluation } from '@aws-sdk/client-config-service';
import { EvaluationsRejectedError } from './errors';
import { MAX_EVALUATIONS_PER_CALL } from './evaluations';

/** Sends one PutEvaluations call and returns the evaluations Config did not take. */
export type PutEvaluations = (evaluations: Evaluation[]) => Promise<Evaluation[]>;

/** How many times evaluations listed in FailedEvaluations are sent again. */
const RESUBMISSIONS = 2;

/**
 * Collects evaluations and sends them in calls of at most 100 as soon as a call's worth is
 * ready, one call at a time, so a run cut short has already delivered most of its work.
 * Evaluations Config lists in `FailedEvaluations` are resubmitted; if Config still refuses
 * them, `flush` throws. A failed call is not retried here (the SDK's retry strategy did that):
 * it is remembered, later batches are still sent, and `flush` throws it.
 */
export class EvaluationReporter {
  private pending: Evaluation[] = [];
  private sending: Promise<void> = Promise.resolve();
  private readonly rejected: string[] = [];
  private failure: unknown;
  private added = 0;
  private accepted = 0;

  constructor(private readonly put: PutEvaluations) {}

  /** Queues an evaluation; sends a call as soon as 100 are queued. */
  add(evaluation: Evaluation): void {
    this.added += 1;
    this.pending.push(evaluation);
    if (this.pending.length >= MAX_EVALUATIONS_PER_CALL) this.sendPending();
  }

  /** How many evaluations were handed over to be recorded so far. */
  get toRecordCount(): number {
    return this.added;
  }

  /** How many evaluations Config has accepted (recorded) so far. */
  get recordedCount(): number {
    return this.accepted;
  }

  /** Sends what is queued, waits for every call, and throws if anything was not delivered. */
  async flush(): Promise<void> {
    this.sendPending();
    await this.sending;
    if (this.failure !== undefined) throw this.failure;
    if (this.rejected.length > 0) throw new EvaluationsRejectedError(this.rejected);
  }

  private sendPending(): void {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_EVALUATIONS_PER_CALL);
      this.sending = this.sending.then(() => this.deliver(batch));
    }
  }

  private async deliver(batch: Evaluation[]): Promise<void> {
    try {
      let outstanding = batch;
      for (let attempt = 0; outstanding.length > 0 && attempt <= RESUBMISSIONS; attempt += 1) {
        const failed = await this.put(outstanding);
        this.accepted += outstanding.length - failed.length;
        outstanding = failed;
      }
      this.rejected.push(...outstanding.map((evaluation) => evaluation.ComplianceResourceId ?? '(unknown)'));
    } catch (error) {
      this.failure ??= error;
    }
  }
}
