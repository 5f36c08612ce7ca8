import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
  type Evaluation,
} from '@aws-sdk/client-config-service';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import { resetClients } from '../../src/config/awsClients';
import type { ComplianceType, Verdict } from '../../src/config/ComplianceType';
import type { ConfigurationItem } from '../../src/config/ConfigurationItem';
import {
  type ConfigRuleDefinition,
  createRuleHandler,
  type RuleContext,
  type RuntimeSettings,
  type SweepProgress,
} from '../../src/config/createRuleHandler';
import { InvalidParameterError } from '../../src/config/errors';
import { logger } from '../../src/config/logger';
import { MAX_NON_COMPLIANT_LISTED } from '../../src/config/RunSummary';
import { recordedAnnotation } from '../../src/config/resultFingerprint';
import { RULE_METRICS } from '../../src/config/ruleMetrics';
import { emfValues } from '../../tools/lambda/emfDocuments';
import { changeEvent, type EditableEvent, scheduledEvent, serialize } from '../fixtures/events';
import { CapturedMetrics } from '../support/CapturedMetrics';
import { ManualTimers } from '../support/ManualTimers';

// The rule-agnostic runtime, driven by a stub rule that judges "buckets" by a number in their
// name, so that the Config contract is visible without the IAM rule.

const CAPTURE_TIME = new Date('2026-11-20T08:15:00.123Z');
const NOTIFICATION_TIME = new Date('2026-11-21T00:00:00.000Z');
const SETTINGS: RuntimeSettings = { concurrency: 4, stopMarginMs: 20_000, abortMarginMs: 10_000, progressIntervalMs: 30_000 };

interface StubParams {
  limit: number;
}
interface StubResource {
  id: string;
  size: number;
}

/** A stub rule for AWS::IAM::User: a resource is NON_COMPLIANT when its size is above `limit`. */
function stubRule(resources: StubResource[] = [], overrides: Partial<ConfigRuleDefinition<StubParams, StubResource>> = {}) {
  const calls = { evaluateItem: [] as ConfigurationItem[], evaluateResource: [] as string[], contexts: [] as RuleContext<StubParams>[] };
  const judge = (size: number, params: StubParams): Verdict =>
    size > params.limit
      ? { complianceType: 'NON_COMPLIANT', annotation: `size ${size} > ${params.limit}` }
      : { complianceType: 'COMPLIANT', annotation: `size ${size}` };
  const rule: ConfigRuleDefinition<StubParams, StubResource> = {
    resourceType: 'AWS::IAM::User',
    parseParameters(raw) {
      for (const name of Object.keys(raw)) if (name !== 'limit') throw new InvalidParameterError(name, 'unknown parameter');
      return { limit: Number(raw.limit ?? '1') };
    },
    async evaluateItem(item, context) {
      calls.evaluateItem.push(item);
      calls.contexts.push(context);
      return judge(Number(item.configuration?.size ?? 0), context.params);
    },
    async *listResources() {
      yield* resources;
    },
    resourceIdOf: (resource) => resource.id,
    async evaluateResource(resource, context) {
      calls.evaluateResource.push(resource.id);
      return judge(resource.size, context.params);
    },
    ...overrides,
  };
  return { rule, calls };
}

function resources(count: number, nonCompliantEvery = 0): StubResource[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `R${String(index).padStart(4, '0')}`,
    size: nonCompliantEvery && index % nonCompliantEvery === 0 ? 2 : 1,
  }));
}

function changeOf(
  configuration: Record<string, unknown>,
  edit: (item: Record<string, unknown>, event: EditableEvent) => void = () => undefined,
): Record<string, unknown> {
  const event = forStub(changeEvent());
  const item = event.invokingEvent.configurationItem as Record<string, unknown>;
  item.configuration = configuration;
  edit(item, event);
  return serialize(event);
}

/** The event without the IAM rule's parameters. */
function forStub(event: EditableEvent): EditableEvent {
  return { ...event, ruleParameters: undefined };
}

/** Lets the handler run until it waits on something (a timer, a call). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => error,
  );

describe('createRuleHandler (runtime with a stub rule)', () => {
  let config: AwsClientStub<ConfigServiceClient>;

  before(() => {
    config = mockClient(ConfigServiceClient);
  });
  after(() => {
    config.restore();
    resetClients();
  });
  beforeEach(() => {
    config.reset();
    resetClients();
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
  });

  const put = (): Evaluation[] => config.commandCalls(PutEvaluationsCommand).flatMap((call) => call.args[0].input.Evaluations ?? []);

  describe('change notifications', () => {
    it("reports the rule's verdict for the item, by resource id, at the capture time, with the rule's parsed parameters", async () => {
      // Prepare
      const { rule, calls } = stubRule();
      const event = forStub(changeEvent());
      event.ruleParameters = { limit: '3' };
      (event.invokingEvent.configurationItem as Record<string, unknown>).configuration = { size: 5 };

      // Act
      const summary = await createRuleHandler(rule, SETTINGS)(serialize(event));

      // Assess
      expect(put()).to.deep.equal([
        {
          ComplianceResourceType: 'AWS::IAM::User',
          ComplianceResourceId: 'AIDAJQABLZS4A3QDU576Q',
          ComplianceType: 'NON_COMPLIANT',
          Annotation: 'size 5 > 3',
          OrderingTimestamp: CAPTURE_TIME,
        },
      ]);
      expect(calls.contexts[0]).to.include({ accountId: '123456789012', configRuleName: 'iam-user-single-access-key' });
      expect(calls.contexts[0].params).to.deep.equal({ limit: 3 });
      expect(summary).to.deep.include({
        toRecord: 1,
        recorded: 1,
        recordedByCompliance: { COMPLIANT: 0, NON_COMPLIANT: 1, NOT_APPLICABLE: 0 },
        recordedNonCompliant: [{ resourceId: 'AIDAJQABLZS4A3QDU576Q', annotation: 'size 5 > 3' }],
        recordedNonCompliantNotListed: 0,
      });
    });

    const inapplicable: { name: string; edit: (item: Record<string, unknown>, event: EditableEvent) => void; annotation: string }[] = [
      {
        name: 'an item that left the scope',
        edit: (_, event) => (event.eventLeftScope = true),
        annotation: 'Resource left the scope of this rule (eventLeftScope).',
      },
      {
        name: 'another resource type',
        edit: (item) => (item.resourceType = 'AWS::S3::Bucket'),
        annotation: 'This rule evaluates AWS::IAM::User only, not AWS::S3::Bucket.',
      },
      {
        name: 'a deleted resource',
        edit: (item) => (item.configurationItemStatus = 'ResourceDeleted'),
        annotation: 'Resource deleted (ResourceDeleted): nothing to evaluate.',
      },
      {
        name: 'a resource not recorded in this region',
        edit: (item) => (item.configurationItemStatus = 'ResourceNotRecorded'),
        annotation: 'Resource not recorded in this region (ResourceNotRecorded); it is evaluated where global resources are recorded.',
      },
    ];
    for (const { name, edit, annotation } of inapplicable) {
      it(`reports ${name} NOT_APPLICABLE without asking the rule`, async () => {
        const { rule, calls } = stubRule();

        await createRuleHandler(rule, SETTINGS)(changeOf({ size: 5 }, edit));

        expect(calls.evaluateItem).to.have.length(0);
        expect(put()).to.have.length(1);
        expect(put()[0]).to.include({ ComplianceType: 'NOT_APPLICABLE', Annotation: annotation });
      });
    }

    it('names the deadline, not "AbortError: Request aborted", when the Lambda timeout cuts an evaluation off', async () => {
      // Prepare: the rule waits for the abort signal, as an SDK call does; the Lambda has 50 ms left on the test's clock
      const { rule } = stubRule([], {
        evaluateItem: (_item, context) =>
          new Promise((_, reject) =>
            context.abortSignal.addEventListener('abort', () =>
              reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
            ),
          ),
      });
      const timers = new ManualTimers();
      const run = rejection(
        createRuleHandler(
          rule,
          { ...SETTINGS, stopMarginMs: 40, abortMarginMs: 20 },
          { timers },
        )(changeOf({ size: 1 }), timers.lambdaContext(50)),
      );

      // Act: 30 ms pass, leaving the abort margin
      await settled();
      timers.advance(30);
      const error = await run;

      // Assess
      expect(error?.name).to.equal('DeadlineExceededError');
      expect(error?.message).to.equal(
        'The evaluation of AWS::IAM::User AIDAJQABLZS4A3QDU576Q was cut off by the Lambda timeout: nothing was reported for it. Raise the function timeout.',
      );
      expect((error?.cause as Error).name).to.equal('AbortError');
      expect(put()).to.have.length(0);
    });
  });

  describe('reporting', () => {
    it('names config:PutEvaluations and the batch size when the call fails (a 500 with an HTML body)', async () => {
      const { rule } = stubRule();
      config
        .on(PutEvaluationsCommand)
        .rejects(
          Object.assign(new SyntaxError('Unexpected token \'<\', "<html>" is not valid JSON'), { $metadata: { httpStatusCode: 500 } }),
        );

      const error = await rejection(createRuleHandler(rule, SETTINGS)(changeOf({ size: 1 })));

      expect(error?.name).to.equal('AwsCallError');
      expect(error?.message).to.equal(
        'config:PutEvaluations failed for a batch of 1 evaluation(s) of rule iam-user-single-access-key: SyntaxError: Unexpected token \'<\', "<html>" is not valid JSON',
      );
    });

    it('passes an abort signal to PutEvaluations', async () => {
      const { rule } = stubRule();

      await createRuleHandler(rule, SETTINGS)(changeOf({ size: 1 }), { getRemainingTimeInMillis: () => 60_000 });

      const options = (config.commandCalls(PutEvaluationsCommand)[0].args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined;
      expect(options?.abortSignal).to.be.instanceOf(AbortSignal);
    });

    it('keeps both errors when reporting after a failure fails too; the error names the first', async () => {
      // Prepare: the third resource fails; reporting the two judged before it fails as well
      const boom = new Error('judging R0002 failed');
      const { rule } = stubRule(resources(5), {
        async evaluateResource(resource) {
          if (resource.id === 'R0002') throw boom;
          return { complianceType: 'COMPLIANT', annotation: 'ok' };
        },
      });
      config.on(PutEvaluationsCommand).rejects(new Error('socket hang up'));

      // Act
      const error = (await rejection(
        createRuleHandler(rule, { ...SETTINGS, concurrency: 1 })(serialize(forStub(scheduledEvent()))),
      )) as AggregateError & { reportingError: Error };

      // Assess
      expect(error.name).to.equal('FailedAndUnreportedError');
      expect(error.message).to.equal(
        'judging R0002 failed (then reporting the evaluations judged before it failed too: AwsCallError: config:PutEvaluations failed for a batch of 2 evaluation(s) of rule iam-user-single-access-key: Error: socket hang up)',
      );
      expect(error.cause).to.equal(boom);
      expect(error.errors[0]).to.equal(boom);
      expect(error.reportingError.message).to.match(/^config:PutEvaluations failed for a batch of 2 evaluation\(s\)/);
    });
  });

  describe('periodic runs', () => {
    it('judges every listed resource and reports each at the notification time', async () => {
      const { rule, calls } = stubRule(resources(250, 10));

      const summary = await createRuleHandler(rule, SETTINGS)(serialize(forStub(scheduledEvent())));

      expect(calls.evaluateResource).to.have.length(250);
      expect(put()).to.have.length(250);
      expect(put().every((evaluation) => (evaluation.OrderingTimestamp as Date).getTime() === NOTIFICATION_TIME.getTime())).to.equal(true);
      expect(config.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input.Evaluations?.length)).to.deep.equal([
        100, 100, 50,
      ]);
      expect(summary.recordedByCompliance).to.deep.equal({ COMPLIANT: 225, NON_COMPLIANT: 25, NOT_APPLICABLE: 0 });
      expect(summary).to.deep.include({ toRecord: 250, recorded: 250, unchanged: 0 });
      expect(summary.sweep).to.deep.include({ listed: 250, judged: 250, nonCompliant: 25, throttledCalls: 0, done: true });
      expect(summary.sweep, 'each count once, at the top of the summary').not.to.have.any.keys('toRecord', 'recorded', 'unchanged');
    });

    it(`lists the NON_COMPLIANT resources with their annotations in the summary, at most ${MAX_NON_COMPLIANT_LISTED}`, async () => {
      const { rule } = stubRule(resources(60, 1));

      const summary = await createRuleHandler(rule, SETTINGS)(serialize(forStub(scheduledEvent())));

      expect(summary.recordedNonCompliant).to.have.length(MAX_NON_COMPLIANT_LISTED);
      expect(summary.recordedNonCompliant[0]).to.deep.equal({ resourceId: 'R0000', annotation: 'size 2 > 1' });
      expect(summary.recordedNonCompliantNotListed).to.equal(60 - MAX_NON_COMPLIANT_LISTED);
    });

    it('reports NOT_APPLICABLE the resources judged before that a complete listing no longer has', async () => {
      const { rule } = stubRule(resources(2));
      const stored = (id: string) => ({
        EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::IAM::User', ResourceId: id } },
      });
      const otherType = { EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::S3::Bucket', ResourceId: 'X' } } };
      config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [stored('R0000'), stored('GONE1'), otherType] });

      await createRuleHandler(rule, SETTINGS)(serialize(forStub(scheduledEvent())));

      const gone = put().filter((evaluation) => evaluation.ComplianceType === 'NOT_APPLICABLE');
      expect(gone.map((evaluation) => evaluation.ComplianceResourceId)).to.deep.equal(['GONE1']);
      expect(gone[0].Annotation).to.equal('Resource no longer exists: not found in a full listing of the account.');
    });

    describe('recording only what changed', () => {
      const result = (id: string, complianceType: ComplianceType, annotation: string) => ({
        EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::IAM::User', ResourceId: id } },
        ComplianceType: complianceType,
        Annotation: annotation,
      });

      it('compares the whole annotation of verdicts without facts, and reads every compliance type', async () => {
        // Prepare: R0000 held as judged; R0001 held with another annotation; R0002 held with no result
        const { rule } = stubRule(resources(3));
        config
          .on(GetComplianceDetailsByConfigRuleCommand)
          .resolves({ EvaluationResults: [result('R0000', 'COMPLIANT', 'size 1'), result('R0001', 'COMPLIANT', 'size 1 (then)')] });
        const info = sinon.spy(logger, 'info');

        // Act
        let summary;
        try {
          summary = await createRuleHandler(rule, SETTINGS)(serialize(forStub(scheduledEvent())));
        } finally {
          info.restore();
        }

        // Assess
        expect(put().map((evaluation) => evaluation.ComplianceResourceId)).to.deep.equal(['R0001', 'R0002']);
        expect(config.commandCalls(GetComplianceDetailsByConfigRuleCommand)[0].args[0].input.ComplianceTypes).to.deep.equal([
          'COMPLIANT',
          'NON_COMPLIANT',
          'NOT_APPLICABLE',
        ]);
        expect(summary).to.deep.include({ toRecord: 2, recorded: 2, unchanged: 1 });
        const final = info.getCalls().find((call) => call.args[0] === 'Invocation complete');
        expect(final?.args[1]).to.include({ toRecord: 2, recorded: 2, unchanged: 1 });
      });

      it('records verdicts with facts followed by the marker of their facts, and compares those facts, never the words', async () => {
        // Prepare: the rule states its facts; Config holds R0000 as another wording of the same facts, R0001 with other facts
        const withFacts = (size: number, words: string): Verdict => ({ complianceType: 'COMPLIANT', annotation: words, facts: { size } });
        const { rule } = stubRule(resources(3), {
          async evaluateResource(resource) {
            return withFacts(resource.size, `size ${resource.size}, judged now`);
          },
        });
        config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
          EvaluationResults: [
            result('R0000', 'COMPLIANT', recordedAnnotation(withFacts(1, 'size 1 (worded before)'))),
            result('R0001', 'COMPLIANT', recordedAnnotation(withFacts(2, 'size 1, judged now'))),
          ],
        });

        // Act
        const summary = await createRuleHandler(rule, SETTINGS)(serialize(forStub(scheduledEvent())));

        // Assess
        expect(put().map((evaluation) => [evaluation.ComplianceResourceId, evaluation.Annotation])).to.deep.equal([
          ['R0001', recordedAnnotation(withFacts(1, 'size 1, judged now'))],
          ['R0002', recordedAnnotation(withFacts(1, 'size 1, judged now'))],
        ]);
        expect(put()[0]!.Annotation).to.match(/^size 1, judged now \[fp:[\w-]{8}\]$/);
        expect(summary.unchanged).to.equal(1);
      });

      it('leaves a gone resource already recorded NOT_APPLICABLE "no longer exists"', async () => {
        const { rule } = stubRule([]);
        config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
          EvaluationResults: [
            result('GONE1', 'NOT_APPLICABLE', 'Resource no longer exists: not found in a full listing of the account.'),
            result('GONE2', 'NOT_APPLICABLE', 'exempt'),
          ],
        });

        await createRuleHandler(rule, SETTINGS)(serialize(forStub(scheduledEvent())));

        expect(put().map((evaluation) => evaluation.ComplianceResourceId)).to.deep.equal(['GONE2']);
      });

      it("takes recordUnchanged for itself: the rule's parser never sees it", async () => {
        const { rule, calls } = stubRule(resources(1));
        config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [result('R0000', 'COMPLIANT', 'size 1')] });
        const event = forStub(scheduledEvent());
        event.ruleParameters = { limit: '1', recordUnchanged: 'TRUE' };

        await createRuleHandler(rule, SETTINGS)(serialize(event));

        expect(put().map((evaluation) => evaluation.ComplianceResourceId)).to.deep.equal(['R0000']);
        expect(calls.evaluateResource).to.deep.equal(['R0000']);
      });
    });

    it('reports no resource gone when the listing did not complete', async () => {
      const { rule } = stubRule([], {
        async *listResources() {
          yield { id: 'R0000', size: 1 };
          throw new Error('listing failed');
        },
      });
      config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
        EvaluationResults: [
          { EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::IAM::User', ResourceId: 'GONE1' } } },
        ],
      });

      const error = await rejection(createRuleHandler(rule, SETTINGS)(serialize(forStub(scheduledEvent()))));

      expect(error?.message).to.equal('listing failed');
      expect(put().map((evaluation) => evaluation.ComplianceResourceId)).to.deep.equal(['R0000']);
    });

    it('stops reading the stored results when the run ends early, so the read cannot outlive the invocation', async () => {
      // Prepare: the read's first page never arrives; the listing fails at once
      const { rule } = stubRule([], {
        // eslint-disable-next-line require-yield
        async *listResources() {
          throw new Error('listing failed');
        },
      });
      config.on(GetComplianceDetailsByConfigRuleCommand).callsFake(() => new Promise(() => undefined));

      // Act
      const error = await rejection(createRuleHandler(rule, SETTINGS)(serialize(forStub(scheduledEvent()))));

      // Assess
      expect(error?.message).to.equal('listing failed');
      const options = (config.commandCalls(GetComplianceDetailsByConfigRuleCommand)[0].args as unknown[])[1] as
        { abortSignal?: AbortSignal } | undefined;
      expect(options?.abortSignal?.aborted).to.equal(true);
    });

    it('names the deadline when the Lambda timeout cuts the stored-results read off after a complete listing', async () => {
      // Prepare: the listing completes at once; the read's page never comes, and the (mocked) call
      // fails as an aborted one once the deadline has aborted the calls, 40 ms in on the test's clock
      const { rule } = stubRule(resources(2));
      let failRead: (error: Error) => void = () => undefined;
      config.on(GetComplianceDetailsByConfigRuleCommand).callsFake(() => new Promise((_, reject) => (failRead = reject)));
      const timers = new ManualTimers();
      const run = rejection(
        createRuleHandler(
          rule,
          { ...SETTINGS, stopMarginMs: 5, abortMarginMs: 10_000 },
          { timers },
        )(serialize(forStub(scheduledEvent())), timers.lambdaContext(10_040)),
      );

      // Act
      await settled();
      timers.advance(40);
      failRead(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
      const error = await run;

      // Assess: every verdict is recorded (the stored results are unknown), and the error names the deadline
      expect(error?.name).to.equal('DeadlineExceededError');
      expect((error as Error & { cause?: Error }).cause?.message).to.match(/^config:GetComplianceDetailsByConfigRule failed/);
      expect(put().map((evaluation) => evaluation.ComplianceResourceId)).to.deep.equal(['R0000', 'R0001']);
    });

    it('reports its progress every progressIntervalMs while it runs, and once at the end', async () => {
      // Prepare: on a fake clock, 6 resources judged one at a time, 30 ms each (done at 30, 60, … 180 ms); progress every 70 ms
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
      const { rule } = stubRule(resources(6), {
        async evaluateResource() {
          await new Promise((resolve) => setTimeout(resolve, 30));
          return { complianceType: 'COMPLIANT', annotation: 'ok' };
        },
      });
      const seen: SweepProgress[] = [];
      const info = sinon.spy(logger, 'info');

      // Act
      try {
        const run = createRuleHandler(
          rule,
          { ...SETTINGS, concurrency: 1, progressIntervalMs: 70 },
          { onProgress: (progress) => seen.push(progress) },
        )(serialize(forStub(scheduledEvent())));
        await clock.tickAsync(180);
        await run;
      } finally {
        info.restore();
        clock.restore();
      }

      // Assess: at 70 ms two were judged, at 140 ms four; the last report is the run's end, at 180 ms
      const logged = info.getCalls().filter((call) => call.args[0] === 'Periodic evaluation in progress');
      expect(logged.map((call) => call.args[1])).to.deep.equal(seen.slice(0, 2));
      expect(logged[0].args[1]).to.have.keys([
        'listed',
        'judged',
        'nonCompliant',
        'toRecord',
        'recorded',
        'unchanged',
        'throttledCalls',
        'elapsedSeconds',
        'judgedPerSecond',
        'done',
      ]);
      expect(seen.map(({ judged, elapsedSeconds, done }) => ({ judged, elapsedSeconds, done }))).to.deep.equal([
        { judged: 2, elapsedSeconds: 0.1, done: false },
        { judged: 4, elapsedSeconds: 0.1, done: false },
        { judged: 6, elapsedSeconds: 0.2, done: true },
      ]);
      expect(seen.at(-1)).to.include({ listed: 6, toRecord: 6, recorded: 6, judgedPerSecond: 33.3 });
    });

    it('stops starting work near the deadline, reports what it judged, and fails loudly', async () => {
      let remaining = 60_000;
      const { rule } = stubRule(resources(10), {
        async evaluateResource(resource) {
          if (resource.id === 'R0002') remaining = 10_000;
          return { complianceType: 'COMPLIANT', annotation: 'ok' };
        },
      });

      const error = await rejection(
        createRuleHandler(rule, { ...SETTINGS, concurrency: 1 })(serialize(forStub(scheduledEvent())), {
          getRemainingTimeInMillis: () => remaining,
        }),
      );

      expect(error?.name).to.equal('DeadlineExceededError');
      expect(error?.message).to.equal(
        'Periodic evaluation cut off by the Lambda timeout (60 s for this run) while judging: 3 of 3+ listed resources judged; ' +
          'Config accepted (recorded) 3 of the 3 evaluations to record, 0 unchanged. The others keep their previous result until a sweep completes. ' +
          "Raise the function's timeout (deploy option timeout) or sweepConcurrency; 0 call(s) were throttled.",
      );
      expect(put()).to.have.length(3);
    });
  });

  describe('metrics', () => {
    const SWEEP = RULE_METRICS.sweep;
    const CHANGE = RULE_METRICS.change;
    const RULE_NAME = 'iam-user-single-access-key';

    /** The one document `metrics` published: its values, after checking that it is the rule's namespace and one dimension. */
    function onlyDocument(metrics: CapturedMetrics): Record<string, unknown> {
      expect(metrics.documents).to.have.length(1);
      const [document] = metrics.documents;
      expect(document._aws.CloudWatchMetrics).to.have.length(1);
      expect(document._aws.CloudWatchMetrics[0]).to.deep.include({ Namespace: 'ConfigRuleSweeps', Dimensions: [['ConfigRuleName']] });
      expect(document.ConfigRuleName).to.equal(RULE_NAME);
      return emfValues(document);
    }

    it("publishes one document per sweep whose figures equal the run summary's counts", async () => {
      // Prepare: 5 resources, 2 NON_COMPLIANT; R0001 held by Config as judged (unchanged); 2.5 s on a fake clock
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
      const { rule } = stubRule(resources(5, 3), {
        async evaluateResource(resource) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          return { complianceType: resource.size > 1 ? 'NON_COMPLIANT' : 'COMPLIANT', annotation: `size ${resource.size}` };
        },
      });
      config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
        EvaluationResults: [
          {
            EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::IAM::User', ResourceId: 'R0001' } },
            ComplianceType: 'COMPLIANT',
            Annotation: 'size 1',
          },
        ],
      });
      const metrics = new CapturedMetrics();

      // Act
      let summary;
      try {
        const run = createRuleHandler(rule, { ...SETTINGS, concurrency: 1 }, { metrics })(serialize(forStub(scheduledEvent())));
        await clock.tickAsync(2_500);
        summary = await run;
      } finally {
        clock.restore();
      }

      // Assess
      expect(summary.sweep).to.deep.include({ judged: 5, nonCompliant: 2, elapsedSeconds: 2.5 });
      expect(summary).to.deep.include({ recorded: 4, unchanged: 1 });
      expect(onlyDocument(metrics)).to.deep.equal({
        [SWEEP.completed]: 1,
        [SWEEP.recorded]: summary.recorded,
        [SWEEP.judged]: summary.sweep?.judged,
        [SWEEP.unchanged]: summary.unchanged,
        [SWEEP.throttledCalls]: summary.sweep?.throttledCalls,
        [SWEEP.durationSeconds]: summary.sweep?.elapsedSeconds,
        [SWEEP.nonCompliant]: summary.sweep?.nonCompliant,
      });
      expect(metrics.documents[0]._aws.CloudWatchMetrics[0].Metrics).to.deep.include({ Name: SWEEP.durationSeconds, Unit: 'Seconds' });
    });

    it('publishes SweepCompleted 0 and what the sweep did when the deadline cuts it off, before the error reaches the caller', async () => {
      // Prepare: 60 s left until R0002 is judged, then 10 s: the sweep stops after 3 of 10
      let remaining = 60_000;
      const { rule } = stubRule(resources(10, 1), {
        async evaluateResource(resource) {
          if (resource.id === 'R0002') remaining = 10_000;
          return { complianceType: 'NON_COMPLIANT', annotation: 'too big' };
        },
      });
      const metrics = new CapturedMetrics();

      // Act
      const error = await createRuleHandler(
        rule,
        { ...SETTINGS, concurrency: 1 },
        { metrics },
      )(serialize(forStub(scheduledEvent())), {
        getRemainingTimeInMillis: () => remaining,
      }).then(
        () => undefined,
        (thrown: Error) => ({ thrown, documentsWhenThrown: metrics.documents.length }),
      );

      // Assess: no NonCompliantResources, since 3 of 10 would read as 7 made compliant
      expect(error?.thrown.name).to.equal('DeadlineExceededError');
      expect(error?.documentsWhenThrown).to.equal(1);
      const values = onlyDocument(metrics);
      expect(values).to.include({
        [SWEEP.completed]: 0,
        [SWEEP.judged]: 3,
        [SWEEP.recorded]: 3,
        [SWEEP.unchanged]: 0,
        [SWEEP.throttledCalls]: 0,
      });
      expect(values).to.have.property(SWEEP.durationSeconds).that.is.a('number');
      expect(values).not.to.have.property(SWEEP.nonCompliant);
    });

    it('publishes SweepCompleted 0 when the rule fails on a resource, with the evaluations recorded before', async () => {
      // Prepare
      const { rule } = stubRule(resources(5), {
        async evaluateResource(resource) {
          if (resource.id === 'R0002') throw new Error('judging R0002 failed');
          return { complianceType: 'COMPLIANT', annotation: 'ok' };
        },
      });
      const metrics = new CapturedMetrics();

      // Act
      const error = await rejection(
        createRuleHandler(rule, { ...SETTINGS, concurrency: 1 }, { metrics })(serialize(forStub(scheduledEvent()))),
      );

      // Assess
      expect(error?.message).to.equal('judging R0002 failed');
      expect(onlyDocument(metrics)).to.include({ [SWEEP.completed]: 0, [SWEEP.judged]: 2, [SWEEP.recorded]: 2 });
    });

    it('publishes SweepCompleted 0 and nothing recorded when the sweep fails before it starts, and no figure it never had', async () => {
      // Prepare
      const { rule } = stubRule(resources(5));
      const event = forStub(scheduledEvent());
      event.ruleParameters = { limt: '2' };
      const metrics = new CapturedMetrics();

      // Act
      const error = await rejection(createRuleHandler(rule, SETTINGS, { metrics })(serialize(event)));

      // Assess
      expect(error?.name).to.equal('InvalidParameterError');
      expect(onlyDocument(metrics)).to.deep.equal({ [SWEEP.completed]: 0, [SWEEP.recorded]: 0 });
    });

    const changes: [what: string, configure: () => void, expected: Record<string, number>][] = [
      ['records its evaluation', () => undefined, { [CHANGE.recorded]: 1, [CHANGE.failed]: 0 }],
      [
        'fails to report',
        () => config.on(PutEvaluationsCommand).rejects(new Error('socket hang up')),
        { [CHANGE.recorded]: 0, [CHANGE.failed]: 1 },
      ],
    ];
    for (const [what, configure, expected] of changes) {
      it(`publishes the evaluations recorded and the failures of a change-triggered invocation that ${what}`, async () => {
        // Prepare
        const { rule } = stubRule();
        configure();
        const metrics = new CapturedMetrics();

        // Act
        await createRuleHandler(rule, SETTINGS, { metrics })(changeOf({ size: 1 })).catch(() => undefined);

        // Assess
        expect(onlyDocument(metrics)).to.deep.equal(expected);
      });
    }

    const accountCases: [string, string | undefined, string[][]][] = [
      ['run by its own account, one series', 'arn:aws:lambda:us-east-1:123456789012:function:evaluate', [['ConfigRuleName']]],
      [
        "run for another account (an organization rule's member), also a series of that account",
        'arn:aws:lambda:us-east-1:210987654321:function:evaluate:live',
        [['ConfigRuleName'], ['ConfigRuleName', 'AccountId']],
      ],
      ['run with no function ARN (locally), one series', undefined, [['ConfigRuleName']]],
    ];
    for (const [what, invokedFunctionArn, dimensions] of accountCases) {
      it(`publishes an invocation ${what}`, async () => {
        // Prepare: the event's account is 123456789012
        const metrics = new CapturedMetrics();
        const context = { getRemainingTimeInMillis: () => 30_000, ...(invokedFunctionArn ? { invokedFunctionArn } : {}) };

        // Act
        await createRuleHandler(stubRule().rule, SETTINGS, { metrics })(changeOf({ size: 1 }), context);

        // Assess
        expect(metrics.documents).to.have.length(1);
        const [document] = metrics.documents;
        expect(document._aws.CloudWatchMetrics[0].Dimensions).to.deep.equal(dimensions);
        expect(document.AccountId).to.equal(dimensions.length > 1 ? '123456789012' : undefined);
      });
    }

    it('publishes nothing for a malformed event: no rule name to publish under (Lambda counts the error)', async () => {
      const metrics = new CapturedMetrics();

      const error = await rejection(createRuleHandler(stubRule().rule, SETTINGS, { metrics })({ configRuleName: RULE_NAME }));

      expect(error?.name).to.equal('MalformedEventError');
      expect(metrics.documents).to.deep.equal([]);
    });

    it('logs a failure to publish and returns the summary: the metrics never change what the invocation did', async () => {
      // Prepare
      const metrics = new CapturedMetrics();
      sinon.replace(metrics, 'publish', () => {
        throw new RangeError('not a valid number');
      });
      const error = sinon.spy(logger, 'error');

      // Act
      let summary;
      try {
        summary = await createRuleHandler(stubRule().rule, SETTINGS, { metrics })(changeOf({ size: 1 }));
      } finally {
        error.restore();
        sinon.restore();
      }

      // Assess
      expect(summary.recorded).to.equal(1);
      expect(error.getCalls().map((call) => call.args[0])).to.deep.equal(["Could not publish the invocation's metrics"]);
    });
  });

  it('rejects an unknown rule parameter through the rule, reporting nothing', async () => {
    const { rule } = stubRule();
    const event = forStub(changeEvent());
    event.ruleParameters = { limt: '2' };

    const error = await rejection(createRuleHandler(rule, SETTINGS)(serialize(event)));

    expect(error?.message).to.equal('Invalid rule parameter "limt": unknown parameter');
    expect(put()).to.have.length(0);
  });

  it('hands a rule parameter named __proto__ to the rule as a name, which refuses it', async () => {
    const { rule } = stubRule();
    const event = forStub(changeEvent());
    const serialized = serialize(event) as { ruleParameters?: string };
    serialized.ruleParameters = '{"__proto__": "2"}';

    const error = await rejection(createRuleHandler(rule, SETTINGS)(serialized));

    expect(error?.message).to.equal('Invalid rule parameter "__proto__": unknown parameter');
    expect(put()).to.have.length(0);
  });
});
