import {
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  paginateGetComplianceDetailsByConfigRule,
  type Evaluation,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import type { Context } from 'aws-lambda';
import { setMaxListeners } from 'node:events';
import { clientsFor, type ClientProvider } from './awsClients';
import { type ComplianceType, notApplicable, type Verdict } from './ComplianceType';
import { type ConfigurationItem, fromApiConfigurationItem, unjudgeableStatusReason } from './ConfigurationItem';
import { DeadlineExceededError, MalformedEventError, ResourceEvaluationError } from './errors';
import { EvaluationReporter } from './EvaluationReporter';
import { toEvaluation } from './evaluations';
import { executionRoleArn } from './executionRole';
import { forEachConcurrently } from './forEachConcurrently';
import { logger } from './logger';
import { parseRuleEvent, type RuleEvent } from './RuleEvent';

/** What a rule's code gets for one invocation. */
export interface RuleContext<P> {
  params: P;
  /** Clients acting in the evaluated account (through the execution role when one is set). */
  clients: ClientProvider;
  accountId: string;
  configRuleName: string;
  /** Aborted just before the Lambda times out: pass it to every SDK call. */
  abortSignal: AbortSignal;
}

/**
 * A Config rule as its author writes it: parameters, the judgement of one configuration item,
 * and for periodic runs, how to list and judge every resource. The runtime owns the Config
 * contract (event parsing, applicability, oversized items, reporting, deadlines).
 */
export interface ConfigRuleDefinition<P, R> {
  /** The one resource type the rule judges, e.g. AWS::IAM::User. */
  resourceType: string;
  /** Parses InputParameters (less the runtime's `executionRoleName`); throws InvalidParameterError. */
  parseParameters(raw: Readonly<Record<string, string>>): P;
  /** Judges an applicable configuration item of `resourceType`. */
  evaluateItem(item: ConfigurationItem, context: RuleContext<P>): Promise<Verdict>;
  /** Every resource of the account, for periodic runs. */
  listResources(context: RuleContext<P>): AsyncIterable<R>;
  /** The Config resource id of a listed resource. */
  resourceIdOf(resource: R): string;
  /** Judges a listed resource. */
  evaluateResource(resource: R, context: RuleContext<P>): Promise<Verdict>;
}

/** Tuning read from the function's environment. */
export interface RuntimeSettings {
  /** Resources judged at once in a periodic run. */
  concurrency: number;
  /** A periodic run stops starting new work when the Lambda has less time left than this. */
  stopMarginMs: number;
  /** In-flight calls are aborted when the Lambda has less time left than this. */
  abortMarginMs: number;
}

/** What an invocation did, returned to the caller (and handy with `serverless invoke local`). */
export interface RunSummary {
  messageType: string;
  configRuleName: string;
  accountId: string;
  testMode: boolean;
  evaluations: number;
  counts: Record<ComplianceType, number>;
}

/** Reads the runtime settings from the environment; a malformed value is an error naming it. */
export function runtimeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  const concurrency = positiveInteger(env.SWEEP_CONCURRENCY, 'SWEEP_CONCURRENCY', 32);
  const stopMarginMs = positiveInteger(env.DEADLINE_MARGIN_MS, 'DEADLINE_MARGIN_MS', 20_000);
  return { concurrency, stopMarginMs, abortMarginMs: Math.ceil(stopMarginMs / 2) };
}

/** The Lambda handler for a rule. */
export function createRuleHandler<P, R>(
  rule: ConfigRuleDefinition<P, R>,
  settings: RuntimeSettings = runtimeSettingsFromEnv(),
): (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<RunSummary> {
  return async (rawEvent, lambdaContext) => {
    let event: RuleEvent;
    try {
      event = parseRuleEvent(rawEvent);
    } catch (error) {
      logger.error('Rejected a malformed event; nothing was reported', { error: describe(error) });
      throw error;
    }
    const { messageType } = event.invokingEvent;
    logger.appendKeys({ configRuleName: event.configRuleName, accountId: event.accountId, messageType });
    try {
      const { executionRoleName, ...ruleParameters } = event.ruleParameters;
      const params = rule.parseParameters(ruleParameters);
      const roleArn = executionRoleArn(executionRoleName, event.accountId, event.configRuleArn);
      const deadline = new Deadline(lambdaContext, settings);
      const context: RuleContext<P> = {
        params,
        clients: clientsFor(roleArn, event.configRuleName),
        accountId: event.accountId,
        configRuleName: event.configRuleName,
        abortSignal: deadline.abortSignal,
      };
      const summary = newSummary(event);
      const reporter = new EvaluationReporter(putEvaluations(context, event, summary));
      try {
        // A role that cannot be assumed fails here, naming the role and account, not the first API.
        await context.clients.ready();
        if (event.invokingEvent.messageType === 'ScheduledNotification') {
          await evaluatePeriodic(rule, context, event.invokingEvent.notificationCreationTime, reporter, settings, deadline);
        } else {
          const item = await itemOf(rule, event, context);
          const verdict = await evaluateChange(rule, item, event, context);
          logger.info('Evaluated', { resourceId: item.resourceId, complianceType: verdict.complianceType });
          reporter.add(toEvaluation(item.resourceType, item.resourceId, verdict, new Date(item.configurationItemCaptureTime)));
          await reporter.flush();
        }
      } finally {
        deadline.dispose();
      }
      logger.info('Reported evaluations', { evaluations: summary.evaluations, ...summary.counts, testMode: summary.testMode });
      return summary;
    } catch (error) {
      logger.error('Invocation failed', { error: describe(error) });
      throw error;
    } finally {
      logger.resetKeys();
    }
  };
}

async function evaluatePeriodic<P, R>(
  rule: ConfigRuleDefinition<P, R>,
  context: RuleContext<P>,
  notificationTime: string,
  reporter: EvaluationReporter,
  settings: RuntimeSettings,
  deadline: Deadline,
): Promise<void> {
  const orderingTimestamp = new Date(notificationTime);
  // Started before listing, so that a resource created after this read cannot be mistaken for a
  // gone one; awaited only once the sweep is done, so that it costs no time.
  const previouslyJudgedRead = previouslyJudgedResources(rule.resourceType, context);
  previouslyJudgedRead.catch(() => undefined);
  const listed = new Set<string>();
  async function* listing(): AsyncIterable<R> {
    for await (const resource of rule.listResources(context)) {
      listed.add(rule.resourceIdOf(resource));
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
        reporter.add(toEvaluation(rule.resourceType, rule.resourceIdOf(resource), verdict, orderingTimestamp));
      },
      () => deadline.nearlyOver(),
    );
  } catch (error) {
    // Report what was judged before the failure, then fail with the cause.
    await reporter.flush();
    if (deadline.abortSignal.aborted) throw deadline.exceeded(listed.size, reporter.deliveredCount);
    throw error;
  }
  if (!outcome.completed) {
    await reporter.flush();
    throw deadline.exceeded(listed.size, reporter.deliveredCount);
  }
  // Only a complete listing proves that a resource is gone.
  const previouslyJudged = await previouslyJudgedRead.catch(async (error: unknown) => {
    await reporter.flush();
    throw error;
  });
  let gone = 0;
  for (const resourceId of previouslyJudged) {
    if (listed.has(resourceId)) continue;
    gone += 1;
    reporter.add(
      toEvaluation(rule.resourceType, resourceId, notApplicable('Resource no longer exists: not found in a full listing of the account.'), orderingTimestamp),
    );
  }
  await reporter.flush();
  logger.info('Periodic evaluation complete', { listed: listed.size, judged: outcome.handled, gone, previouslyJudged: previouslyJudged.size });
}

/** Resources this rule last reported COMPLIANT or NON_COMPLIANT (all pages). */
async function previouslyJudgedResources<P>(resourceType: string, context: RuleContext<P>): Promise<Set<string>> {
  const ids = new Set<string>();
  const config = context.clients.get(ConfigServiceClient);
  try {
    const pages = paginateGetComplianceDetailsByConfigRule(
      { client: config, pageSize: 100 },
      { ConfigRuleName: context.configRuleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'] },
    );
    for await (const page of pages) {
      for (const result of page.EvaluationResults ?? []) {
        const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
        if (qualifier?.ResourceType === resourceType && qualifier.ResourceId) ids.add(qualifier.ResourceId);
      }
    }
  } catch (cause) {
    throw new ResourceEvaluationError('config:GetComplianceDetailsByConfigRule', `rule ${context.configRuleName}`, { cause });
  }
  return ids;
}

/** The configuration item of a change notification, fetched when it was too large to send. */
async function itemOf<P, R>(rule: ConfigRuleDefinition<P, R>, event: RuleEvent, context: RuleContext<P>): Promise<ConfigurationItem> {
  const invokingEvent = event.invokingEvent;
  if (invokingEvent.messageType === 'ConfigurationItemChangeNotification') return invokingEvent.configurationItem;
  if (invokingEvent.messageType !== 'OversizedConfigurationItemChangeNotification') {
    throw new Error(`no configuration item in a ${invokingEvent.messageType}`);
  }
  const summary = invokingEvent.configurationItemSummary;
  // Nothing to fetch when the verdict does not depend on the item.
  if (event.eventLeftScope || summary.resourceType !== rule.resourceType || unjudgeableStatusReason(summary.configurationItemStatus)) {
    return {
      awsAccountId: summary.awsAccountId ?? event.accountId,
      configurationItemCaptureTime: summary.configurationItemCaptureTime,
      configurationItemStatus: summary.configurationItemStatus,
      resourceType: summary.resourceType,
      resourceId: summary.resourceId,
      resourceName: summary.resourceName,
      configuration: null,
      tags: {},
    };
  }
  const config = context.clients.get(ConfigServiceClient);
  let items;
  try {
    ({ configurationItems: items } = await config.send(
      new GetResourceConfigHistoryCommand({ resourceType: summary.resourceType as ResourceType, resourceId: summary.resourceId, limit: 1 }),
      { abortSignal: context.abortSignal },
    ));
  } catch (cause) {
    throw new ResourceEvaluationError('config:GetResourceConfigHistory', `${summary.resourceType} ${summary.resourceId}`, { cause });
  }
  const latest = items?.[0];
  if (!latest) {
    throw new MalformedEventError(
      `config:GetResourceConfigHistory returned no configuration item for ${summary.resourceType} ${summary.resourceId}`,
    );
  }
  return fromApiConfigurationItem(latest);
}

/** Applicability first (rdklib's order), then the rule's judgement. */
async function evaluateChange<P, R>(
  rule: ConfigRuleDefinition<P, R>,
  item: ConfigurationItem,
  event: RuleEvent,
  context: RuleContext<P>,
): Promise<Verdict> {
  if (event.eventLeftScope) return notApplicable('Resource left the scope of this rule (eventLeftScope).');
  if (item.resourceType !== rule.resourceType) {
    return notApplicable(`This rule evaluates ${rule.resourceType} only, not ${item.resourceType}.`);
  }
  const unjudgeable = unjudgeableStatusReason(item.configurationItemStatus);
  if (unjudgeable) return notApplicable(unjudgeable);
  return rule.evaluateItem(item, context);
}

function putEvaluations<P>(context: RuleContext<P>, event: RuleEvent, summary: RunSummary) {
  return async (evaluations: Evaluation[]): Promise<Evaluation[]> => {
    const config = context.clients.get(ConfigServiceClient);
    const { FailedEvaluations: failed = [] } = await config.send(
      new PutEvaluationsCommand({ Evaluations: evaluations, ResultToken: event.resultToken, TestMode: event.testMode }),
    );
    const failedIds = new Set(failed.map((evaluation) => evaluation.ComplianceResourceId));
    for (const evaluation of evaluations) {
      if (failedIds.has(evaluation.ComplianceResourceId)) continue;
      summary.evaluations += 1;
      summary.counts[evaluation.ComplianceType as ComplianceType] += 1;
    }
    if (failed.length > 0) logger.warn('Config did not take some evaluations; resubmitting', { failed: failed.length });
    return failed;
  };
}

/** Tracks the Lambda's remaining time: when to stop starting work, and when to abort calls. */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
    private readonly settings: RuntimeSettings,
  ) {
    // Every call in flight listens to this one signal (and removes its listener when done): with
    // dozens of concurrent calls, Node's default limit of 10 listeners would warn of a leak.
    setMaxListeners(0, this.controller.signal);
    const remaining = context?.getRemainingTimeInMillis();
    if (remaining !== undefined) {
      this.timer = setTimeout(() => this.controller.abort(new DeadlineExceededError('Lambda timeout imminent')), Math.max(0, remaining - settings.abortMarginMs));
      this.timer.unref();
    }
  }

  get abortSignal(): AbortSignal {
    return this.controller.signal;
  }

  nearlyOver(): boolean {
    const remaining = this.context?.getRemainingTimeInMillis();
    return this.controller.signal.aborted || (remaining !== undefined && remaining < this.settings.stopMarginMs);
  }

  exceeded(listed: number, delivered: number): DeadlineExceededError {
    return new DeadlineExceededError(
      `Periodic evaluation stopped before the Lambda timeout: reported ${delivered} evaluation(s), ${listed} resource(s) listed so far; ` +
        'the rest keep their previous result. Raise the function timeout or the sweep concurrency.',
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

function newSummary(event: RuleEvent): RunSummary {
  return {
    messageType: event.invokingEvent.messageType,
    configRuleName: event.configRuleName,
    accountId: event.accountId,
    testMode: event.testMode,
    evaluations: 0,
    counts: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
  };
}

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new Error(`Environment variable ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}
