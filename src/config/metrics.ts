import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricValue } from './invocationMetrics';
import { RULE_METRICS } from './ruleMetrics';

/**
 * Powertools Metrics in the rule's namespace whose every document carries one dimension,
 * ConfigRuleName: Powertools' default `service` dimension is cleared, so that one rule in one
 * account and region is one series, the one the alarm reads. Writes embedded metric format (EMF)
 * to stdout; CloudWatch Logs turns it into metrics, with no call to CloudWatch.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export class RuleMetrics extends Metrics {
  constructor() {
    super({ namespace: RULE_METRICS.namespace });
    this.clearDefaultDimensions();
  }

  /**
   * Writes `values` as one EMF document of the rule `configRuleName`; with `otherAccountId` (the
   * evaluated account, when it is not the function's own) also in the set (ConfigRuleName, AccountId).
   */
  publish(configRuleName: string, values: readonly MetricValue[], otherAccountId?: string): void {
    this.addDimension(RULE_METRICS.dimension, configRuleName);
    // addDimensions adds a dimension set: the document counts in both series.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
    if (otherAccountId !== undefined)
      this.addDimensions({ [RULE_METRICS.dimension]: configRuleName, [RULE_METRICS.accountDimension]: otherAccountId });
    for (const { name, unit, value } of values) this.addMetric(name, unit, value);
    this.publishStoredMetrics();
  }
}

/** The metrics every invocation of this process publishes through (POWERTOOLS_METRICS_DISABLED=true silences them). */
export const ruleMetrics = new RuleMetrics();
