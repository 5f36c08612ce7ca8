import {
  type ConfigServiceClient,
  paginateDescribeAggregateComplianceByConfigRules,
  paginateGetAggregateComplianceDetailsByConfigRule,
} from '@aws-sdk/client-config-service';
import { AwsCallError } from '../config/errors';
import { forEachConcurrently } from '../config/forEachConcurrently';
import { compareNames } from './sweepUsers';

/** One account and region's results for the rule, as the aggregator holds them. */
export interface AccountResults {
  accountId: string;
  awsRegion: string;
  /** The rule's name in that account: the rule's own, or OrgConfigRule-<rule>-<suffix>. */
  configRuleName: string;
  COMPLIANT: number;
  NON_COMPLIANT: number;
  /** Always null: an aggregator keeps no NOT_APPLICABLE results (see summarizeAggregator). */
  NOT_APPLICABLE: null;
  /** Users with a result the aggregator keeps: COMPLIANT + NON_COMPLIANT. */
  total: number;
}

/** What `summary` prints. */
export interface SummaryReport {
  aggregator: string;
  rule: string;
  generatedAt: string;
  counts: Omit<AccountResults, 'accountId' | 'awsRegion' | 'configRuleName'>;
  /** Worst first: most NON_COMPLIANT users, then account id and region. */
  accounts: AccountResults[];
}

/** Rule instances whose results are read at once. */
const DETAIL_READS = 4;

/**
 * Whether a rule name in a source account is `rule`: the rule itself, or the copy an organization
 * rule makes in each member account, named OrgConfigRule-<rule>-<suffix> (the suffix has no "-",
 * so `OrgConfigRule-foo-bar-x1` is rule foo-bar's copy, never rule foo's).
 */
export function isRuleInstance(configRuleName: string, rule: string): boolean {
  if (configRuleName === rule) return true;
  const prefix = `OrgConfigRule-${rule}-`;
  return configRuleName.startsWith(prefix) && /^[A-Za-z0-9]+$/.test(configRuleName.slice(prefix.length));
}

/**
 * Per account and region, how many users the rule found COMPLIANT and NON_COMPLIANT, read from a
 * Config aggregator. DescribeAggregateComplianceByConfigRules names the rule's instances (one per
 * account and region), but counts at most 100 non-compliant resources of each; so each
 * instance's results are then paged through with GetAggregateComplianceDetailsByConfigRule,
 * which needs the account and region. Aggregators keep COMPLIANT and NON_COMPLIANT results only,
 * so NOT_APPLICABLE is reported as null (unknown), never as 0.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeAggregateComplianceByConfigRules.html
 * https://docs.aws.amazon.com/config/latest/APIReference/API_GetAggregateComplianceDetailsByConfigRule.html
 * https://docs.aws.amazon.com/config/latest/APIReference/API_AggregateEvaluationResult.html
 */
export async function summarizeAggregator(
  config: ConfigServiceClient,
  aggregator: string,
  rule: string,
  onProgress: { found(count: number): void; read(): void } = { found() {}, read() {} },
  now: Date = new Date(),
): Promise<SummaryReport> {
  const instances = await ruleInstances(config, aggregator, rule);
  if (instances.length === 0) {
    throw new AwsCallError('config:DescribeAggregateComplianceByConfigRules', `aggregator ${aggregator}`, {
      cause: new Error(`no account has results for rule ${rule} (nor OrgConfigRule-${rule}-<suffix>); check --rule`),
    });
  }
  onProgress.found(instances.length);
  const accounts: AccountResults[] = [];
  async function* each() {
    yield* instances;
  }
  await forEachConcurrently(each(), DETAIL_READS, async (instance) => {
    accounts.push(await countResults(config, aggregator, instance));
    onProgress.read();
  });
  accounts.sort(
    (a, b) =>
      b.NON_COMPLIANT - a.NON_COMPLIANT ||
      compareNames(a.accountId, b.accountId) ||
      compareNames(a.awsRegion, b.awsRegion) ||
      compareNames(a.configRuleName, b.configRuleName),
  );
  const counts = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: null, total: 0 };
  for (const account of accounts) {
    counts.COMPLIANT += account.COMPLIANT;
    counts.NON_COMPLIANT += account.NON_COMPLIANT;
    counts.total += account.total;
  }
  return { aggregator, rule, generatedAt: now.toISOString(), counts, accounts };
}

interface RuleInstance {
  accountId: string;
  awsRegion: string;
  configRuleName: string;
}

/** Every account and region where the rule (or its organization copy) has results. */
async function ruleInstances(config: ConfigServiceClient, aggregator: string, rule: string): Promise<RuleInstance[]> {
  const found = new Map<string, RuleInstance>();
  try {
    // No ConfigRuleName filter: it matches exact names only, and the copies of an organization rule
    // carry a suffix that differs from one deployment to the next.
    const pages = paginateDescribeAggregateComplianceByConfigRules(
      { client: config, pageSize: 1000 },
      { ConfigurationAggregatorName: aggregator },
    );
    for await (const page of pages) {
      for (const entry of page.AggregateComplianceByConfigRules ?? []) {
        const { ConfigRuleName: name, AccountId: accountId, AwsRegion: awsRegion } = entry;
        if (!name || !accountId || !awsRegion || !isRuleInstance(name, rule)) continue;
        found.set(`${accountId}\n${awsRegion}\n${name}`, { accountId, awsRegion, configRuleName: name });
      }
    }
  } catch (cause) {
    throw new AwsCallError('config:DescribeAggregateComplianceByConfigRules', `aggregator ${aggregator}`, { cause });
  }
  return [...found.values()];
}

/** The results of one rule instance, all pages, counted by compliance type. */
async function countResults(config: ConfigServiceClient, aggregator: string, instance: RuleInstance): Promise<AccountResults> {
  const counts = { COMPLIANT: 0, NON_COMPLIANT: 0 };
  try {
    const pages = paginateGetAggregateComplianceDetailsByConfigRule(
      { client: config, pageSize: 100 },
      {
        ConfigurationAggregatorName: aggregator,
        ConfigRuleName: instance.configRuleName,
        AccountId: instance.accountId,
        AwsRegion: instance.awsRegion,
      },
    );
    for await (const page of pages) {
      for (const result of page.AggregateEvaluationResults ?? []) {
        if (result.ComplianceType === 'COMPLIANT' || result.ComplianceType === 'NON_COMPLIANT') counts[result.ComplianceType] += 1;
      }
    }
  } catch (cause) {
    const where = `rule ${instance.configRuleName} of account ${instance.accountId} in ${instance.awsRegion} (aggregator ${aggregator})`;
    throw new AwsCallError('config:GetAggregateComplianceDetailsByConfigRule', where, { cause });
  }
  return { ...instance, ...counts, NOT_APPLICABLE: null, total: counts.COMPLIANT + counts.NON_COMPLIANT };
}
