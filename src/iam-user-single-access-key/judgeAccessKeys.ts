import type { Exemption } from './accessKeyFacts';
import type { AccessKeyRuleParameters } from './parameters';

/** An access key as ListAccessKeys describes it. */
export interface AccessKey {
  accessKeyId: string;
  /** `Active`, `Inactive` or `Expired` (IAM's statusType); "active" means exactly `Active`. */
  status: string;
  createDate?: Date;
}

/** The verdict on a user's keys, with what was counted and what was not. */
export interface KeyJudgement {
  complianceType: 'COMPLIANT' | 'NON_COMPLIANT';
  limit: number;
  /** Keys that count against the limit, oldest first. */
  counted: AccessKey[];
  /** Keys left out because they are not Active (countInactiveKeys false). */
  notActive: number;
  /** Keys left out because they are younger than rotationGraceHours. */
  inGrace: number;
}

const HOUR_MS = 3_600_000;

/** Counts the keys that count under the parameters and compares them with the limit. */
export function judgeAccessKeys(keys: readonly AccessKey[], parameters: AccessKeyRuleParameters, now: Date): KeyJudgement {
  const graceMs = parameters.rotationGraceHours * HOUR_MS;
  const counted: AccessKey[] = [];
  let notActive = 0;
  let inGrace = 0;
  for (const key of keys) {
    if (!parameters.countInactiveKeys && key.status !== 'Active') notActive += 1;
    else if (graceMs > 0 && key.createDate && now.getTime() - key.createDate.getTime() < graceMs) inGrace += 1;
    else counted.push(key);
  }
  counted.sort((a, b) => (a.createDate?.getTime() ?? 0) - (b.createDate?.getTime() ?? 0));
  return {
    complianceType: counted.length > parameters.maxAccessKeys ? 'NON_COMPLIANT' : 'COMPLIANT',
    limit: parameters.maxAccessKeys,
    counted,
    notActive,
    inGrace,
  };
}

/** Why the user is exempt from the rule, or undefined when it is not. */
export function findExemption(
  userName: string,
  tags: Readonly<Record<string, string>> | undefined,
  parameters: AccessKeyRuleParameters,
): Exemption | undefined {
  if (parameters.exemptUserNames.has(userName)) return { by: 'exemptUserNames' };
  const tag = parameters.exemptTag;
  if (tag && tags && Object.hasOwn(tags, tag.key) && (tag.value === undefined || tags[tag.key] === tag.value)) {
    return { by: 'exemptTag', tag: tag.value === undefined ? tag.key : `${tag.key}=${tag.value}` };
  }
  return undefined;
}
