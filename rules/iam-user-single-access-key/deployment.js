'use strict';

// What the iam-user-single-access-key rule deploys in each mode, decided in one place (planOf and
// fragmentsOf) from the deploy options as src/iam-user-single-access-key/options.ts defines them.
// deploy/configRuleOptionsPlugin.js has checked every option before Serverless resolves these;
// each export is a Serverless variable resolver (`${file(rules/…/deployment.js):name}`).

const { givenOptionNames, loadDefinition } = require('../../deploy/loadDefinition');
const { mergeFragments } = require('../../deploy/fragments');
const { executionRoleArns, invokingAccounts, memberPermissions, permissionId } = require('../../deploy/organization');
const { failureWindow, sweepMetric, sweepWindow } = require('../../deploy/ruleAlarms');
const { notificationMessage, notificationPattern } = require('../../deploy/notificationMessage');

const RULE = 'rules/iam-user-single-access-key';
const SHARED = 'rules/_shared';

// The remediation's actions and timeouts, from its code (src/…/remediation/remediationPackaging.ts).
const { definition: remediationPackaging } = loadDefinition(
  'src/iam-user-single-access-key/remediation/remediationPackaging.ts',
  'REMEDIATION_PACKAGING',
);

/** The checked deploy options ({ values, texts, inputParameters }), from the resolved params. */
async function checked(resolveVariable) {
  const file = await resolveVariable('self:custom.configRule.options');
  const exportName = await resolveVariable('self:custom.configRule.definition');
  const { definition, checkDeployOptions } = loadDefinition(file, exportName);
  // Every option has a param (the plugin sets the defaults); Serverless resolves them only once
  // plugins are loaded, so this also waits for the plugin. The options given to this run keep
  // their resolved value; the others take their defaults again.
  const texts = {};
  for (const name of Object.keys(definition.options)) texts[name] = String(await resolveVariable(`param:${name}`));
  const given = Object.fromEntries([...givenOptionNames()].map((name) => [name, texts[name]]));
  const check = checkDeployOptions(definition, given);
  // Reached only for a value the plugin saw as a variable (e.g. ${ssm:...} in serverless.yml params).
  if (check.errors.length > 0) throw new Error(check.errors.join('\n'));
  return check;
}

/** Every decision that depends on the options. */
function planOf(values) {
  const remediation = values.remediation !== 'off';
  // The remediate function may delete keys only when Delete can be chosen: for Config's runs
  // (remediationAction=Delete) or by a person (remediationAllowDelete=true).
  const canDelete = remediation && (remediationPackaging.deletesKeys(values.remediationAction) || values.remediationAllowDelete === true);
  const memberAccounts = values.organization === true ? invokingAccounts(values.memberAccounts, values.excludedAccounts) : [];
  const stackSet = values.organization === 'stackset';
  return {
    organization: values.organization === true,
    // A StackSet deploys the account rule to every account of the targets (never the management account).
    stackSet,
    // The account rule in this stack: always but with a delegated administrator, a member that gets it from the
    // StackSet only if it is in the targets (and then the management account gets none: deploy/organization.js says so).
    ruleHere: !stackSet || values.callAs === 'SELF',
    aggregator: values.aggregator === true,
    executionRole: values.executionRoleName !== undefined,
    remediation,
    automaticRemediation: values.remediation === 'automatic',
    canDelete,
    allowDelete: String(canDelete),
    remediationActions: remediationPackaging.actionsOffered(canDelete),
    // The lock table goes with the stack (it holds only the locks of runs in progress) unless kept.
    lockTableDeletionPolicy: values.remediationRetainLockTable === true ? 'Retain' : 'Delete',
    memberAccounts,
    excludedAccounts: values.excludedAccounts ?? [],
    invokePermissionIds: [permissionId(), ...memberAccounts.map(permissionId)],
    ...monitoringPlanOf(values),
  };
}

/**
 * The alarms and notifications (docs/monitoring.md). The organization rule's sweeps run under a
 * rule name Config gives each member account (OrgConfigRule-<name>-<suffix>), unknown here: it gets
 * the failure alarm only, on the one function every account invokes.
 */
function monitoringPlanOf(values) {
  const alarms = values.alarms !== false;
  const notificationTopic =
    values.notificationEmail !== undefined ? 'created' : values.notificationTopicArn !== undefined ? 'given' : 'none';
  // Without alarmTopicArn the alarms notify the notifications' topic, created or given.
  const alarmTopic = !alarms ? 'none' : values.alarmTopicArn !== undefined ? 'given' : notificationTopic;
  return {
    sweepAlarm: alarms && values.organization !== true,
    failureAlarm: alarms,
    alarmTopic,
    notifications: notificationTopic !== 'none',
    notificationTopic,
    notifyCompliant: values.notifyCompliant === true,
  };
}

/** The template fragments of a plan, as `file` or `file:key` variable addresses, and the function role's policies. */
function fragmentsOf(plan) {
  const resources = [
    `${SHARED}/rule-function.yml:function`,
    plan.organization ? `${RULE}/organization.yml:organization` : `${RULE}/rule.yml:accountRule`,
    !plan.organization && !plan.executionRole && `${RULE}/rule.yml:readOwnResults`,
    plan.organization && `${SHARED}/rule-function.yml:organizationRoleName`,
    plan.aggregator && `${SHARED}/aggregator.yml`,
    plan.stackSet && `${SHARED}/stackset.yml`,
    plan.remediation && `${RULE}/remediation.yml`,
    plan.remediation && `${SHARED}/remediation.yml`,
    plan.automaticRemediation && `${RULE}/remediation-options.yml:automatic`,
    plan.canDelete && `${RULE}/remediation-options.yml:canDelete`,
    plan.sweepAlarm && `${SHARED}/monitoring.yml:sweepAlarm`,
    plan.failureAlarm && `${SHARED}/monitoring.yml:failureAlarm`,
    plan.notificationTopic === 'created' && `${SHARED}/monitoring.yml:notificationTopic`,
    plan.notifications && `${SHARED}/monitoring.yml:notificationRule`,
  ];
  const policies = [
    `${SHARED}/rule-function.yml:policies.writeOwnLogs`,
    // With an execution role (always in organization mode) the function makes every IAM and Config
    // call through that role, so its own role reads and reports nothing.
    !plan.executionRole && `${RULE}/rule.yml:readIamUsers`,
    !plan.executionRole && `${SHARED}/rule-function.yml:policies.reportToConfig`,
    plan.executionRole &&
      `${SHARED}/rule-function.yml:policies.${plan.organization ? 'assumeMemberExecutionRoles' : 'assumeExecutionRole'}`,
  ];
  // Resources for the administrator account only: a StackSet's member template leaves them out.
  const administratorOnly = [plan.aggregator && `${SHARED}/aggregator.yml`, plan.stackSet && `${SHARED}/stackset.yml`];
  return {
    resources: resources.filter(Boolean),
    policies: policies.filter(Boolean),
    remediateFunction: plan.remediation,
    ...(plan.stackSet && { administratorOnly: administratorOnly.filter(Boolean) }),
  };
}

const fileVariable = (address) => {
  const [file, key] = address.split(':');
  return key ? `file(${file}):${key}` : `file(${file})`;
};

/** serverless.yml's `resources`: the fragments of the chosen mode, merged. */
module.exports.resources = async ({ resolveVariable }) => {
  const { values } = await checked(resolveVariable);
  const plan = planOf(values);
  const { resources, policies } = fragmentsOf(plan);
  const fragments = [];
  for (const address of resources) fragments.push(await resolveVariable(fileVariable(address)));
  const Policies = [];
  for (const address of policies) Policies.push(await resolveVariable(fileVariable(address)));
  fragments.push({ Resources: { EvaluateFunctionRole: { Properties: { Policies } } } });
  if (plan.organization) fragments.push({ Resources: memberPermissions(plan.memberAccounts) });
  fragments.push(alarmActions(plan, values));
  if (plan.notificationTopic === 'created') fragments.push({ Resources: { NotificationTopicPolicy: topicPolicy(plan) } });
  return mergeFragments(fragments);
};

/**
 * The created topic's policy: this stack's EventBridge rule and, when they notify it, its alarms
 * may publish, no other rule or alarm (aws:SourceArn, and aws:SourceAccount against a confused deputy).
 * EventBridge documents both keys on its publish; CloudWatch's pages do not say whether its publish
 * carries them, so its statement takes them IfExists: scoped when sent, delivering either way.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
 */
function topicPolicy(plan) {
  const publish = (Sid, service, sourceArns, ifExists) => ({
    Sid,
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sns:Publish',
    Resource: { Ref: 'NotificationTopic' },
    Condition: {
      [`ArnEquals${ifExists}`]: { 'aws:SourceArn': sourceArns },
      [`StringEquals${ifExists}`]: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    },
  });
  const alarms = plan.alarmTopic === 'created' ? alarmIdsOf(plan) : [];
  const Statement = [publish('ComplianceChangesOfThisRule', 'events.amazonaws.com', [{ 'Fn::GetAtt': ['NotificationRule', 'Arn'] }], '')];
  if (alarms.length > 0)
    Statement.push(
      publish(
        'AlarmsOfThisRule',
        'cloudwatch.amazonaws.com',
        alarms.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
        'IfExists',
      ),
    );
  return {
    Type: 'AWS::SNS::TopicPolicy',
    Properties: { Topics: [{ Ref: 'NotificationTopic' }], PolicyDocument: { Version: '2012-10-17', Statement } },
  };
}

/** The alarms of a plan, by logical id. */
const alarmIdsOf = (plan) => [plan.sweepAlarm && 'RuleNotEvaluatingAlarm', plan.failureAlarm && 'RuleFailingAlarm'].filter(Boolean);

/** The notifications' topic: the one created, or the one given (none without notifications). */
const notificationTopicOf = (plan, values) =>
  plan.notificationTopic === 'created' ? { Ref: 'NotificationTopic' } : values.notificationTopicArn;

/** The topic the alarms notify (on ALARM and back to OK), if any, as a fragment that sets it on each alarm. */
function alarmActions(plan, values) {
  if (plan.alarmTopic === 'none') return {};
  const topic = values.alarmTopicArn ?? notificationTopicOf(plan, values);
  return {
    Resources: Object.fromEntries(alarmIdsOf(plan).map((id) => [id, { Properties: { AlarmActions: [topic], OKActions: [topic] } }])),
  };
}

/**
 * serverless.yml's `custom.configRule.stackSet`, what deploy/stackSet.js needs to derive the
 * StackSet's member template from the packaged one; nothing unless organization=stackset.
 */
module.exports.stackSet = async ({ resolveVariable }) => {
  const { values } = await checked(resolveVariable);
  const plan = planOf(values);
  if (!plan.stackSet) return null;
  const administratorOnly = [];
  for (const address of fragmentsOf(plan).administratorOnly)
    administratorOnly.push(...Object.keys((await resolveVariable(fileVariable(address))).Resources ?? {}));
  return { organizationId: values.organizationId, ruleHere: plan.ruleHere, administratorOnly };
};

/** Organization mode: the execution role's ARN in this account and in each member account Config may invoke the function from. */
module.exports.executionRoleArns = async ({ resolveVariable }) => {
  const { values } = await checked(resolveVariable);
  return executionRoleArns(planOf(values).memberAccounts, values.executionRoleName);
};

/** The remediate function's definition, or nothing (no function) when remediation=off. */
module.exports.remediateFunction = async ({ resolveVariable }) =>
  fragmentsOf(planOf((await checked(resolveVariable)).values)).remediateFunction
    ? resolveVariable(`file(${RULE}/remediation-function.yml)`)
    : null;

/** The remediate function's timeout, its document's step timeout and default action (property access: `remediation.timeoutSeconds`). */
module.exports.remediation = async () => {
  const { timeoutSeconds, documentStepTimeoutSeconds, defaultAction } = remediationPackaging;
  return { timeoutSeconds, documentStepTimeoutSeconds, defaultAction };
};

/** The sweep alarm's window for the chosen frequency (property access: `sweepWindow.period`): deploy/ruleAlarms.js. */
module.exports.sweepWindow = async ({ resolveVariable }) => sweepWindow((await checked(resolveVariable)).values.maximumExecutionFrequency);

/** The failure alarm's window (property access: `failureWindow.period`): deploy/ruleAlarms.js. */
module.exports.failureWindow = async () => failureWindow();

/** The namespace, dimension and name of the sweep alarm's metric, from src/config/ruleMetrics.ts. */
module.exports.sweepMetric = async () => sweepMetric();

/** The notification rule's event pattern: this rule's compliance changes the options ask for (deploy/notificationMessage.js). */
module.exports.notificationPattern = async ({ resolveVariable }) => {
  const { values } = await checked(resolveVariable);
  return notificationPattern(values.configRuleName, planOf(values).notifyCompliant);
};

/** The topic the notification rule sends to: the one created, or the one given. */
module.exports.notificationTarget = async ({ resolveVariable }) => {
  const { values } = await checked(resolveVariable);
  return notificationTopicOf(planOf(values), values);
};

/** The notification rule's input transformer (deploy/notificationMessage.js). */
module.exports.notificationMessage = async () => notificationMessage();

/** The decisions of the plan (property access: `plan.allowDelete`). */
module.exports.plan = async ({ resolveVariable }) => planOf((await checked(resolveVariable)).values);

/** The parsed option values (property access: `values.remediationRetryAttemptSeconds`). */
module.exports.values = async ({ resolveVariable }) => (await checked(resolveVariable)).values;

/** The account rule's InputParameters: each rule parameter with a value. */
module.exports.inputParameters = async ({ resolveVariable }) => (await checked(resolveVariable)).inputParameters;

/** The organization rule's InputParameters: the same, as one JSON string. */
module.exports.inputParametersJson = async ({ resolveVariable }) => JSON.stringify((await checked(resolveVariable)).inputParameters);

module.exports.planOf = planOf;
module.exports.fragmentsOf = fragmentsOf;
