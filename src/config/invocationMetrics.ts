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
  const figures = summary.sweep;
  const count = (name: string, value: number): MetricValue => ({ name, unit: 'Count', value });
  return [
    count(names.completed, completed ? 1 : 0),
    ...(figures ? [count(names.judged, figures.judged)] : []),
    ...(figures && completed ? [count(names.nonCompliant, figures.nonCompliant)] : []),
    count(names.recorded, summary.recorded),
    ...(figures
      ? [
          count(names.unchanged, summary.unchanged),
          count(names.throttledCalls, figures.throttledCalls),
          { name: names.durationSeconds, unit: 'Seconds' as const, value: figures.elapsedSeconds },
        ]
      : []),
  ];
}

/** A change-triggered invocation's metrics: the evaluations Config accepted, and 1 failure when it failed. */
export function changeMetrics(summary: RunSummary, failed: boolean): MetricValue[] {
  const { change: names } = RULE_METRICS;
  return [
    { name: names.recorded, unit: 'Count', value: summary.recorded },
    { name: names.failed, unit: 'Count', value: failed ? 1 : 0 },
  ];
}
