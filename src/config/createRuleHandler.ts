import type { Context } from 'aws-lambda';
import { inapplicableVerdict } from './applicability';
import { clientsFor } from './awsClients';
import type { Verdict } from './ComplianceType';
import type { ConfigurationItem } from './ConfigurationItem';
import { configurationItemOf } from './configurationItemOf';
import type { ConfigRuleDefinition, RuleContext } from './ConfigRuleDefinition';
import { Deadline, type DeadlineTimers } from './Deadline';
import { EvaluationReporter } from './EvaluationReporter';
import { evaluatePeriodic, type ProgressListener } from './evaluatePeriodic';
import { executionRoleArn } from './executionRole';
import { invocationMetrics } from './invocationMetrics';
import { logger } from './logger';
import { type RuleMetrics, ruleMetrics } from './metrics';
import { putEvaluationsCall } from './putEvaluationsCall';
import { noticeRecording } from './recordingRegion';
import { recordVerdict } from './recordVerdict';
import { parseRuleEvent, type RuleEvent } from './RuleEvent';
import { splitRuntimeParameters } from './runtimeParameters';
import { newRunSummary, recordSweep, type RunSummary } from './RunSummary';
import { type RuntimeSettings, runtimeSettingsFromEnv } from './RuntimeSettings';

// The types rule authors and callers use, from the path they have always had.
export type { ConfigRuleDefinition, RuleContext } from './ConfigRuleDefinition';
export type { ProgressListener } from './evaluatePeriodic';
export type { NonCompliantResource, RunSummary } from './RunSummary';
export { type RuntimeSettings, runtimeSettingsFromEnv } from './RuntimeSettings';
export type { SweepProgress } from './SweepProgress';

/** What a caller other than Lambda (a command-line tool, a test) may hook into. */
export interface RuntimeHooks {
  /** A periodic run's progress, every `progressIntervalMs` and once at its end. */
  onProgress?: ProgressListener;
  /** What schedules the aborts before the Lambda timeout (Node's timers by default; a test's clock). */
  timers?: DeadlineTimers;
  /** Where each invocation's metrics go (the process's `ruleMetrics`, printed as EMF, by default). */
  metrics?: RuleMetrics;
}

/**
 * The Lambda handler for a rule: parses the event, runs the rule, reports, and returns a summary.
 * Every invocation of a well-formed event publishes its metrics (invocationMetrics.ts) before it
 * returns or throws.
 */
export function createRuleHandler<P, R>(
  rule: ConfigRuleDefinition<P, R>,
  settings: RuntimeSettings = runtimeSettingsFromEnv(),
  hooks: RuntimeHooks = {},
): (
  event: unknown,
  context?: Pick<Context, 'getRemainingTimeInMillis'> & Partial<Pick<Context, 'invokedFunctionArn'>>,
) => Promise<RunSummary> {
  return async (rawEvent, lambdaContext) => {
    let event: RuleEvent;
    try {
      event = parseRuleEvent(rawEvent);
    } catch (error) {
      logger.error('Rejected a malformed event; nothing was reported', error as Error);
      throw error;
    }
    const { messageType } = event.invokingEvent;
    logger.appendKeys({ configRuleName: event.configRuleName, accountId: event.accountId, messageType });
    const summary = newRunSummary(event);
    let succeeded = false;
    try {
      const { runtime, rule: ruleParameters } = splitRuntimeParameters(event.ruleParameters);
      const params = rule.parseParameters(ruleParameters);
      const roleArn = executionRoleArn(runtime.executionRoleName, event.accountId, event.configRuleArn);
      const deadline = new Deadline(lambdaContext, settings, hooks.timers);
      const context: RuleContext<P> = {
        params,
        // Every call of a run carries the deadline's signal, so throttles are retried until it.
        clients: clientsFor(roleArn, event.configRuleName, 'untilAborted'),
        accountId: event.accountId,
        configRuleName: event.configRuleName,
        abortSignal: deadline.abortSignal,
      };
      const reporter = new EvaluationReporter(putEvaluationsCall(context.clients, event, summary, deadline.reportingSignal));
      try {
        // A role that cannot be assumed fails here, naming the role and account, not the first API.
        await context.clients.ready();
        if (event.invokingEvent.messageType === 'ScheduledNotification') {
          // Said once per sweep, beside it: where the account records the rule's type.
          const recording =
            rule.recordingNotice &&
            noticeRecording(rule.resourceType, (check) => rule.recordingNotice?.(check), context.clients, deadline.abortSignal);
          // Awaited below; a sweep that fails first leaves it, and it must not end the process then.
          recording?.catch(() => undefined);
          // The summary takes the sweep's figures from its final progress (onProgress), whether it completes or fails.
          await evaluatePeriodic({
            rule,
            context,
            notificationTime: event.invokingEvent.notificationCreationTime,
            reporter,
            settings,
            deadline,
            onProgress: (progress) => {
              if (progress.done) recordSweep(summary, progress);
              hooks.onProgress?.(progress);
            },
            recordUnchanged: runtime.recordUnchanged,
          });
          if (recording) summary.recording = await recording;
        } else {
          await evaluateChange(rule, event, context, reporter, deadline);
        }
      } finally {
        deadline.dispose();
      }
      summary.toRecord = reporter.toRecordCount;
      logger.info('Invocation complete', {
        toRecord: summary.toRecord,
        recorded: summary.recorded,
        unchanged: summary.unchanged,
        recordedByCompliance: summary.recordedByCompliance,
        testMode: summary.testMode,
        recordedNonCompliant: summary.recordedNonCompliant,
        recordedNonCompliantNotListed: summary.recordedNonCompliantNotListed,
      });
      succeeded = true;
      return summary;
    } catch (error) {
      logger.error('Invocation failed', error as Error);
      throw error;
    } finally {
      publishMetrics(hooks.metrics ?? ruleMetrics, summary, succeeded, otherAccount(event.accountId, lambdaContext?.invokedFunctionArn));
      logger.resetKeys();
    }
  };
}

/**
 * Publishes the invocation's metrics. A failure to publish is logged, not thrown: it must not fail
 * an invocation that recorded its evaluations, nor replace the error of one that failed.
 */
function publishMetrics(metrics: RuleMetrics, summary: RunSummary, succeeded: boolean, otherAccountId: string | undefined): void {
  try {
    metrics.publish(summary.configRuleName, invocationMetrics(summary, succeeded), otherAccountId);
  } catch (error) {
    logger.error("Could not publish the invocation's metrics", error as Error);
  }
}

/** A change notification: the item (fetched when oversized), applicability, the rule's verdict, reported. */
async function evaluateChange<P, R>(
  rule: ConfigRuleDefinition<P, R>,
  event: RuleEvent,
  context: RuleContext<P>,
  reporter: EvaluationReporter,
  deadline: Deadline,
): Promise<void> {
  let item: ConfigurationItem;
  let verdict: Verdict;
  try {
    // Nothing to fetch for an oversized item when the verdict does not depend on it.
    item = await configurationItemOf(
      event,
      (summary) => inapplicableVerdict(rule.resourceType, { ...summary, eventLeftScope: event.eventLeftScope }) === undefined,
      context.clients,
      context.abortSignal,
    );
    verdict =
      inapplicableVerdict(rule.resourceType, { ...item, eventLeftScope: event.eventLeftScope }) ?? (await rule.evaluateItem(item, context));
  } catch (error) {
    throw deadline.named(error, `The evaluation of ${resourceOf(event)}`);
  }
  logger.info('Evaluated', { resourceId: item.resourceId, complianceType: verdict.complianceType });
  recordVerdict(reporter, item.resourceType, item.resourceId, verdict, new Date(item.configurationItemCaptureTime));
  try {
    await reporter.flush();
  } catch (error) {
    throw deadline.named(error, `Reporting the evaluation of ${item.resourceType} ${item.resourceId}`);
  }
}

function resourceOf(event: RuleEvent): string {
  const invokingEvent = event.invokingEvent;
  if (invokingEvent.messageType === 'ConfigurationItemChangeNotification') {
    return `${invokingEvent.configurationItem.resourceType} ${invokingEvent.configurationItem.resourceId}`;
  }
  if (invokingEvent.messageType === 'OversizedConfigurationItemChangeNotification') {
    return `${invokingEvent.configurationItemSummary.resourceType} ${invokingEvent.configurationItemSummary.resourceId}`;
  }
  return 'the account';
}

/**
 * The evaluated account when it is not the account of the function's own ARN (an organization
 * rule's member), else undefined. Without the ARN (a local run) the account is taken as the function's.
 */
function otherAccount(evaluatedAccountId: string, invokedFunctionArn: string | undefined): string | undefined {
  const functionAccountId = invokedFunctionArn?.split(':')[4];
  return functionAccountId !== undefined && functionAccountId !== evaluatedAccountId ? evaluatedAccountId : undefined;
}
