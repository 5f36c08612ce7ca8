import { ChangedResultRecorder } from './ChangedResultRecorder';
import type { Verdict } from './ComplianceType';
import type { ConfigRuleDefinition, RuleContext } from './ConfigRuleDefinition';
import type { Deadline } from './Deadline';
import type { EvaluationReporter } from './EvaluationReporter';
import { fitAnnotation } from './evaluations';
import { forEachConcurrently } from './forEachConcurrently';
import { logger } from './logger';
import { recordVerdict } from './recordVerdict';
import { GONE_VERDICT, reportGoneResources } from './reportGoneResources';
import { resultFingerprint } from './resultFingerprint';
import type { RuntimeSettings } from './RuntimeSettings';
import { readStoredResults } from './storedResults';
import { type SweepProgress, SweepProgressCounter } from './SweepProgress';
import { uniqueBy } from './uniqueBy';

/** Receives a periodic run's progress while it runs (every `progressIntervalMs`) and once at its end. */
export type ProgressListener = (progress: SweepProgress) => void;

/**
 * A periodic run: reads the results Config holds while it lists every resource and judges them
 * `concurrency` at a time, records each verdict that is new or changed (every verdict with
 * `recordUnchanged`) as it comes, then reports NOT_APPLICABLE the resources Config holds a result
 * for that the complete listing no longer has. Stops starting work near the deadline, reports
 * what it judged, and fails loudly. Logs progress every `progressIntervalMs`. Returns the final
 * progress.
 */
export async function evaluatePeriodic<P, R>(
  rule: ConfigRuleDefinition<P, R>,
  context: RuleContext<P>,
  notificationTime: string,
  reporter: EvaluationReporter,
  settings: Pick<RuntimeSettings, 'concurrency' | 'progressIntervalMs'>,
  deadline: Deadline,
  onProgress?: ProgressListener,
  recordUnchanged = false,
): Promise<SweepProgress> {
  const orderingTimestamp = new Date(notificationTime);
  const actionable = rule.actionableAnnotation ?? ((annotation: string) => annotation);
  const fingerprintOf = (complianceType: string, annotation: string) => resultFingerprint(complianceType, annotation, actionable);
  const record = (resourceId: string, verdict: Verdict) => recordVerdict(reporter, rule.resourceType, resourceId, verdict, orderingTimestamp);
  const recorder = new ChangedResultRecorder(record, fingerprintOf, recordUnchanged);
  const gone = { gone: 0, toRecord: 0 };
  const progress = new SweepProgressCounter(
    () => context.clients.throttledCalls(),
    () => reporter.recordedCount,
    () => ({ toRecord: recorder.toRecord + gone.toRecord, unchanged: recorder.unchanged + gone.gone - gone.toRecord }),
  );
  const stopReporting = progress.every(settings.progressIntervalMs, (snapshot) => {
    logger.info('Periodic evaluation in progress', { ...snapshot });
    onProgress?.(snapshot);
  });
  // Ends the stored-results read when the run ends early, so that it cannot page on into the next
  // invocation of a warm container.
  const readEnd = new AbortController();
  try {
    // Started before listing, so that a resource created after this read cannot be mistaken for a
    // gone one; its pages decide the verdicts as they arrive, so that it costs no time.
    const readSignal = AbortSignal.any([context.abortSignal, readEnd.signal]);
    const storedRead = readStoredResults(rule.resourceType, context.configRuleName, context.clients, readSignal, (page) => recorder.storedPage(page)).then(
      () => recorder.readEnded(),
      (error: unknown) => {
        recorder.readFailed();
        throw error;
      },
    );
    storedRead.catch(() => undefined);
    // Each resource is judged and counted once, however often the listing returns it.
    const listed = new Set<string>();
    let listedAgain = 0;
    async function* listing(): AsyncIterable<R> {
      const unique = uniqueBy(rule.listResources(context), (resource) => rule.resourceIdOf(resource), { seen: listed, onRepeat: () => (listedAgain += 1) });
      for await (const resource of unique) {
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
          recorder.offer(rule.resourceIdOf(resource), verdict);
          progress.judged += 1;
          if (verdict.complianceType === 'NON_COMPLIANT') progress.nonCompliant += 1;
        },
        () => deadline.nearlyOver(),
      );
    } catch (error) {
      // Report what was judged before the failure, then fail with the cause.
      recorder.releaseHeld();
      return await reporter.flushAfter(() => (deadline.abortSignal.aborted ? deadline.exceeded(listed.size, reporter.recordedCount, error) : error));
    }
    if (!outcome.completed) {
      recorder.releaseHeld();
      return await reporter.flushAfter(() => deadline.exceeded(listed.size, reporter.recordedCount));
    }
    try {
      await storedRead;
    } catch (error) {
      // Every verdict was recorded (readFailed); without the stored results nothing can be called gone.
      return await reporter.flushAfter(() => (deadline.abortSignal.aborted ? deadline.exceeded(listed.size, reporter.recordedCount, error) : error));
    }
    // Only a complete listing proves that a resource is gone.
    const goneFingerprint = fingerprintOf(GONE_VERDICT.complianceType, fitAnnotation(GONE_VERDICT.annotation));
    Object.assign(gone, reportGoneResources(recorder.storedFingerprints, listed, goneFingerprint, record));
    await reporter.flush();
    const final = progress.snapshot(true);
    logger.info('Periodic evaluation complete', { ...final, gone: gone.gone, stored: recorder.storedFingerprints.size, listedAgain });
    onProgress?.(final);
    return final;
  } finally {
    readEnd.abort();
    stopReporting();
  }
}
