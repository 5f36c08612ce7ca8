import { ConfigServiceClient, paginateGetComplianceDetailsByConfigRule } from '@aws-sdk/client-config-service';
import type { ClientProvider } from './awsClients';
import type { ComplianceType } from './ComplianceType';
import { AwsCallError } from './errors';

/** A result Config holds for a resource under a rule: all it stores of an evaluation. */
export interface StoredResult {
  resourceId: string;
  complianceType: string;
  annotation: string;
}

/** The results a custom rule can have recorded (INSUFFICIENT_DATA is Config's own and cannot filter). */
const RECORDABLE: ComplianceType[] = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

/**
 * Reads every result Config holds for the rule's resources of `resourceType` (all compliance
 * types, all pages of 100, the most the API gives) and hands each page to `onPage` as it arrives.
 * A failure is a AwsCallError naming the API.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_GetComplianceDetailsByConfigRule.html
 * https://docs.aws.amazon.com/config/latest/APIReference/API_EvaluationResult.html (ComplianceType, Annotation)
 */
export async function readStoredResults(
  resourceType: string,
  configRuleName: string,
  clients: ClientProvider,
  abortSignal: AbortSignal,
  onPage: (results: StoredResult[]) => void,
): Promise<void> {
  const config = clients.get(ConfigServiceClient);
  try {
    const pages = paginateGetComplianceDetailsByConfigRule(
      { client: config, pageSize: 100 },
      { ConfigRuleName: configRuleName, ComplianceTypes: RECORDABLE },
      { abortSignal },
    );
    for await (const page of pages) {
      const results: StoredResult[] = [];
      for (const result of page.EvaluationResults ?? []) {
        const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
        if (qualifier?.ResourceType !== resourceType || !qualifier.ResourceId) continue;
        results.push({
          resourceId: qualifier.ResourceId,
          complianceType: result.ComplianceType ?? '',
          annotation: result.Annotation ?? '',
        });
      }
      onPage(results);
    }
  } catch (cause) {
    throw new AwsCallError('config:GetComplianceDetailsByConfigRule', `rule ${configRuleName}`, { cause, abortSignal });
  }
}
