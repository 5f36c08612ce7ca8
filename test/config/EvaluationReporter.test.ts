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

    const error = await reporter.flush().then(
      () => undefined,
      (caught: Error) => caught,
    );

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

    const error = await reporter.flush().then(
      () => undefined,
      (caught: Error) => caught,
    );

    expect(error?.message).to.equal('ServiceUnavailable');
    expect(call).to.equal(2);
    expect(reporter.recordedCount).to.equal(50);
  });

  it('counts what it was handed apart from what Config accepted', async () => {
    // Prepare: Config refuses the third evaluation every time
    const refused = evaluation(3).ComplianceResourceId;
    const reporter = new EvaluationReporter(async (evaluations) => evaluations.filter((sent) => sent.ComplianceResourceId === refused));
    reporter.add(evaluation(1));
    reporter.add(evaluation(2));
    reporter.add(evaluation(3));

    // Act
    const error = await reporter.flush().then(
      () => undefined,
      (caught: Error) => caught,
    );

    // Assess
    expect(error?.name).to.equal('EvaluationsRejectedError');
    expect(reporter.toRecordCount).to.equal(3);
    expect(reporter.recordedCount).to.equal(2);
  });
});
