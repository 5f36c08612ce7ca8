import type { KeyJudgement } from './judgeAccessKeys';
import { maskAccessKeyId } from './maskAccessKeyId';
import type { AccessKeyRuleParameters } from './parameters';

// What the rule's verdicts rest on, as data (the runtime's VerdictFacts): each annotation is
// rendered from these (describeJudgement.ts), and a periodic sweep compares these, never the
// annotation's words. Only what a person acts on belongs here: ages and last use move on by
// themselves and are left to the annotation.

/** The facts of a judgement of a user's keys. */
export type KeyFacts = {
  judged: 'keys';
  compliance: KeyJudgement['complianceType'];
  limit: number;
  /** Which keys count: `active` ones, or keys of `every` status (countInactiveKeys). */
  counting: 'active' | 'every';
  /** The keys that count, oldest first: masked id and status. */
  counted: { key: string; status: string }[];
  /** What was not counted and why: not active, or younger than `graceHours` (null when no key is). */
  notCounted: { inactive: number; inGrace: number; graceHours: number | null };
};

/** Why a user is exempt: listed by name, or carrying the exempt tag (`key` or `key=value`). */
export type Exemption = { by: 'exemptUserNames' } | { by: 'exemptTag'; tag: string };

/** The facts of an exempt user (NOT_APPLICABLE). */
export type ExemptionFacts = { judged: 'exempt'; userName: string; exemption: Exemption };

/** The facts of a user that no longer exists (NOT_APPLICABLE); `nameTakenBy` is the user id that now has its name. */
export type GoneFacts = { judged: 'gone'; userName: string; nameTakenBy: string | null };

/** What a NON_COMPLIANT user must do to comply under the rule's parameters. */
export interface Advice {
  /** `delete` when inactive keys count too (countInactiveKeys): deactivating one changes nothing. */
  action: 'deactivate or delete' | 'delete';
  /** Keys to keep at most, among the keys that count now and those that will once older than the grace. */
  keep: number;
  /** Keys younger than rotationGraceHours, not counted yet: they count once older, so the keep includes them. */
  youngCounted: number;
}

/** The facts of a judgement under the parameters it was made with. */
export function keyFactsOf(judgement: KeyJudgement, parameters: AccessKeyRuleParameters): KeyFacts {
  return {
    judged: 'keys',
    compliance: judgement.complianceType,
    limit: judgement.limit,
    counting: parameters.countInactiveKeys ? 'every' : 'active',
    counted: judgement.counted.map((key) => ({ key: maskAccessKeyId(key.accessKeyId), status: key.status })),
    notCounted: {
      inactive: judgement.notActive,
      inGrace: judgement.inGrace,
      graceHours: judgement.inGrace > 0 ? parameters.rotationGraceHours : null,
    },
  };
}

/**
 * The action that makes a NON_COMPLIANT user compliant now and once its young keys age past the
 * grace: keep at most `limit` of the keys that count (or will), remove the others in a way that
 * stops them counting (deactivating does not when every status counts). Undefined for a compliant user.
 */
export function adviceFor(facts: KeyFacts): Advice | undefined {
  if (facts.compliance === 'COMPLIANT') return undefined;
  return {
    action: facts.counting === 'every' ? 'delete' : 'deactivate or delete',
    keep: facts.limit,
    youngCounted: facts.notCounted.inGrace,
  };
}
