import { ConfigServiceClient, PutEvaluationsCommand, type Evaluation } from '@aws-sdk/client-config-service';
import type { ClientProvider } from './awsClients';
import { AwsCallError } from './errors';
import type { PutEvaluations } from './EvaluationReporter';
import { logger } from './logger';
import type { RuleEvent } from './RuleEvent';
import { countRecorded, type RunSummary } from './RunSummary';

/**
 * The reporter's PutEvaluations call for one invocation: sends a batch with the event's result
 * token (TestMode for TESTMODE), counts what Config accepted (recorded) into `summary`, and returns what it
 * listed in FailedEvaluations. A failed call names the API and the batch.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_PutEvaluations.html
 */
export function putEvaluationsCall(
  clients: ClientProvider,
  event: RuleEvent,
  summary: RunSummary,
  abortSignal: AbortSignal,
): PutEvaluations {
  return async (evaluations: Evaluation[]): Promise<Evaluation[]> => {
    const config = clients.get(ConfigServiceClient);
    let failed: Evaluation[];
    try {
      ({ FailedEvaluations: failed = [] } = await config.send(
        new PutEvaluationsCommand({ Evaluations: evaluations, ResultToken: event.resultToken, TestMode: event.testMode }),
        { abortSignal },
      ));
    } catch (cause) {
      throw new AwsCallError('config:PutEvaluations', `a batch of ${evaluations.length} evaluation(s) of rule ${event.configRuleName}`, {
        cause,
        abortSignal,
      });
    }
    const failedIds = new Set(failed.map((evaluation) => evaluation.ComplianceResourceId));
    for (const evaluation of evaluations) {
      if (!failedIds.has(evaluation.ComplianceResourceId)) countRecorded(summary, evaluation);
    }
    if (failed.length > 0) logger.warn('Config did not take some evaluations; resubmitting', { failed: failed.length });
    return failed;
  };
}
