import { expect } from 'chai';
import { matchesEventPattern } from '../../tools/eventBridgePattern';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderInputTransformer } from '../../tools/eventBridgeInput';
import { NOTIFYING_BY_EMAIL, NOTIFYING_EXISTING_TOPICS } from '../support/deploymentModes';
import { packageInBackground, packageService } from '../support/packageTemplate';

// The notification of a compliance change (deploy/notificationMessage.js): its pattern, the message
// its input transformer makes of a sample event (shown in docs/monitoring.md), and where the
// packaged templates send it.

type Transformer = { InputPathsMap: Record<string, string>; InputTemplate: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { notificationPattern, notificationMessage } = require('../../deploy/notificationMessage.js') as {
  notificationPattern: (rule: string, compliant: boolean) => Record<string, unknown>;
  notificationMessage: () => Transformer;
};

packageInBackground([{}, NOTIFYING_BY_EMAIL, NOTIFYING_EXISTING_TOPICS]);

const PROJECT = resolve(__dirname, '../..');
const sampleEvent = () => JSON.parse(readFileSync(resolve(__dirname, '../fixtures/config-rules-compliance-change.event.json'), 'utf8'));

describe('the notification of a compliance change', function () {
  this.timeout(300_000);

  it('reads as the sample in docs/monitoring.md', () => {
    // Act
    const message = renderInputTransformer(notificationMessage(), sampleEvent());

    // Assess
    expect(message.split('\n')).to.deep.equal([
      '"AWS Config rule iam-user-single-access-key: AWS::IAM::User AIDAEXAMPLEALICE0001 is now NON_COMPLIANT."',
      '"2 active access keys (limit 1): ****MPLE, 400d old, last used 2026-11-28 (s3); ****7XQZ, 10d old, never used. Deactivate or delete all but 1. [fp:Kx3vQ9aB]"',
      '"Account 123456789012, region us-east-1, recorded 2026-12-02T07:31:10.412Z."',
      '"https://us-east-1.console.aws.amazon.com/config/home?region=us-east-1#/resources/details?resourceType=AWS::IAM::User&resourceId=AIDAEXAMPLEALICE0001"',
    ]);
    expect(readFileSync(resolve(PROJECT, 'docs/monitoring.md'), 'utf8')).to.include(`\`\`\`text\n${message}\n\`\`\``);
  });

  it("reads nothing a resource's first result lacks (no oldEvaluationResult)", () => {
    const event = sampleEvent();
    delete event.detail.oldEvaluationResult;
    expect(renderInputTransformer(notificationMessage(), event)).to.include('is now NON_COMPLIANT.');
  });

  describe('its event pattern, matched against compliance changes as EventBridge matches them', () => {
    type Change = { old?: string; now: string; rule?: string };
    /** The sample event with its results' compliance types (and rule name) changed; no `old`: a resource's first result. */
    const eventOf = ({ old, now, rule }: Change) => {
      const event = sampleEvent();
      event.detail.newEvaluationResult.complianceType = now;
      if (old === undefined) delete event.detail.oldEvaluationResult;
      else event.detail.oldEvaluationResult.complianceType = old;
      if (rule) event.detail.configRuleName = rule;
      return event;
    };
    const RULE = 'iam-user-single-access-key';
    const cases: [string, Change, boolean, boolean][] = [
      // what, the change, notified without notifyCompliant, notified with it
      ['a first result NON_COMPLIANT', { now: 'NON_COMPLIANT' }, true, true],
      ['COMPLIANT to NON_COMPLIANT', { old: 'COMPLIANT', now: 'NON_COMPLIANT' }, true, true],
      ['NOT_APPLICABLE to NON_COMPLIANT', { old: 'NOT_APPLICABLE', now: 'NON_COMPLIANT' }, true, true],
      ['NON_COMPLIANT back to COMPLIANT', { old: 'NON_COMPLIANT', now: 'COMPLIANT' }, false, true],
      ['a first result COMPLIANT', { now: 'COMPLIANT' }, false, false],
      ['NOT_APPLICABLE to COMPLIANT', { old: 'NOT_APPLICABLE', now: 'COMPLIANT' }, false, false],
      ['NON_COMPLIANT to NOT_APPLICABLE (a user deleted or exempted)', { old: 'NON_COMPLIANT', now: 'NOT_APPLICABLE' }, false, false],
      ["another rule's NON_COMPLIANT", { old: 'COMPLIANT', now: 'NON_COMPLIANT', rule: 'another-rule' }, false, false],
    ];
    for (const [what, change, plain, withCompliant] of cases) {
      it(`${plain ? 'notifies' : 'does not notify'} ${what}${withCompliant !== plain ? `, ${withCompliant ? 'but does' : 'nor'} with notifyCompliant` : ''}`, () => {
        expect(matchesEventPattern(notificationPattern(RULE, false), eventOf(change)), 'without notifyCompliant').to.equal(plain);
        expect(matchesEventPattern(notificationPattern(RULE, true), eventOf(change)), 'with notifyCompliant').to.equal(withCompliant);
      });
    }

    it('is the pattern the packaged EventBridge rule holds', async () => {
      const { template } = await packageService({ ...NOTIFYING_BY_EMAIL, notifyCompliant: 'true' });
      expect(template.Resources.NotificationRule?.Properties?.EventPattern).to.deep.equal(notificationPattern(RULE, true));
    });
  });

  describe('as packaged', () => {
    const notificationResources = ['NotificationTopic', 'NotificationSubscription', 'NotificationTopicPolicy', 'NotificationRule'];

    it('is not deployed by default', async () => {
      const { template } = await packageService();
      expect(Object.keys(template.Resources).filter((id) => notificationResources.includes(id))).to.deep.equal([]);
    });

    it('with notificationEmail: a topic with the address subscribed, the rule sending to it, the alarms too', async () => {
      // Act
      const { template } = await packageService(NOTIFYING_BY_EMAIL);

      // Assess
      expect(Object.keys(template.Resources).filter((id) => notificationResources.includes(id))).to.have.members(notificationResources);
      expect(template.Resources.NotificationSubscription!.Properties).to.deep.equal({
        TopicArn: { Ref: 'NotificationTopic' },
        Protocol: 'email',
        Endpoint: NOTIFYING_BY_EMAIL.notificationEmail,
      });
      const rule = template.Resources.NotificationRule!.Properties as {
        EventPattern: unknown;
        Targets: { Arn: unknown; InputTransformer: unknown }[];
      };
      expect(rule.EventPattern).to.deep.equal(notificationPattern('iam-user-single-access-key', true));
      expect(rule.Targets).to.deep.equal([
        { Id: 'notification-topic', Arn: { Ref: 'NotificationTopic' }, InputTransformer: notificationMessage() },
      ]);
      for (const alarm of ['RuleNotEvaluatingAlarm', 'RuleFailingAlarm'])
        expect(template.Resources[alarm]!.Properties).to.deep.include({
          AlarmActions: [{ Ref: 'NotificationTopic' }],
          OKActions: [{ Ref: 'NotificationTopic' }],
        });
    });

    it('with existing topics: sends to them, and creates no topic', async () => {
      const { template } = await packageService(NOTIFYING_EXISTING_TOPICS);
      expect(Object.keys(template.Resources).filter((id) => notificationResources.includes(id))).to.deep.equal(['NotificationRule']);
      const rule = template.Resources.NotificationRule!.Properties as { EventPattern: unknown; Targets: { Arn: unknown }[] };
      expect(rule.Targets[0]!.Arn).to.equal(NOTIFYING_EXISTING_TOPICS.notificationTopicArn);
      expect(rule.EventPattern).to.deep.equal(notificationPattern('iam-user-single-access-key', false));
      expect(template.Resources.RuleFailingAlarm!.Properties).to.deep.include({
        AlarmActions: [NOTIFYING_EXISTING_TOPICS.alarmTopicArn],
        OKActions: [NOTIFYING_EXISTING_TOPICS.alarmTopicArn],
      });
    });

    it('with notificationTopicArn alone: the alarms notify that topic too', async () => {
      const topic = NOTIFYING_EXISTING_TOPICS.notificationTopicArn;
      const { template } = await packageService({ notificationTopicArn: topic });
      for (const alarm of ['RuleNotEvaluatingAlarm', 'RuleFailingAlarm'])
        expect(template.Resources[alarm]!.Properties, alarm).to.deep.include({ AlarmActions: [topic], OKActions: [topic] });
    });
  });
});
