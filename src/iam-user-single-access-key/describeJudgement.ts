import { annotationWithItems } from '../config/evaluations';
import { ANNOTATION_LENGTH_WITH_FACTS } from '../config/resultFingerprint';
import { adviceFor, type Advice, type Exemption, type GoneFacts, type KeyFacts, keyFactsOf } from './accessKeyFacts';
import type { KeyLastUse } from './IamAccessKeys';
import type { AccessKey, KeyJudgement } from './judgeAccessKeys';
import type { AccessKeyRuleParameters } from './parameters';

// The rule's words, rendered from its facts (accessKeyFacts.ts) and, for each counted key, what
// moves on by itself (its age and last use). Rewording any of this records nothing new: a periodic
// sweep compares the facts.

/** What a counted key's description adds to its facts: its creation and, when looked up, its last use. */
export interface KeyDetails {
  createDate?: Date;
  lastUse?: KeyLastUse;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The annotation a person reads in the Config console: the count, the limit, each counted key
 * (masked id, age, last use when known; `details` in the order of `facts.counted`), what was left
 * out of the count and why, and for a NON_COMPLIANT user what makes it compliant (adviceFor),
 * which is never cut. It leaves room for the marker of the facts the runtime appends.
 */
export function describeKeyFacts(facts: KeyFacts, details: readonly KeyDetails[], now: Date): string {
  const kind = facts.counting === 'every' ? 'access key' : 'active access key';
  const count = facts.counted.length;
  const head = `${count} ${count === 1 ? kind : `${kind}s`} (limit ${facts.limit})${count > 0 ? ': ' : '.'}`;
  const items = facts.counted.map((key, index) => describeKey(key, details[index] ?? {}, now));
  const notes: string[] = [];
  const { inactive, inGrace, graceHours } = facts.notCounted;
  if (inactive > 0) notes.push(`${inactive} inactive not counted`);
  if (inGrace > 0) notes.push(`${inGrace} younger than ${graceHours}h not counted`);
  const advice = adviceFor(facts);
  if (advice) notes.push(adviceText(advice, graceHours));
  const tail = notes.length > 0 ? `${count > 0 ? '. ' : ' '}${capitalize(notes.join('; '))}.` : count > 0 ? '.' : '';
  return annotationWithItems(head, items, tail, '; ', ANNOTATION_LENGTH_WITH_FACTS);
}

/** A judgement described (describeKeyFacts), with the last use of its counted keys where it was looked up. */
export function describeJudgement(
  judgement: KeyJudgement,
  parameters: AccessKeyRuleParameters,
  lastUse: ReadonlyMap<string, KeyLastUse> | undefined,
  now: Date,
): string {
  return describeKeyFacts(keyFactsOf(judgement, parameters), keyDetailsOf(judgement.counted, lastUse), now);
}

/** The details of the counted keys, in their order. */
export function keyDetailsOf(counted: readonly AccessKey[], lastUse: ReadonlyMap<string, KeyLastUse> | undefined): KeyDetails[] {
  return counted.map((key) => {
    const use = lastUse?.get(key.accessKeyId);
    return { ...(key.createDate ? { createDate: key.createDate } : {}), ...(use ? { lastUse: use } : {}) };
  });
}

/** Why the user is exempt, in words. */
export function describeExemption(userName: string, exemption: Exemption): string {
  if (exemption.by === 'exemptUserNames') return `User ${userName} is exempt: listed in exemptUserNames.`;
  return `User ${userName} is exempt: tagged ${exemption.tag} (exemptTag).`;
}

/** A user that no longer exists, in words. */
export function describeGone(facts: GoneFacts, userId: string): string {
  const taken = facts.nameTakenBy === null ? '' : ` The name ${facts.userName} now belongs to user id ${facts.nameTakenBy}.`;
  return `IAM user ${facts.userName} (${userId}) no longer exists: no user has this id in a complete listing of the account's users.${taken}`;
}

/** The advice in words, for the annotation's tail. */
function adviceText(advice: Advice, graceHours: number | null): string {
  const deleteOnly = advice.action === 'delete';
  if (advice.youngCounted === 0)
    return deleteOnly ? `delete all but ${advice.keep} (inactive keys count too)` : `deactivate or delete all but ${advice.keep}`;
  return `${advice.action} all ${deleteOnly ? 'keys' : 'active keys'} but ${advice.keep}, counting the ${advice.youngCounted} younger than ${graceHours}h`;
}

function describeKey(key: KeyFacts['counted'][number], details: KeyDetails, now: Date): string {
  const parts = [key.key];
  if (key.status !== 'Active') parts.push(key.status.toLowerCase());
  parts.push(details.createDate ? `${age(now.getTime() - details.createDate.getTime())} old` : 'age unknown');
  const { lastUse } = details;
  if (lastUse) {
    if (lastUse.lastUsedDate) {
      const service = lastUse.serviceName && lastUse.serviceName !== 'N/A' ? ` (${lastUse.serviceName})` : '';
      parts.push(`last used ${lastUse.lastUsedDate.toISOString().slice(0, 10)}${service}`);
    } else {
      parts.push('never used');
    }
  }
  return parts.join(', ');
}

function age(ms: number): string {
  if (ms < DAY_MS) return `${Math.max(0, Math.floor(ms / HOUR_MS))}h`;
  return `${Math.floor(ms / DAY_MS)}d`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
