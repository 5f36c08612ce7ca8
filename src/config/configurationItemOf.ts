import { ConfigServiceClient, GetResourceConfigHistoryCommand, type ResourceType } from '@aws-sdk/client-config-service';
import type { ClientProvider } from './awsClients';
import { type ConfigurationItem, fromApiConfigurationItem } from './ConfigurationItem';
import { MalformedEventError, AwsCallError } from './errors';
import type { RuleEvent } from './RuleEvent';

/**
 * The configuration item of a change notification; for an oversized one, fetched with
 * GetResourceConfigHistory (limit 1) unless `needsItem` says the verdict does not depend on it.
 * https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html
 */
export async function configurationItemOf(
  event: RuleEvent,
  needsItem: (summary: { resourceType: string; configurationItemStatus: string }) => boolean,
  clients: ClientProvider,
  abortSignal: AbortSignal,
): Promise<ConfigurationItem> {
  const invokingEvent = event.invokingEvent;
  if (invokingEvent.messageType === 'ConfigurationItemChangeNotification') return invokingEvent.configurationItem;
  if (invokingEvent.messageType !== 'OversizedConfigurationItemChangeNotification') {
    throw new Error(`no configuration item in a ${invokingEvent.messageType}`);
  }
  const summary = invokingEvent.configurationItemSummary;
  if (!needsItem(summary)) {
    return {
      awsAccountId: summary.awsAccountId ?? event.accountId,
      configurationItemCaptureTime: summary.configurationItemCaptureTime,
      configurationItemStatus: summary.configurationItemStatus,
      resourceType: summary.resourceType,
      resourceId: summary.resourceId,
      resourceName: summary.resourceName,
      configuration: null,
      tags: {},
    };
  }
  const config = clients.get(ConfigServiceClient);
  let items;
  try {
    ({ configurationItems: items } = await config.send(
      new GetResourceConfigHistoryCommand({ resourceType: summary.resourceType as ResourceType, resourceId: summary.resourceId, limit: 1 }),
      { abortSignal },
    ));
  } catch (cause) {
    throw new AwsCallError('config:GetResourceConfigHistory', `${summary.resourceType} ${summary.resourceId}`, { cause, abortSignal });
  }
  const latest = items?.[0];
  if (!latest) {
    throw new MalformedEventError(
      `config:GetResourceConfigHistory returned no configuration item for ${summary.resourceType} ${summary.resourceId}`,
    );
  }
  return fromApiConfigurationItem(latest);
}
