/** AWS Config actions of the fake (awsJson1_1, X-Amz-Target StarlingDoveService.<Operation>). */
import type { AccountState } from './state';
import type { RecordedEvaluation, RecordedPutEvaluations } from './types';
import { aggregatorActions } from './configAggregator';
import { constraint, evaluationResult, pageSize, paginate, requiredString, startOf, USER_TYPE, validation } from './configRequests';
import { ApiError, fromEpoch } from './wire';

export const CONFIG_TARGET_PREFIX = 'StarlingDoveService';

/** What a Config action gets. */
export interface JsonContext {
  account: AccountState;
  params: Record<string, unknown>;
  accessKeyId?: string;
  /** The region the request was signed for (Config is regional). */
  region?: string;
}

/** A Config action: the response object (Dates are sent as epoch seconds). */
export type JsonAction = (ctx: JsonContext) => unknown;

/** What the Config actions need from the fake. */
export interface ConfigHost {
  /** How many evaluations of this PutEvaluations call to fail (Infinity: all), or 0. */
  takeEvaluationRejection(): number;
  recordPutEvaluations(record: RecordedPutEvaluations): void;
  recordRejectedEvaluations(evaluations: RecordedEvaluation[]): void;
}

const COMPLIANCE_TYPES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'];

function checkEvaluation(raw: unknown, i: number): RecordedEvaluation {
  const member = (name: string) => `evaluations.${i + 1}.member.${name}`;
  if (typeof raw !== 'object' || raw === null) throw constraint(raw, `evaluations.${i + 1}.member`, 'Member must not be null');
  const e = raw as Record<string, unknown>;
  const type = e.ComplianceResourceType;
  const id = e.ComplianceResourceId;
  if (typeof type !== 'string' || type.length < 1 || type.length > 256) {
    throw constraint(type, member('complianceResourceType'), 'Member must have length between 1 and 256');
  }
  if (typeof id !== 'string' || id.length < 1 || id.length > 768) {
    throw constraint(id, member('complianceResourceId'), 'Member must have length between 1 and 768');
  }
  if (typeof e.ComplianceType !== 'string' || !COMPLIANCE_TYPES.includes(e.ComplianceType)) {
    throw constraint(e.ComplianceType, member('complianceType'), `Member must satisfy enum value set: [${COMPLIANCE_TYPES.join(', ')}]`);
  }
  if (e.ComplianceType === 'INSUFFICIENT_DATA') {
    throw new ApiError(400, 'InvalidParameterValueException', 'INSUFFICIENT_DATA is not a valid ComplianceType for PutEvaluations.');
  }
  const annotation = e.Annotation;
  if (annotation !== undefined && (typeof annotation !== 'string' || annotation.length < 1 || annotation.length > 256)) {
    throw constraint(annotation, member('annotation'), 'Member must have length between 1 and 256');
  }
  const orderingTimestamp = fromEpoch(e.OrderingTimestamp);
  if (!orderingTimestamp) throw constraint(e.OrderingTimestamp, member('orderingTimestamp'), 'Member must not be null');
  return {
    ComplianceResourceType: type,
    ComplianceResourceId: id,
    ComplianceType: e.ComplianceType,
    ...(annotation === undefined ? {} : { Annotation: annotation as string }),
    OrderingTimestamp: orderingTimestamp,
  };
}

function captureMs(item: Record<string, unknown>): number | undefined {
  return fromEpoch(item.configurationItemCaptureTime)?.getTime();
}

function identifierFromHistory(items: readonly Record<string, unknown>[], resourceId: string) {
  const latest = items[0] ?? {};
  return {
    resourceType: latest.resourceType as string | undefined,
    resourceId,
    resourceName: latest.resourceName as string | undefined,
    deleted: latest.configurationItemStatus === 'ResourceDeleted' || latest.configurationItemStatus === 'ResourceDeletedNotRecorded',
    resourceDeletionTime: latest.configurationItemStatus === 'ResourceDeleted' ? latest.configurationItemCaptureTime : undefined,
  };
}

/** Config actions by name. */
export function configActions(host: ConfigHost): Record<string, JsonAction> {
  return {
    PutEvaluations({ params, accessKeyId, account }) {
      const resultToken = params.ResultToken;
      if (typeof resultToken !== 'string') throw constraint(resultToken, 'resultToken', 'Member must not be null');
      if (resultToken === '') throw new ApiError(400, 'InvalidResultTokenException', 'The resultToken provided is invalid');
      const raw = params.Evaluations ?? [];
      if (!Array.isArray(raw)) throw new ApiError(400, 'SerializationException', 'Evaluations must be a list');
      if (raw.length > 100) {
        throw validation(
          `1 validation error detected: Value '[...${raw.length} evaluations]' at 'evaluations' failed to satisfy constraint: ` +
            'Member must have length less than or equal to 100',
        );
      }
      const evaluations = raw.map(checkEvaluation);
      const rejectCount = Math.min(raw.length, host.takeEvaluationRejection());
      const accepted = evaluations.slice(rejectCount);
      if (rejectCount > 0) host.recordRejectedEvaluations(evaluations.slice(0, rejectCount));
      if (accepted.length > 0 || evaluations.length === 0) {
        host.recordPutEvaluations({
          Evaluations: accepted,
          ResultToken: resultToken,
          ...(params.TestMode === undefined ? {} : { TestMode: params.TestMode === true }),
          accessKeyId,
          accountId: account.accountId,
        });
      }
      return { FailedEvaluations: raw.slice(0, rejectCount) };
    },

    GetResourceConfigHistory({ params, account }) {
      const resourceType = requiredString(params, 'resourceType');
      const resourceId = requiredString(params, 'resourceId');
      const limit = pageSize(params.limit, 'limit', 10, 100);
      const stored = account.history.get(resourceId);
      const storedType = stored?.[0]?.resourceType;
      if (!stored || (storedType !== undefined && storedType !== resourceType)) {
        throw new ApiError(
          400,
          'ResourceNotDiscoveredException',
          `Resource ${resourceId} of resourceType:${resourceType} is unknown or has not been discovered`,
        );
      }
      let items = stored;
      const later = fromEpoch(params.laterTime)?.getTime();
      const earlier = fromEpoch(params.earlierTime)?.getTime();
      if (later !== undefined || earlier !== undefined) {
        items = items.filter((item) => {
          const t = captureMs(item);
          return t === undefined || ((later === undefined || t <= later) && (earlier === undefined || t >= earlier));
        });
      }
      if (params.chronologicalOrder === 'Forward') items = [...items].reverse();
      const { page, next } = paginate(items, startOf(params.nextToken), limit);
      return { configurationItems: page, ...(next ? { nextToken: next } : {}) };
    },

    GetComplianceDetailsByConfigRule({ params, account }) {
      const ruleName = requiredString(params, 'ConfigRuleName', 'configRuleName');
      const types = Array.isArray(params.ComplianceTypes) ? (params.ComplianceTypes as string[]) : [];
      const limit = pageSize(params.Limit, 'limit', 10, 100, 'InvalidParameterValueException');
      const results = account.complianceView(ruleName, types);
      if (!results) {
        throw new ApiError(
          400,
          'NoSuchConfigRuleException',
          `The ConfigRule '${ruleName}' provided in the request is invalid. Please check the configRule name.`,
        );
      }
      const { page, next } = paginate(results, startOf(params.NextToken), limit);
      const EvaluationResults = page.map((r) => evaluationResult(ruleName, r));
      return { EvaluationResults, ...(next ? { NextToken: next } : {}) };
    },

    DescribeConfigRules({ params, account }) {
      const names = Array.isArray(params.ConfigRuleNames) ? (params.ConfigRuleNames as string[]) : [...account.configRules.keys()];
      const rules = names.map((name) => {
        const rule = account.configRules.get(name);
        if (!rule)
          throw new ApiError(
            400,
            'NoSuchConfigRuleException',
            `The ConfigRule '${name}' provided in the request is invalid. Please check the configRule name.`,
          );
        return {
          ConfigRuleName: rule.ConfigRuleName,
          ConfigRuleArn: account.configRuleArn(rule.ConfigRuleName),
          ConfigRuleState: 'ACTIVE',
          ...(rule.InputParameters === undefined ? {} : { InputParameters: rule.InputParameters }),
        };
      });
      return { ConfigRules: rules };
    },

    // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationRecorders.html
    DescribeConfigurationRecorders({ params, account, region }) {
      const recorders = account.recorders.get(region ?? '') ?? [];
      const names = Array.isArray(params.ConfigurationRecorderNames) ? (params.ConfigurationRecorderNames as string[]) : undefined;
      if (names !== undefined && names.length > 1) throw validation('You can specify only one configuration recorder name.');
      const chosen = recorders.filter(
        (recorder) =>
          (names === undefined || names.includes(recorder.name)) &&
          (params.ServicePrincipal === undefined || recorder.servicePrincipal === params.ServicePrincipal) &&
          (params.Arn === undefined || recorder.arn === params.Arn),
      );
      if (names !== undefined && chosen.length === 0) {
        throw new ApiError(
          400,
          'NoSuchConfigurationRecorderException',
          `Cannot find configuration recorder with the specified name '${names[0]}'.`,
        );
      }
      return {
        ConfigurationRecorders: chosen.map((recorder) => ({
          arn: recorder.arn ?? `arn:aws:config:${region}:${account.accountId}:configuration-recorder/${recorder.name}/fake`,
          ...recorder,
        })),
      };
    },

    ListDiscoveredResources({ params, account }) {
      const resourceType = requiredString(params, 'resourceType');
      const limit = pageSize(params.limit, 'limit', 100, 100);
      const includeDeleted = params.includeDeletedResources === true;
      const resourceName = typeof params.resourceName === 'string' ? params.resourceName : undefined;
      const ids = Array.isArray(params.resourceIds) ? (params.resourceIds as string[]) : undefined;
      if (ids && ids.length > 20) {
        throw constraint(`[...${ids.length} ids]`, 'resourceIds', 'Member must have length less than or equal to 20');
      }
      type Identifier = { resourceType: string; resourceId: string; resourceName?: string; resourceDeletionTime?: unknown };
      const found: Identifier[] = [];
      const seen = new Set<string>();
      const addUser = (userId: string) => {
        const user = resourceType === USER_TYPE && account.recordsIamUsers ? account.usersById.get(userId) : undefined;
        if (!user || seen.has(userId)) return;
        seen.add(userId);
        found.push({ resourceType, resourceId: user.userId, resourceName: user.userName });
      };
      const addHistory = (resourceId: string, items: readonly Record<string, unknown>[]) => {
        const id = identifierFromHistory(items, resourceId);
        if (seen.has(resourceId) || id.resourceType !== resourceType || (id.deleted && !includeDeleted)) return;
        seen.add(resourceId);
        found.push({
          resourceType,
          resourceId,
          ...(id.resourceName === undefined ? {} : { resourceName: id.resourceName }),
          ...(id.resourceDeletionTime === undefined ? {} : { resourceDeletionTime: id.resourceDeletionTime }),
        });
      };
      if (ids) {
        for (const id of ids) {
          addUser(id);
          const items = account.history.get(id);
          if (items) addHistory(id, items);
        }
      } else {
        if (resourceType === USER_TYPE) for (const user of account.users) addUser(user.userId);
        for (const [id, items] of account.history) addHistory(id, items);
      }
      const matching = resourceName === undefined ? found : found.filter((r) => r.resourceName === resourceName);
      const { page, next } = paginate(matching, startOf(params.nextToken), limit);
      return { resourceIdentifiers: page, ...(next ? { nextToken: next } : {}) };
    },

    ...aggregatorActions(),
  };
}
