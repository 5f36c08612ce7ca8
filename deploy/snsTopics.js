'use strict';

// The SNS topics a template names by ARN (an alarm's actions, an EventBridge rule's targets), checked
// against the region the stack deploys to: CloudWatch and EventBridge notify topics of their own
// region (EventBridge reaches another account or region only through a role this package does not
// create), so a topic elsewhere would take the deploy and deliver nothing. The account cannot be
// checked here: packaging knows none.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-cross-account.html

const { partitionOf } = require('./regionalAvailability');

/** Each topic ARN (a string) the alarms and EventBridge rules of `resources` notify, with the resource naming it. */
function notifiedTopics(resources) {
  const topics = [];
  for (const [id, resource] of Object.entries(resources ?? {})) {
    const properties = resource.Properties ?? {};
    const arns =
      resource.Type === 'AWS::CloudWatch::Alarm'
        ? [...(properties.AlarmActions ?? []), ...(properties.OKActions ?? []), ...(properties.InsufficientDataActions ?? [])]
        : resource.Type === 'AWS::Events::Rule'
          ? (properties.Targets ?? []).map((target) => target.Arn)
          : [];
    for (const arn of arns) if (typeof arn === 'string' && arn.startsWith('arn:') && arn.split(':')[2] === 'sns') topics.push({ id, arn });
  }
  return topics;
}

/** One line per topic ARN of `resources` that is not in `region` (or its partition). */
function misplacedTopics(resources, region) {
  const partition = partitionOf(region);
  const seen = new Set();
  const errors = [];
  for (const { id, arn } of notifiedTopics(resources)) {
    const [, topicPartition, , topicRegion] = arn.split(':');
    if ((topicPartition === partition && topicRegion === region) || seen.has(arn)) continue;
    seen.add(arn);
    errors.push(
      `SNS topic ${arn} (notified by ${id}) is in ${topicPartition}/${topicRegion}, not ${partition}/${region} where this deploys: ` +
        'alarms and EventBridge rules notify topics of their own region; give a topic of this region (alarmTopicArn, notificationTopicArn)',
    );
  }
  return errors;
}

/** The alarms of `resources` that notify nobody (no AlarmActions). */
function silentAlarms(resources) {
  return Object.entries(resources ?? {})
    .filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm' && !(resource.Properties?.AlarmActions ?? []).length)
    .map(([id]) => id);
}

module.exports = { misplacedTopics, silentAlarms };
