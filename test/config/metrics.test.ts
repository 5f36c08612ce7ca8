import { expect } from 'chai';
import sinon from 'sinon';
import type { MetricValue } from '../../src/config/invocationMetrics';
import { RuleMetrics } from '../../src/config/metrics';
import { RULE_METRICS } from '../../src/config/ruleMetrics';
import { emfDocumentsIn } from '../../tools/lambda/emfDocuments';

// The Powertools Metrics the runtime publishes through, printing as it does in Lambda.

const VALUES: MetricValue[] = [
  { name: RULE_METRICS.sweep.completed, unit: 'Count', value: 1 },
  { name: RULE_METRICS.sweep.durationSeconds, unit: 'Seconds', value: 12.5 },
];

/** Builds a RuleMetrics with `environment` set, as a function's process starts with it. */
function ruleMetricsWith(environment: Record<string, string>): RuleMetrics {
  const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  Object.assign(process.env, environment);
  try {
    return new RuleMetrics();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** What `act` writes to stdout; `act` must be synchronous, so that nothing else writes meanwhile. */
function stdoutOf(act: () => void): string[] {
  const written: string[] = [];
  const write = sinon.stub(process.stdout, 'write').callsFake((chunk: string | Uint8Array) => {
    written.push(chunk.toString());
    return true;
  });
  try {
    act();
  } finally {
    write.restore();
  }
  return written.join('').split('\n').filter(Boolean);
}

describe('RuleMetrics', () => {
  it("prints one EMF line in the rule's namespace whose only dimension is ConfigRuleName, not Powertools' service", () => {
    // Prepare: the function's environment names a service, which Powertools would make a dimension
    const metrics = ruleMetricsWith({ POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_SERVICE_NAME: 'iam-user-single-access-key' });
    const clock = sinon.useFakeTimers({ now: new Date('2026-12-02T07:00:00.000Z'), toFake: ['Date'] });

    // Act
    let lines: string[];
    try {
      lines = stdoutOf(() => metrics.publish('my-rule', VALUES));
    } finally {
      clock.restore();
    }

    // Assess
    expect(lines).to.have.length(1);
    expect(JSON.parse(lines[0])).to.deep.equal({
      _aws: {
        Timestamp: Date.parse('2026-12-02T07:00:00.000Z'),
        CloudWatchMetrics: [
          {
            Namespace: 'ConfigRuleSweeps',
            Dimensions: [['ConfigRuleName']],
            Metrics: [
              { Name: 'SweepCompleted', Unit: 'Count' },
              { Name: 'SweepDuration', Unit: 'Seconds' },
            ],
          },
        ],
      },
      ConfigRuleName: 'my-rule',
      SweepCompleted: 1,
      SweepDuration: 12.5,
    });
  });

  it('starts each document afresh: a rule name or metric of the last one is not carried over', () => {
    // Prepare
    const metrics = ruleMetricsWith({ POWERTOOLS_METRICS_DISABLED: 'false' });

    // Act
    const lines = stdoutOf(() => {
      metrics.publish('first-rule', VALUES);
      metrics.publish('second-rule', [{ name: RULE_METRICS.change.failed, unit: 'Count', value: 1 }]);
    });

    // Assess
    const [, second] = emfDocumentsIn(lines);
    expect(second._aws.CloudWatchMetrics[0].Dimensions).to.deep.equal([['ConfigRuleName']]);
    expect(second).to.include({ ConfigRuleName: 'second-rule', EvaluationFailures: 1 });
    expect(second).not.to.have.any.keys('SweepCompleted', 'SweepDuration');
  });

  it('prints nothing when POWERTOOLS_METRICS_DISABLED is true (as the tests set it)', () => {
    const metrics = ruleMetricsWith({ POWERTOOLS_METRICS_DISABLED: 'true' });

    expect(stdoutOf(() => metrics.publish('my-rule', VALUES))).to.deep.equal([]);
  });
});
