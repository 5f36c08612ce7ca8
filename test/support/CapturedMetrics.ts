import { RuleMetrics } from '../../src/config/metrics';
import type { EmfDocument } from '../../tools/lambda/emfDocuments';

/** A RuleMetrics that keeps each document it publishes, exactly as Powertools serializes it for printing. */
export class CapturedMetrics extends RuleMetrics {
  readonly documents: EmfDocument[] = [];

  override publishStoredMetrics(): this {
    // What Powertools prints is JSON.stringify of this; round-tripped so that the test reads what CloudWatch would.
    this.documents.push(JSON.parse(JSON.stringify(this.serializeMetrics())) as EmfDocument);
    return super.publishStoredMetrics();
  }
}
