import type { ConfigRuleDefinition, RuleContext } from './ConfigRuleDefinition';
import type { Deadline } from './Deadline';
import type { EvaluationReporter } from './EvaluationReporter';
import { forEachConcurrently } from './forEachConcurrently';
import { logger } from './logger';
import { previouslyJudgedResources } from './previouslyJudgedResources';
import { recordVerdict } from './recordVerdict';
import { reportGoneResources } from './reportGoneResources';
import type { RuntimeSettings } from './RuntimeSettings';
import { type SweepProgress, SweepProgressCounter } from './SweepProgress';

/** Receives a periodic run's progress while it runs (every `progressIntervalMs`) and once at its end. */
export type ProgressListener = (progress: SweepProgress) => void;

/**
 * A periodic run: lists every resource, judges them `concurrency` at a time, records each
 * verdict as it comes, then reports NOT_APPLICABLE the previously judged resources the complete
 * listing no longer has. Stops starting work near the deadline, reports what it judged, and
 * fails loudly. Logs progress every `progressIntervalMs`. Returns the final progress.
 */
export async function evaluatePeriodic<P, R>(
  rule: ConfigRuleDefinition<P, R>,
  context: RuleContext<P>,
  notificationTime: string,
  reporter: EvaluationReporter,
  settings: Pick<RuntimeSettings, 'concurrency' | 'progressIntervalMs'>,
  deadline: Deadline,
  onProgress?: ProgressListener,
): Promise<SweepProgress> {
  const orderingTimestamp = new Date(notificationTime);
  const progress = new SweepProgressCounter(
    () => context.clients.throttledCalls(),
    () => reporter.deliveredCount,
  );
  const stopReporting = progress.every(settings.progressIntervalMs, (snapshot) => {
    logger.info('Periodic evaluation in progress', { ...snapshot });
    onProgress?.(snapshot);
  });
  try {
    // Started before listing, so that a resource created after this read cannot be mistaken for a
    // gone one; awaited only once the sweep is done, so that it costs no time.
    const previouslyJudgedRead = previouslyJudgedResources(rule.resourceType, context.configRuleName, context.clients, context.abortSignal);
    previouslyJudgedRead.catch(() => undefined);
    const listed = new Set<string>();
    async function* listing(): AsyncIterable<R> {
      for await (const resource of rule.listResources(context)) {
        listed.add(rule.resourceIdOf(resource));
        progress.listed = listed.size;
        yield resource;
      }
    }
    let outcome;
    try {
      outcome = await forEachConcurrently(
        listing(),
        settings.concurrency,
        async (resource) => {
          const verdict = await rule.evaluateResource(resource, context);
          recordVerdict(reporter, rule.resourceType, rule.resourceIdOf(resource), verdict, orderingTimestamp);
          progress.judged += 1;
          if (verdict.complianceType === 'NON_COMPLIANT') progress.nonCompliant += 1;
        },
        () => deadline.nearlyOver(),
      );
    } catch (error) {
      // Report what was judged before the failure, then fail with the cause.
      return await reporter.flushAfter(() => (deadline.abortSignal.aborted ? deadline.exceeded(listed.size, reporter.deliveredCount, error) : error));
    }
    if (!outcome.completed) return await reporter.flushAfter(() => deadline.exceeded(listed.size, reporter.deliveredCount));
    // Only a complete listing proves that a resource is gone.
    let previouslyJudged;
    try {
      previouslyJudged = await previouslyJudgedRead;
    } catch (error) {
      return await reporter.flushAfter(() => error);
    }
    const gone = reportGoneResources(reporter, rule.resourceType, previouslyJudged, listed, orderingTimestamp);
    await reporter.flush();
    const final = progress.snapshot(true);
    logger.info('Periodic evaluation complete', { ...final, gone, previouslyJudged: previouslyJudged.size });
    onProgress?.(final);
    return final;
  } finally {
    stopReporting();
  }
}
