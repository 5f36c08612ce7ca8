'use strict';

// The notification of a compliance change, defined once: which Config Rules Compliance Change
// events of a rule it takes, and the EventBridge input transformer that turns one into the text
// SNS delivers. test/deployment/notificationMessage.test.ts renders it for the sample in
// docs/monitoring.md with renderInputTransformer (tools/eventBridgeInput.js).
// https://docs.aws.amazon.com/config/latest/developerguide/monitor-config-with-cloudwatchevents.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html

/**
 * The event pattern: this rule's compliance changes whose new result is NON_COMPLIANT, and with
 * `compliant` those from NON_COMPLIANT back to COMPLIANT (a new COMPLIANT resource is no news).
 * Config sends one event per change of a resource's result, so a user that stays NON_COMPLIANT is
 * notified once.
 */
function notificationPattern(configRuleName, compliant) {
  const nonCompliant = { newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } };
  const backToCompliant = {
    newEvaluationResult: { complianceType: ['COMPLIANT'] },
    oldEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
  };
  return {
    source: ['aws.config'],
    'detail-type': ['Config Rules Compliance Change'],
    detail: {
      messageType: ['ComplianceChangeNotification'],
      configRuleName: [configRuleName],
      ...(compliant ? { $or: [nonCompliant, backToCompliant] } : nonCompliant),
    },
  };
}

// Values every such event carries (the first result of a resource has no oldEvaluationResult, so
// the message reads none of it).
const INPUT_PATHS = {
  rule: '$.detail.configRuleName',
  resourceType: '$.detail.resourceType',
  resourceId: '$.detail.resourceId',
  compliance: '$.detail.newEvaluationResult.complianceType',
  annotation: '$.detail.newEvaluationResult.annotation',
  recorded: '$.detail.newEvaluationResult.resultRecordedTime',
  account: '$.detail.awsAccountId',
  region: '$.detail.awsRegion',
};

// A string template: EventBridge delivers each quoted line as written, placeholders filled in.
// An IAM user's resourceId is its user id (AIDA…); the console page it links shows the name.
const LINES = [
  '"AWS Config rule <rule>: <resourceType> <resourceId> is now <compliance>."',
  '"<annotation>"',
  '"Account <account>, region <region>, recorded <recorded>."',
  '"https://<region>.console.aws.amazon.com/config/home?region=<region>#/resources/details?resourceType=<resourceType>&resourceId=<resourceId>"',
];

/** The target's InputTransformer. */
const notificationMessage = () => ({ InputPathsMap: { ...INPUT_PATHS }, InputTemplate: LINES.join('\n') });

module.exports = { notificationPattern, notificationMessage };
