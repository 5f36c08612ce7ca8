import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULE_METRICS } from '../../src/config/ruleMetrics';
import { FREQUENCIES } from '../../src/options/awsKinds';
import { ORGANIZATION, STACK_SET, STACK_SET_DELEGATED, STACK_SET_NOTIFYING } from '../support/deploymentModes';
import { memberTemplateOf } from '../support/memberTemplate';
import { packageInBackground, packageService, resourcesOfType, type Template } from '../support/packageTemplate';

// The alarms' windows for every maximumExecutionFrequency (deploy/ruleAlarms.js, their one home),
// against CloudWatch's limits, the table docs/monitoring.md shows, and the packaged alarms.

type Window = { period: number; evaluationPeriods: number; datapointsToAlarm: number };
/* eslint-disable @typescript-eslint/no-require-imports */
const { FREQUENCY_SECONDS, windowProblems, sweepWindow, failureWindow } = require('../../deploy/ruleAlarms.js') as {
  FREQUENCY_SECONDS: Record<string, number>;
  windowProblems: (window: Window) => string[];
  sweepWindow: (frequency: string) => Window;
  failureWindow: () => Window;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const DAILY = { maximumExecutionFrequency: 'TwentyFour_Hours' };
packageInBackground([{}, DAILY, { alarms: 'false' }, STACK_SET, STACK_SET_DELEGATED, STACK_SET_NOTIFYING, ORGANIZATION]);

const alarmsOf = (template: Template) => resourcesOfType(template, 'AWS::CloudWatch::Alarm').sort();

const hours = (seconds: number) => `${seconds / 3600} h`;

/** The row docs/monitoring.md shows for a frequency. */
function tableRow(frequency: string): string {
  const { period, evaluationPeriods, datapointsToAlarm } = sweepWindow(frequency);
  const low = period * evaluationPeriods;
  return `| \`${frequency}\` | ${hours(period)} | ${evaluationPeriods} | ${datapointsToAlarm} | ${hours(low)} to ${hours(low + period)} | ${hours(failureWindow().period)} |`;
}

describe('the alarms of the rule (deploy/ruleAlarms.js)', function () {
  this.timeout(300_000);

  describe('the sweep alarm for each frequency', () => {
    it('knows the seconds of every frequency Config takes, and no other', () => {
      expect(Object.keys(FREQUENCY_SECONDS)).to.have.members([...FREQUENCIES]);
    });

    for (const frequency of FREQUENCIES) {
      it(`${frequency}: a period of the rule per data point, ALARM after two without a completed sweep, within CloudWatch's limits`, () => {
        // Act
        const window = sweepWindow(frequency);

        // Assess
        expect(window).to.deep.equal({ period: FREQUENCY_SECONDS[frequency], evaluationPeriods: 2, datapointsToAlarm: 2 });
        expect(window.period * window.evaluationPeriods).to.be.at.most(604_800);
        expect(windowProblems(window)).to.deep.equal([]);
      });
    }

    it('refuses a frequency it does not know', () => {
      expect(() => sweepWindow('Two_Hours')).to.throw('unknown maximumExecutionFrequency "Two_Hours"');
    });
  });

  it('gives the failure alarm one hour per data point, ALARM on one', () => {
    expect(failureWindow()).to.deep.equal({ period: 3600, evaluationPeriods: 1, datapointsToAlarm: 1 });
    expect(windowProblems(failureWindow())).to.deep.equal([]);
  });

  describe("CloudWatch's limits", () => {
    const cases: { name: string; window: Window; problems: string[] }[] = [
      { name: 'takes 7 days of hourly periods', window: { period: 3600, evaluationPeriods: 168, datapointsToAlarm: 1 }, problems: [] },
      {
        name: 'refuses more than 7 days',
        window: { period: 86_400, evaluationPeriods: 8, datapointsToAlarm: 8 },
        problems: ['Period × EvaluationPeriods = 691200 s exceeds 604800 s'],
      },
      {
        name: 'refuses more than a day of periods under an hour',
        window: { period: 1800, evaluationPeriods: 49, datapointsToAlarm: 1 },
        problems: ['Period × EvaluationPeriods = 88200 s exceeds 86400 s'],
      },
      { name: 'takes 10-second periods', window: { period: 10, evaluationPeriods: 6, datapointsToAlarm: 6 }, problems: [] },
      {
        name: 'refuses a period that is not a multiple of 60',
        window: { period: 90, evaluationPeriods: 1, datapointsToAlarm: 1 },
        problems: ['Period 90 is not 10, 20, 30 or a multiple of 60'],
      },
      {
        name: 'refuses a period longer than a day',
        window: { period: 172_800, evaluationPeriods: 1, datapointsToAlarm: 1 },
        problems: ['Period 172800 is longer than a day'],
      },
      {
        name: 'refuses more data points to alarm than evaluation periods',
        window: { period: 3600, evaluationPeriods: 2, datapointsToAlarm: 3 },
        problems: ['DatapointsToAlarm 3 is not from 1 to EvaluationPeriods'],
      },
    ];
    for (const { name, window, problems } of cases) {
      it(name, () => {
        expect(windowProblems(window)).to.deep.equal(problems);
      });
    }
  });

  it('are in docs/monitoring.md, a row for each frequency', () => {
    const text = readFileSync(resolve(__dirname, '../../docs/monitoring.md'), 'utf8');
    for (const frequency of FREQUENCIES) expect(text).to.include(tableRow(frequency));
  });

  describe('as packaged', () => {
    it('watches the metric the runtime emits for the rule, and the function’s Lambda errors, by default', async () => {
      // Act (the default frequency: One_Hour)
      const { template } = await packageService();

      // Assess
      const sweep = template.Resources.RuleNotEvaluatingAlarm!;
      expect(sweep.Type).to.equal('AWS::CloudWatch::Alarm');
      expect(sweep.Properties).to.deep.include({
        Namespace: RULE_METRICS.namespace,
        MetricName: RULE_METRICS.sweep.completed,
        Dimensions: [{ Name: RULE_METRICS.dimension, Value: 'iam-user-single-access-key' }],
        Statistic: 'Maximum',
        Period: 3600,
        EvaluationPeriods: 2,
        DatapointsToAlarm: 2,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
      });
      expect(template.Resources.RuleFailingAlarm!.Properties).to.deep.include({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'EvaluateLambdaFunction' } }],
        Statistic: 'Sum',
        Period: 3600,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        TreatMissingData: 'ignore',
      });
      expect(sweep.Properties).not.to.have.property('AlarmActions');
    });

    it('follows the frequency', async () => {
      const { template } = await packageService(DAILY);
      expect(template.Resources.RuleNotEvaluatingAlarm!.Properties).to.deep.include({ Period: 86_400, EvaluationPeriods: 2 });
    });

    it('go with the rule to every StackSet member, and stay out of a delegated administrator stack that holds no rule', async () => {
      // Act
      const fromManagement = (await packageService(STACK_SET)).template;
      const delegated = (await packageService(STACK_SET_DELEGATED)).template;

      // Assess
      expect(alarmsOf(memberTemplateOf(fromManagement))).to.deep.equal(['RuleFailingAlarm', 'RuleNotEvaluatingAlarm']);
      expect(alarmsOf(fromManagement)).to.deep.equal(['RuleFailingAlarm', 'RuleNotEvaluatingAlarm']);
      expect(alarmsOf(memberTemplateOf(delegated))).to.deep.equal(['RuleFailingAlarm', 'RuleNotEvaluatingAlarm']);
      expect(alarmsOf(delegated)).to.deep.equal([]);
    });

    it('give each StackSet member its own topic with notificationEmail, which its alarms notify', async () => {
      const member = memberTemplateOf((await packageService(STACK_SET_NOTIFYING)).template);
      expect(Object.keys(member.Resources)).to.include.members([
        'NotificationTopic',
        'NotificationSubscription',
        'NotificationTopicPolicy',
        'NotificationRule',
      ]);
      expect(member.Resources.RuleNotEvaluatingAlarm!.Properties).to.deep.include({ AlarmActions: [{ Ref: 'NotificationTopic' }] });
    });

    it('give the organization rule the failure alarm of its one function only', async () => {
      const { template } = await packageService(ORGANIZATION);
      expect(alarmsOf(template)).to.deep.equal(['RuleFailingAlarm']);
    });

    it('holds no alarm with alarms=false', async () => {
      const { template } = await packageService({ alarms: 'false' });
      expect(Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm')).to.deep.equal([]);
    });
  });
});
