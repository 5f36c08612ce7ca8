'use strict';

// The rule's CloudWatch alarms, decided in one place: the window of each for every
// maximumExecutionFrequency, checked against CloudWatch's limits, and the metrics they read
// (src/config/ruleMetrics.ts, the names the runtime emits). deployment.js hands them to the
// template (rules/_shared/monitoring.yml); docs/monitoring.md shows what each frequency gets.

const { loadDefinition } = require('./loadDefinition');

const { definition: RULE_METRICS } = loadDefinition('src/config/ruleMetrics.ts', 'RULE_METRICS');

const HOUR = 3600;

// https://docs.aws.amazon.com/config/latest/APIReference/API_SourceDetail.html (MaximumExecutionFrequency)
const FREQUENCY_SECONDS = {
  One_Hour: HOUR,
  Three_Hours: 3 * HOUR,
  Six_Hours: 6 * HOUR,
  Twelve_Hours: 12 * HOUR,
  TwentyFour_Hours: 24 * HOUR,
};

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (Period,
// EvaluationPeriods): Period is 10, 20, 30 or a multiple of 60; Period × EvaluationPeriods is at most
// 604,800 s (7 days), and at most 86,400 s (1 day) when Period is under an hour. The console offers
// periods up to a day; the reference names no longer one: staying within a day is right either way.
const LIMITS = { evaluationSeconds: 604_800, shortPeriodEvaluationSeconds: 86_400, shortPeriodBelow: HOUR, periodAtMost: 86_400 };

/** The problems of an alarm window ({ period, evaluationPeriods, datapointsToAlarm }) under CloudWatch's limits; none when it is valid. */
function windowProblems({ period, evaluationPeriods, datapointsToAlarm }) {
  const problems = [];
  if (!Number.isInteger(period) || !([10, 20, 30].includes(period) || (period > 0 && period % 60 === 0)))
    problems.push(`Period ${period} is not 10, 20, 30 or a multiple of 60`);
  if (period > LIMITS.periodAtMost) problems.push(`Period ${period} is longer than a day`);
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1)
    problems.push(`EvaluationPeriods ${evaluationPeriods} is not a whole number from 1`);
  if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods)
    problems.push(`DatapointsToAlarm ${datapointsToAlarm} is not from 1 to EvaluationPeriods`);
  const total = period * evaluationPeriods;
  const limit = period < LIMITS.shortPeriodBelow ? LIMITS.shortPeriodEvaluationSeconds : LIMITS.evaluationSeconds;
  if (total > limit) problems.push(`Period × EvaluationPeriods = ${total} s exceeds ${limit} s`);
  return problems;
}

/** A window, or an error naming what CloudWatch would refuse. */
function checked(window, what) {
  const problems = windowProblems(window);
  if (problems.length > 0) throw new Error(`${what}: ${problems.join('; ')}`);
  return window;
}

/**
 * The not-evaluating alarm's window for a frequency: one period of the rule per data point, ALARM
 * when the last two held no completed sweep (missing data breaching). It fires between two and
 * three of the rule's periods after the last completed sweep, as data points align to periods.
 */
function sweepWindow(frequency) {
  const period = FREQUENCY_SECONDS[frequency];
  if (period === undefined) throw new Error(`unknown maximumExecutionFrequency ${JSON.stringify(frequency)}`);
  return checked({ period, evaluationPeriods: 2, datapointsToAlarm: 2 }, `the sweep alarm of ${frequency}`);
}

/**
 * The failure alarm's window, the same for every frequency: ALARM for the hour in which an
 * invocation failed, so that a failing sweep or a lost change is heard within the hour. An hour
 * without invocations keeps the alarm as it was (missing data ignored: with Three_Hours and
 * longer, most hours have none), and Lambda reports Errors 0 for an hour whose invocations
 * succeeded (its invocation metrics are "binary indicators of the outcome" of each invocation):
 * the alarm goes back to OK only when the function works again.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#invocation-metrics
 */
function failureWindow() {
  return checked({ period: HOUR, evaluationPeriods: 1, datapointsToAlarm: 1 }, 'the failure alarm');
}

/** What the templates' alarms read: the namespace, dimension and metric of the sweep alarm. */
const sweepMetric = () => ({
  namespace: RULE_METRICS.namespace,
  dimension: RULE_METRICS.dimension,
  metricName: RULE_METRICS.sweep.completed,
});

module.exports = { FREQUENCY_SECONDS, LIMITS, windowProblems, sweepWindow, failureWindow, sweepMetric };
