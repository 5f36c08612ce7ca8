import type { Evaluation } from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import { EvaluationReporter } from '../../src/config/EvaluationReporter';

const evaluation = (id: number): Evaluation => ({
  ComplianceResourceType: 'AWS::IAM::User',
  ComplianceResourceId: `AIDA${id}`,
  ComplianceType: 'COMPLIANT',
  OrderingTimestamp: new Date(0),
});

describe('EvaluationReporter', () => {
  it('sends a call as soon as 100 evaluations are queued, before flush', async () => {
    // Prepare
    const sent: number[] = [];
    const reporter = new EvaluationReporter(async (batch) => {
      sent.push(batch.length);
      return [];
    });

    // Act
    for (let id = 0; id < 250; id += 1) reporter.add(evaluation(id));
    await new Promise((resolve) => setImmediate(resolve));
    const beforeFlush = [...sent];
    await reporter.flush();

    // Assess
    expect(beforeFlush).to.deep.equal([100, 100]);
    expect(sent).to.deep.equal([100, 100, 50]);
    expect(reporter.recordedCount).to.equal(250);
  });

  it('sends nothing when there is nothing to report', async () => {
    let calls = 0;
    const reporter = new EvaluationReporter(async () => {
      calls += 1;
      return [];
    });
    await reporter.flush();
    expect(calls).to.equal(0);
  });

  it('resubmits failed evaluations twice, then throws naming them', async () => {
    const batches: string[][] = [];
    const reporter = new EvaluationReporter(async (batch) => {
      batches.push(batch.map((item) => item.ComplianceResourceId!));
      return batch.filter((item) => item.ComplianceResourceId === 'AIDA1');
    });
    reporter.add(evaluation(0));
    reporter.add(evaluation(1));

    const error = await reporter.flush().then(() => undefined, (caught: Error) => caught);

    expect(batches).to.deep.equal([['AIDA0', 'AIDA1'], ['AIDA1'], ['AIDA1']]);
    expect(error?.name).to.equal('EvaluationsRejectedError');
    expect(error?.message).to.equal('config:PutEvaluations rejected 1 evaluation(s) after resubmission: AIDA1');
    expect(reporter.recordedCount).to.equal(1);
  });

  it('keeps sending later batches after a failed call, and throws the failure at flush', async () => {
    let call = 0;
    const reporter = new EvaluationReporter(async (batch) => {
      call += 1;
      if (call === 1) throw new Error('ServiceUnavailable');
      return batch.slice(0, 0);
    });
    for (let id = 0; id < 150; id += 1) reporter.add(evaluation(id));

    const error = await reporter.flush().then(() => undefined, (caught: Error) => caught);

    expect(error?.message).to.equal('ServiceUnavailable');
    expect(call).to.equal(2);
    expect(reporter.recordedCount).to.equal(50);
  });

  describe('flushAfter', () => {
    it('sends what was judged, then throws the failure, built once sending is done', async () => {
      // Prepare
      const failure = new Error('judging failed');
      const reporter = new EvaluationReporter(async () => []);
      reporter.add(evaluation(1));
      let deliveredWhenBuilt = -1;

      // Act
      const thrown = await reporter
        .flushAfter(() => {
          deliveredWhenBuilt = reporter.recordedCount;
          return failure;
        })
        .catch((error: unknown) => error);

      // Assess
      expect(thrown).to.equal(failure);
      expect(deliveredWhenBuilt).to.equal(1);
    });

    it('keeps both errors when sending fails too, naming the failure first', async () => {
      const failure = new Error('judging failed');
      const reportingError = new Error('PutEvaluations failed');
      const reporter = new EvaluationReporter(async () => {
        throw reportingError;
      });
      reporter.add(evaluation(1));

      const thrown = (await reporter.flushAfter(() => failure).catch((error: unknown) => error)) as AggregateError & { reportingError: unknown };

      expect(thrown).to.be.instanceOf(AggregateError);
      expect(thrown.name).to.equal('FailedAndUnreportedError');
      expect(thrown.message).to.equal('judging failed (then reporting the evaluations judged before it failed too: Error: PutEvaluations failed)');
      expect(thrown.errors).to.deep.equal([failure, reportingError]);
      expect(thrown.cause).to.equal(failure);
      expect(thrown.reportingError).to.equal(reportingError);
    });
  });
});
