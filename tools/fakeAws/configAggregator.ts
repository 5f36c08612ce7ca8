import type { AccountState } from './state';
import type { JsonAction } from './config';
import { constraint, evaluationResult, pageSize, paginate, requiredString, startOf } from './configRequests';
import { ApiError } from './wire';

/**
 * The aggregator's read actions: one row per (rule, account, region) with its compliance, and a
 * rule instance's results, which need the account and region.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeAggregateComplianceByConfigRules.html
 * https://docs.aws.amazon.com/config/latest/APIReference/API_GetAggregateComplianceDetailsByConfigRule.html
 */
export function aggregatorActions(): Record<string, JsonAction> {
  const aggregatorOf = (params: Record<string, unknown>, account: AccountState) => {
    const name = requiredString(params, 'ConfigurationAggregatorName', 'configurationAggregatorName');
    const aggregator = account.aggregators.get(name);
    if (!aggregator) {
      throw new ApiError(
        400,
        'NoSuchConfigurationAggregatorException',
        'The configuration aggregator does not exist. Check the configuration aggregator name and try again.',
      );
    }
    return aggregator;
  };
  const complianceFilter = (value: unknown, member: string): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (value !== 'COMPLIANT' && value !== 'NON_COMPLIANT') {
      throw new ApiError(
        400,
        'InvalidParameterValueException',
        `Value '${String(value)}' at '${member}' is not supported: only COMPLIANT and NON_COMPLIANT are.`,
      );
    }
    return value;
  };
  return {
    DescribeAggregateComplianceByConfigRules({ params, account }) {
      const aggregator = aggregatorOf(params, account);
      const filters = (params.Filters ?? {}) as Record<string, unknown>;
      const wanted = complianceFilter(filters.ComplianceType, 'filters.complianceType');
      const limit = Math.min(pageSize(params.Limit, 'limit', 1000, 1000), aggregator.options.maxPageSize ?? Infinity);
      type Row = { ConfigRuleName: string; AccountId: string; AwsRegion: string; nonCompliant: number };
      const rows = new Map<string, Row>();
      for (const r of aggregator.results) {
        if (filters.ConfigRuleName !== undefined && r.configRuleName !== filters.ConfigRuleName) continue;
        if (filters.AccountId !== undefined && r.accountId !== filters.AccountId) continue;
        if (filters.AwsRegion !== undefined && r.awsRegion !== filters.AwsRegion) continue;
        const key = `${r.configRuleName}\n${r.accountId}\n${r.awsRegion}`;
        let row = rows.get(key);
        if (!row)
          rows.set(key, (row = { ConfigRuleName: r.configRuleName, AccountId: r.accountId, AwsRegion: r.awsRegion, nonCompliant: 0 }));
        if (r.complianceType === 'NON_COMPLIANT') row.nonCompliant += 1;
      }
      const all = [...rows.values()].map(({ nonCompliant, ...row }) => ({
        ...row,
        Compliance:
          nonCompliant > 0
            ? {
                ComplianceType: 'NON_COMPLIANT',
                ComplianceContributorCount: { CappedCount: Math.min(nonCompliant, 100), CapExceeded: nonCompliant > 100 },
              }
            : { ComplianceType: 'COMPLIANT' },
      }));
      const matching = wanted === undefined ? all : all.filter((row) => row.Compliance.ComplianceType === wanted);
      const { page, next } = paginate(matching, startOf(params.NextToken), limit);
      return { AggregateComplianceByConfigRules: page, ...(next ? { NextToken: next } : {}) };
    },

    GetAggregateComplianceDetailsByConfigRule({ params, account }) {
      const aggregator = aggregatorOf(params, account);
      const ruleName = requiredString(params, 'ConfigRuleName', 'configRuleName');
      const accountId = requiredString(params, 'AccountId', 'accountId');
      const awsRegion = requiredString(params, 'AwsRegion', 'awsRegion');
      if (!/^\d{12}$/.test(accountId)) throw constraint(accountId, 'accountId', 'Member must satisfy regular expression pattern: \\d{12}');
      const wanted = complianceFilter(params.ComplianceType, 'complianceType');
      const limit = Math.min(pageSize(params.Limit, 'limit', 50, 100), aggregator.options.maxPageSize ?? Infinity);
      const matching = aggregator.results.filter(
        (r) =>
          r.configRuleName === ruleName &&
          r.accountId === accountId &&
          r.awsRegion === awsRegion &&
          (wanted === undefined || r.complianceType === wanted),
      );
      const { page, next } = paginate(matching, startOf(params.NextToken), limit);
      const AggregateEvaluationResults = page.map((r) => ({
        ...evaluationResult(ruleName, r),
        AccountId: r.accountId,
        AwsRegion: r.awsRegion,
      }));
      return { AggregateEvaluationResults, ...(next ? { NextToken: next } : {}) };
    },
  };
}
