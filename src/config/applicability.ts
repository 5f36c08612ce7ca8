import { notApplicable, type Verdict } from './ComplianceType';
import { unjudgeableStatusReason } from './ConfigurationItem';

/** What decides whether an item can be judged at all. */
export interface ApplicabilityFacts {
  eventLeftScope: boolean;
  resourceType: string;
  configurationItemStatus: string;
}

/**
 * The NOT_APPLICABLE verdict for an item the rule must not judge (out of scope, another
 * resource type, deleted or not recorded: rdklib's order), or undefined when it applies.
 */
export function inapplicableVerdict(ruleResourceType: string, facts: ApplicabilityFacts): Verdict | undefined {
  if (facts.eventLeftScope) return notApplicable('Resource left the scope of this rule (eventLeftScope).');
  if (facts.resourceType !== ruleResourceType) {
    return notApplicable(`This rule evaluates ${ruleResourceType} only, not ${facts.resourceType}.`);
  }
  const unjudgeable = unjudgeableStatusReason(facts.configurationItemStatus);
  return unjudgeable ? notApplicable(unjudgeable) : undefined;
}
