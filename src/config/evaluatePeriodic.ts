import { ChangedResultRecorder } from './ChangedResultRecorder';
import type { Verdict } from './ComplianceType';
import type { ConfigRuleDefinition, RuleContext } from './ConfigRuleDefinition';
import type { Deadline } from './Deadline';
import { causesOf, DeadlineExceededError, FailedAndUnreportedError } from './errors';
import type { EvaluationReporter } from './EvaluationReporter';
import { forEachConcurrently } from './forEachConcurrently';
import { logger } from './logger';
import { recordVerdict } from './recordVerdict';
import { GONE_VERDICT, reportGoneResources } from './reportGoneResources';
import { verdictFingerprint } from './resultFingerprint';
import type { RuntimeSettings } from './RuntimeSettings';
import { readStoredResults } from './storedResults';
import { type SweepProgress, SweepProgressCounter } from './SweepProgress';
import { uniqueBy } from './uniqueBy';

/** Receives a periodic run's progress while it runs (every `progressIntervalMs`) and once at its end. */
export type ProgressListener = (progress: SweepProgress) => void;

/** What a periodic run works with. */
export interface PeriodicRun<P, R> {
  rule: ConfigRuleDefinition<P, R>;
  context: RuleContext<P>;
  /** The scheduled notification's time: the ordering timestamp of every evaluation of the run. */
  notificationTime: string;
  reporter: EvaluationReporter;
  settings: Pick<RuntimeSettings, 'concurrency' | 'progressIntervalMs'>;
  deadline: Deadline;
  onProgress?: ProgressListener;
  /** Record every verdict, even one Config already holds (the runtime's parameter recordUnchanged). */
  recordUnchanged?: boolean;
}

/**
 * A periodic run: reads the results Config holds while it lists every resource and judges them
 * `concurrency` at a time, records each verdict that is new or changed (every verdict with
 * `recordUnchanged`) as it comes, then reports NOT_APPLICABLE the resources Config holds a result
 * for that the complete listing no longer has. Stops starting work near the deadline, reports
 * what it judged, and fails loudly. Logs progress every `progressIntervalMs`. Returns the final
 * progress.
 */
export async function evaluatePeriodic<P, R>(run: PeriodicRun<P, R>): Promise<SweepProgress> {
  const { rule, context, notificationTime, reporter, settings, deadline, onProgress, recordUnchanged = false } = run;
  const orderingTimestamp = new Date(notificationTime);
  const record = (resourceId: string, verdict: Verdict) =>
    recordVerdict(reporter, rule.resourceType, resourceId, verdict, orderingTimestamp);
  const recorder = new ChangedResultRecorder(record, recordUnchanged);
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
    const storedRead = readStoredResults(rule.resourceType, context.configRuleName, context.clients, readSignal, (page) =>
      recorder.storedPage(page),
    ).then(
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
    let listingDone = false;
    async function* listing(): AsyncIterable<R> {
      const unique = uniqueBy(rule.listResources(context), (resource) => rule.resourceIdOf(resource), {
        seen: listed,
        onRepeat: () => (listedAgain += 1),
      });
      for await (const resource of unique) {
        progress.listed = listed.size;
        yield resource;
      }
      listingDone = true;
    }

    /**
     * Sends what is left to Config and waits for it. Returns the final figures when the run ends
     * well; else logs them and throws: `failure` (made once Config has answered, so that its
     * counts are final), the deadline's error when the timeout cut the sending off, or both.
     */
    const finish = async (failure?: (final: SweepProgress) => unknown): Promise<SweepProgress> => {
      let reportingFailed = false;
      let reportingError: unknown;
      try {
        await reporter.flush();
      } catch (error) {
        reportingFailed = true;
        reportingError = error;
      }
      const final = progress.snapshot(true);
      if (!failure && !reportingFailed) return final;
      logger.warn('Periodic evaluation stopped', { ...final, listingDone, listedAgain });
      onProgress?.(final);
      const sendingCutOff = reportingFailed && deadline.reached && isAbort(reportingError);
      const reportingFailure = sendingCutOff ? deadline.sweepCutOff(final, listingDone, reportingError) : reportingError;
      if (!failure) throw reportingFailure;
      const first = failure(final);
      if (!reportingFailed || (sendingCutOff && first instanceof DeadlineExceededError)) throw first;
      throw new FailedAndUnreportedError(first, reportingFailure);
    };
    /** `error`, or the deadline's error naming it when the timeout cut the run off. */
    const cutOffOr = (error: unknown) => (final: SweepProgress) =>
      deadline.reached ? deadline.sweepCutOff(final, listingDone, error) : error;

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
      return await finish(cutOffOr(error));
    }
    if (!outcome.completed) {
      recorder.releaseHeld();
      return await finish((final) => deadline.sweepCutOff(final, listingDone));
    }
    try {
      await storedRead;
    } catch (error) {
      // Every verdict was recorded (readFailed); without the stored results nothing can be called gone.
      return await finish(cutOffOr(error));
    }
    // Only a complete listing proves that a resource is gone.
    Object.assign(gone, reportGoneResources(recorder.storedFingerprints, listed, verdictFingerprint(GONE_VERDICT), record));
    logger.info('Periodic evaluation judged every resource; waiting for Config to record the rest', { ...progress.snapshot() });
    const final = await finish();
    logger.info('Periodic evaluation complete', { ...final, gone: gone.gone, stored: recorder.storedFingerprints.size, listedAgain });
    onProgress?.(final);
    return final;
  } finally {
    readEnd.abort();
    stopReporting();
  }
}

/** Whether `error` (or one of its causes) is an aborted call: what a deadline's abort makes of a call in flight. */
function isAbort(error: unknown): boolean {
  return [...causesOf(error)].some(
    (current) => current instanceof Error && (current.name === 'AbortError' || current instanceof DeadlineExceededError),
  );
}
