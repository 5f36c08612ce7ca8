import type { FakeComplianceResult, RecordedPutEvaluations } from '../../tools/fakeAws';
import type { Compliance } from './sampleAccount';

/** The result AWS Config holds for one resource of one rule. */
export interface ConfigResult {
  resourceId: string;
  complianceType: Compliance;
  annotation?: string;
  orderingTimestamp: Date;
}

/**
 * The results AWS Config keeps for one rule: per resource, the evaluation with the latest
 * OrderingTimestamp; TestMode calls record nothing.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_Evaluation.html
 */
export class ConfigResults {
  private readonly byId = new Map<string, ConfigResult>();

  constructor(stored: readonly FakeComplianceResult[] = []) {
    for (const result of stored) {
      this.keep({
        resourceId: result.resourceId,
        complianceType: result.complianceType as Compliance,
        ...(result.annotation === undefined ? {} : { annotation: result.annotation }),
        orderingTimestamp: result.orderingTimestamp ?? new Date(0),
      });
    }
  }

  /** Records the evaluations of accepted PutEvaluations calls made with `resultToken`; returns how many. */
  record(calls: readonly RecordedPutEvaluations[], resultToken: string): number {
    let taken = 0;
    for (const call of calls) {
      if (call.ResultToken !== resultToken || call.TestMode === true) continue;
      for (const evaluation of call.Evaluations) {
        taken += 1;
        this.keep({
          resourceId: evaluation.ComplianceResourceId,
          complianceType: evaluation.ComplianceType as Compliance,
          ...(evaluation.Annotation === undefined ? {} : { annotation: evaluation.Annotation }),
          orderingTimestamp: evaluation.OrderingTimestamp,
        });
      }
    }
    return taken;
  }

  /** The result held for a resource. */
  get(resourceId: string): ConfigResult | undefined {
    return this.byId.get(resourceId);
  }

  /** Every result held, in the fake's shape (what GetComplianceDetailsByConfigRule answers). */
  asFakeResults(): FakeComplianceResult[] {
    return [...this.byId.values()].map((result) => ({
      resourceId: result.resourceId,
      resourceType: 'AWS::IAM::User',
      complianceType: result.complianceType,
      ...(result.annotation === undefined ? {} : { annotation: result.annotation }),
      orderingTimestamp: result.orderingTimestamp,
    }));
  }

  private keep(result: ConfigResult): void {
    const held = this.byId.get(result.resourceId);
    if (held && held.orderingTimestamp.getTime() > result.orderingTimestamp.getTime()) return;
    this.byId.set(result.resourceId, result);
  }
}
