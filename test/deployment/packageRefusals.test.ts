import { expect } from 'chai';
import { packageRefusal } from '../support/packageTemplate';

// `serverless package` refusing bad deploy options before anything reaches AWS: one line per
// error, no stack trace, from the plugin's check of the options (its constructor) and from its
// check of the resolved resources (a hook). Every refusal's lines are listed in
// test/options/checkDeployOptions.test.ts; these run the real packaging step, which stops within
// a second, before bundling, once for each way it refuses.

describe('serverless package with bad deploy options', function () {
  this.timeout(180_000);

  const refusals: [string, Record<string, string>, string, string[]][] = [
    [
      'several bad values',
      {
        maxAccessKeys: 'two',
        countInactiveKeys: 'yes',
        rotationGraceHours: '-5',
        exemptTag: '=x',
        logLevel: 'VERBOSE',
        sweepConcurrency: 'abc',
        maximumExecutionFrequency: '1h',
      },
      'us-east-1',
      [
        '--param maxAccessKeys: expected a whole number from 1 to 100, got "two"',
        '--param countInactiveKeys: expected "true" or "false", got "yes"',
        '--param exemptTag: expected "key" or "key=value" with a key of 1 to 128 characters, got "=x"',
        '--param rotationGraceHours: expected a whole number from 0 to 8760, got "-5"',
        '--param maximumExecutionFrequency: expected one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours, got "1h"',
        '--param sweepConcurrency: expected a whole number from 1 to 256, got "abc"',
        '--param logLevel: expected one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT, got "VERBOSE"',
      ],
    ],
    [
      'an empty value, which Serverless refuses, saying to leave the option out for its default',
      { exemptTag: '' },
      'us-east-1',
      ['--param "exemptTag=": Serverless takes no empty --param; leave exemptTag out for its default'],
    ],
    [
      'remediation in a region without AWS::Config::RemediationConfiguration',
      {},
      'ap-east-2',
      [
        'Region ap-east-2 does not offer AWS::Config::RemediationConfiguration (AccessKeyRemediation; cfn-lint 1.51.0 region data): deploy with --param remediation=off or to another region',
      ],
    ],
    [
      'topics of another region or partition, which alarms and EventBridge rules cannot notify',
      {
        alarmTopicArn: 'arn:aws-cn:sns:cn-north-1:123456789012:pager',
        notificationTopicArn: 'arn:aws:sns:eu-west-1:123456789012:compliance',
      },
      'us-east-1',
      [
        'SNS topic arn:aws-cn:sns:cn-north-1:123456789012:pager (notified by RuleNotEvaluatingAlarm) is in aws-cn/cn-north-1, not aws/us-east-1 where this deploys',
        'SNS topic arn:aws:sns:eu-west-1:123456789012:compliance (notified by NotificationRule) is in aws/eu-west-1, not aws/us-east-1 where this deploys',
      ],
    ],
  ];
  for (const [what, params, region, expected] of refusals) {
    it(`refuses ${what}, one line per error and no stack trace`, async () => {
      // Act
      const lines = await packageRefusal(params, region);

      // Assess
      expect(lines, lines.join('\n')).to.have.length(expected.length);
      expected.forEach((line, index) => expect(lines[index]).to.include(line));
      expect(lines.join('\n')).not.to.match(/^\s+at /m);
    });
  }
});
