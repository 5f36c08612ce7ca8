import { type ConfigServiceClient, DescribeConfigRulesCommand, NoSuchConfigRuleException } from '@aws-sdk/client-config-service';
import { parseInputParameters } from '../../config/inputParameters';
import { splitRuntimeParameters } from '../../config/runtimeParameters';
import { AwsCallError } from '../../config/errors';
import { type AccessKeyRuleParameters, DEFAULT_PARAMETERS, parseAccessKeyRuleParameters } from '../parameters';
import { InvalidRemediationRequestError } from './errors';
import { deletesKeys, type RemediationAction } from './RemediationAction';

/** What the remediation brings a user down to, and where that came from. */
export interface RemediationPolicy {
  /** `rule`: the Config rule's current InputParameters; `document`: MaxAccessKeys passed by hand. */
  source: 'rule' | 'document';
  /** The rule's name when `source` is `rule`. */
  ruleName?: string;
  /** Parsed as the rule parses them, so the remediation judges a user exactly as the rule does. */
  parameters: AccessKeyRuleParameters;
}

/**
 * MaxAccessKeys passed by hand: keep that many active keys, no exemptions, no grace. `Delete`
 * counts keys of every status, so it also removes inactive keys beyond the limit (as documented).
 */
export function documentPolicy(maxAccessKeys: number, action: RemediationAction): RemediationPolicy {
  return { source: 'document', parameters: { ...DEFAULT_PARAMETERS, maxAccessKeys, countInactiveKeys: deletesKeys(action) } };
}

/**
 * The rule's current InputParameters, read live (config:DescribeConfigRules) and parsed by the
 * rule's own parser, so a console edit of the rule applies to the next remediation. The runtime's
 * own parameters (`executionRoleName`, `recordUnchanged`) are not judgement parameters and are left
 * out, as the rule runtime does.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigRules.html
 */
export async function rulePolicy(ruleName: string, config: ConfigServiceClient, abortSignal?: AbortSignal): Promise<RemediationPolicy> {
  let inputParameters: string | undefined;
  try {
    const { ConfigRules: rules } = await config.send(new DescribeConfigRulesCommand({ ConfigRuleNames: [ruleName] }), { abortSignal });
    const rule = rules?.find((candidate) => candidate.ConfigRuleName === ruleName);
    if (!rule) throw new Error(`Config returned no rule named ${ruleName}`);
    inputParameters = rule.InputParameters;
  } catch (cause) {
    if (cause instanceof NoSuchConfigRuleException) {
      throw new InvalidRemediationRequestError(
        'MaxAccessKeys',
        `it is empty, so the rule's parameters apply, but Config rule ${ruleName} does not exist; pass MaxAccessKeys`,
      );
    }
    throw new AwsCallError('config:DescribeConfigRules', `Config rule ${ruleName}`, { cause, abortSignal });
  }
  const { rule: raw } = splitRuntimeParameters(parseInputParameters(inputParameters, `InputParameters of Config rule ${ruleName}`));
  return { source: 'rule', ruleName, parameters: parseAccessKeyRuleParameters(raw) };
}
