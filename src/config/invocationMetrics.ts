import { RULE_METRICS } from './ruleMetrics';
import type { RunSummary } from './RunSummary';

/** One metric of an invocation: its name (from RULE_METRICS), CloudWatch unit and value. */
export interface MetricValue {
  name: string;
  unit: 'Count' | 'Seconds';
  value: number;
}

/**
 * The metrics of one invocation, read from its summary: a periodic sweep's (`sweepMetrics`) for a
 * ScheduledNotification, a change-triggered invocation's (`changeMetrics`) for any other message.
 */
export function invocationMetrics(summary: RunSummary, succeeded: boolean): MetricValue[] {
  return summary.messageType === 'ScheduledNotification' ? sweepMetrics(summary, succeeded) : changeMetrics(summary, !succeeded);
}

/**
 * A sweep's metrics: SweepCompleted (1 or 0) and EvaluationsRecorded always; the work figures once
 * the sweep has started (a failure before it, such as a role that cannot be assumed, has none);
 * NonCompliantResources only when it completed, since a cut-off sweep's partial count would read
 * as users made compliant.
 */
export function sweepMetrics(summary: RunSummary, completed: boolean): MetricValue[] {
  const { sweep: names } = RULE_METRICS;
  const metrics: MetricValue[] = [
    { name: names.completed, unit: 'Count', value: completed ? 1 : 0 },
    { name: names.recorded, unit: 'Count', value: summary.recorded },
  ];
  const figures = summary.sweep;
  if (!figures) return metrics;
  metrics.push(
    { name: names.judged, unit: 'Count', value: figures.judged },
    { name: names.unchanged, unit: 'Count', value: summary.unchanged },
    { name: names.throttledCalls, unit: 'Count', value: figures.throttledCalls },
    { name: names.durationSeconds, unit: 'Seconds', value: figures.elapsedSeconds },
  );
  if (completed) metrics.push({ name: names.nonCompliant, unit: 'Count', value: figures.nonCompliant });
  return metrics;
}

/** A change-triggered invocation's metrics: the evaluations Config accepted, and 1 failure when it failed. */
export function changeMetrics(summary: RunSummary, failed: boolean): MetricValue[] {
  const { change: names } = RULE_METRICS;
  return [
    { name: names.recorded, unit: 'Count', value: summary.recorded },
    { name: names.failed, unit: 'Count', value: failed ? 1 : 0 },
  ];
}
