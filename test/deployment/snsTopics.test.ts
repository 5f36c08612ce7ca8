import { expect } from 'chai';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { misplacedTopics, silentAlarms } = require('../../deploy/snsTopics') as {
  misplacedTopics(resources: Record<string, unknown>, region: string): string[];
  silentAlarms(resources: Record<string, unknown>): string[];
};

// The topics a template notifies, checked against the deploy's region at package time
// (deploy/snsTopics.js); the real packaging's refusal is in packageRefusals.test.ts.

const alarm = (actions: unknown[], ok: unknown[] = actions) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: { AlarmActions: actions, OKActions: ok },
});
const rule = (arn: unknown) => ({ Type: 'AWS::Events::Rule', Properties: { Targets: [{ Id: 't', Arn: arn }] } });

describe('the SNS topics a template notifies', () => {
  const cases: [string, Record<string, unknown>, string, number][] = [
    ['a topic of the region', { A: alarm(['arn:aws:sns:us-east-1:123456789012:t']) }, 'us-east-1', 0],
    ['the created topic (a Ref)', { A: alarm([{ Ref: 'NotificationTopic' }]), R: rule({ Ref: 'NotificationTopic' }) }, 'us-east-1', 0],
    [
      'a topic of another region, named once however many alarms notify it',
      { A: alarm(['arn:aws:sns:eu-west-1:1:t']), B: alarm(['arn:aws:sns:eu-west-1:1:t']) },
      'us-east-1',
      1,
    ],
    ['an EventBridge target in another region', { R: rule('arn:aws:sns:eu-west-1:1:t') }, 'us-east-1', 1],
    ['a China topic from a region of aws', { A: alarm(['arn:aws-cn:sns:cn-north-1:1:t']) }, 'us-east-1', 1],
    ['a China topic from its region', { A: alarm(['arn:aws-cn:sns:cn-north-1:1:t']) }, 'cn-north-1', 0],
    ['a Lambda target, not a topic', { R: rule('arn:aws:lambda:eu-west-1:1:function:f') }, 'us-east-1', 0],
  ];
  for (const [what, resources, region, refused] of cases) {
    it(`${refused ? 'refuses' : 'takes'} ${what}`, () => {
      expect(misplacedTopics(resources, region)).to.have.length(refused);
    });
  }

  it('names the alarms that notify nobody', () => {
    const resources = {
      Silent: alarm([]),
      Bare: { Type: 'AWS::CloudWatch::Alarm', Properties: {} },
      Heard: alarm([{ Ref: 'T' }]),
      R: rule({ Ref: 'T' }),
    };

    expect(silentAlarms(resources)).to.deep.equal(['Silent', 'Bare']);
  });
});
