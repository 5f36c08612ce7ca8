import {
  type ConfigurationItem,
  type ConfigurationItemSummary,
  parseConfigurationItemSummary,
  parseEventConfigurationItem,
  requireObject,
  requireString,
  requireTimestamp,
} from './ConfigurationItem';
import { MalformedEventError } from './errors';
import { MalformedInputParametersError, parseInputParameters } from './inputParameters';

/** The message types a Config custom Lambda rule can be invoked with, parsed. */
export type InvokingEvent =
  | { messageType: 'ConfigurationItemChangeNotification'; configurationItem: ConfigurationItem }
  | { messageType: 'OversizedConfigurationItemChangeNotification'; configurationItemSummary: ConfigurationItemSummary }
  | { messageType: 'ScheduledNotification'; awsAccountId: string; notificationCreationTime: string };

/** A Config rule invocation, parsed once at the edge. */
export interface RuleEvent {
  invokingEvent: InvokingEvent;
  /** InputParameters, every value as text (parseInputParameters). */
  ruleParameters: Record<string, string>;
  resultToken: string;
  eventLeftScope: boolean;
  configRuleName: string;
  configRuleArn?: string;
  /** The account whose resources are evaluated (the member account for organization rules). */
  accountId: string;
  /** True for console and CLI test invocations, whose evaluations Config does not record. */
  testMode: boolean;
}

const MESSAGE_TYPES = [
  'ConfigurationItemChangeNotification',
  'OversizedConfigurationItemChangeNotification',
  'ScheduledNotification',
] as const;

/**
 * Parses the event Config sends a custom Lambda rule. `invokingEvent` and `ruleParameters`
 * arrive as JSON strings.
 * https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html
 */
export function parseRuleEvent(raw: unknown): RuleEvent {
  const event = requireObject(raw, 'event');
  const invokingEvent = parseInvokingEvent(parseJsonField(event.invokingEvent, 'invokingEvent'));
  const ruleParameters = parseRuleParameters(event.ruleParameters);
  const resultToken = requireString(event.resultToken, 'resultToken');
  const configRuleName = requireString(event.configRuleName, 'configRuleName');
  if (event.eventLeftScope !== undefined && typeof event.eventLeftScope !== 'boolean') {
    throw new MalformedEventError('eventLeftScope must be a boolean');
  }
  if (event.configRuleArn !== undefined && typeof event.configRuleArn !== 'string') {
    throw new MalformedEventError('configRuleArn must be a string');
  }
  const accountId = requireString(event.accountId ?? accountOf(invokingEvent), 'accountId');
  if (!/^\d{12}$/.test(accountId)) throw new MalformedEventError(`accountId is not an AWS account id: ${JSON.stringify(accountId)}`);
  // A periodic run judges every resource of the account it runs in: two accounts is no event Config sends.
  if (invokingEvent.messageType === 'ScheduledNotification' && invokingEvent.awsAccountId !== accountId) {
    throw new MalformedEventError(
      `invokingEvent.awsAccountId ${JSON.stringify(invokingEvent.awsAccountId)} is not the event's accountId ${JSON.stringify(accountId)}`,
    );
  }
  return {
    invokingEvent,
    ruleParameters,
    resultToken,
    eventLeftScope: event.eventLeftScope === true,
    configRuleName,
    configRuleArn: event.configRuleArn as string | undefined,
    accountId,
    testMode: resultToken === 'TESTMODE',
  };
}

function parseInvokingEvent(raw: unknown): InvokingEvent {
  const event = requireObject(raw, 'invokingEvent');
  const messageType = event.messageType;
  switch (messageType) {
    case 'ConfigurationItemChangeNotification':
      return { messageType, configurationItem: parseEventConfigurationItem(event.configurationItem) };
    case 'OversizedConfigurationItemChangeNotification':
      return { messageType, configurationItemSummary: parseConfigurationItemSummary(event.configurationItemSummary) };
    case 'ScheduledNotification':
      return {
        messageType,
        awsAccountId: requireString(event.awsAccountId, 'invokingEvent.awsAccountId'),
        notificationCreationTime: requireTimestamp(event.notificationCreationTime, 'invokingEvent.notificationCreationTime'),
      };
    default:
      throw new MalformedEventError(`invokingEvent.messageType ${JSON.stringify(messageType)} is not one of ${MESSAGE_TYPES.join(', ')}`);
  }
}

function parseJsonField(value: unknown, field: string): unknown {
  const text = requireString(value, field);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new MalformedEventError(`${field} is not valid JSON`, { cause });
  }
}

/** The event's rule parameters, read as InputParameters are everywhere (parseInputParameters); absent means none. */
function parseRuleParameters(value: unknown): Record<string, string> {
  if (value === undefined || value === null || value === '') return {};
  try {
    return parseInputParameters(requireString(value, 'ruleParameters'), 'ruleParameters');
  } catch (error) {
    if (error instanceof MalformedInputParametersError) throw new MalformedEventError(error.message, { cause: error });
    throw error;
  }
}

function accountOf(event: InvokingEvent): string | undefined {
  switch (event.messageType) {
    case 'ConfigurationItemChangeNotification':
      return event.configurationItem.awsAccountId;
    case 'OversizedConfigurationItemChangeNotification':
      return event.configurationItemSummary.awsAccountId;
    case 'ScheduledNotification':
      return event.awsAccountId;
  }
}
