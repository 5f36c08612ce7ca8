import { ConfigServiceClient, paginateGetComplianceDetailsByConfigRule } from '@aws-sdk/client-config-service';
import type { ClientProvider } from './awsClients';
import { ResourceEvaluationError } from './errors';

/**
 * The ids of the resources of `resourceType` this rule last reported COMPLIANT or NON_COMPLIANT
 * (all pages of Config's stored results).
 * https://docs.aws.amazon.com/config/latest/APIReference/API_GetComplianceDetailsByConfigRule.html
 */
export async function previouslyJudgedResources(
  resourceType: string,
  configRuleName: string,
  clients: ClientProvider,
  abortSignal: AbortSignal,
): Promise<Set<string>> {
  const ids = new Set<string>();
  const config = clients.get(ConfigServiceClient);
  try {
    const pages = paginateGetComplianceDetailsByConfigRule(
      { client: config, pageSize: 100 },
      { ConfigRuleName: configRuleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'] },
      { abortSignal },
    );
    for await (const page of pages) {
      for (const result of page.EvaluationResults ?? []) {
        const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
        if (qualifier?.ResourceType === resourceType && qualifier.ResourceId) ids.add(qualifier.ResourceId);
      }
    }
  } catch (cause) {
    throw new ResourceEvaluationError('config:GetComplianceDetailsByConfigRule', `rule ${configRuleName}`, { cause });
  }
  return ids;
}
