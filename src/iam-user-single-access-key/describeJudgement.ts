import { annotationWithItems } from '../config/evaluations';
import type { AccessKey, KeyJudgement } from './judgeAccessKeys';
import type { AccessKeyRuleParameters } from './parameters';

/** When and where a key was last used (GetAccessKeyLastUsed); no date means never. */
export interface KeyLastUse {
  lastUsedDate?: Date;
  serviceName?: string;
  region?: string;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** An access key id masked to its last four characters: never log or report a whole one. */
export function maskAccessKeyId(accessKeyId: string): string {
  return `****${accessKeyId.slice(-4)}`;
}

/** What a NON_COMPLIANT user must do to comply under the rule's parameters. */
export interface Advice {
  /** `delete` when inactive keys count too (countInactiveKeys): deactivating one changes nothing. */
  action: 'deactivate or delete' | 'delete';
  /** Keys to keep at most, among the keys that count now and those that will once older than the grace. */
  keep: number;
  /** Keys younger than rotationGraceHours, not counted yet: they count once older, so the keep includes them. */
  youngCounted: number;
}

/**
 * The action that makes the user compliant now and once its young keys age past the grace:
 * keep at most `limit` of the keys that count (or will), remove the others in a way that stops
 * them counting (deactivating does not with countInactiveKeys).
 */
export function adviceFor(judgement: KeyJudgement, parameters: AccessKeyRuleParameters): Advice {
  return {
    action: parameters.countInactiveKeys ? 'delete' : 'deactivate or delete',
    keep: judgement.limit,
    youngCounted: judgement.inGrace,
  };
}

/** The advice in words, for the annotation's tail. */
function adviceText(advice: Advice, parameters: AccessKeyRuleParameters): string {
  const deleteOnly = advice.action === 'delete';
  if (advice.youngCounted === 0)
    return deleteOnly ? `delete all but ${advice.keep} (inactive keys count too)` : `deactivate or delete all but ${advice.keep}`;
  return `${advice.action} all ${deleteOnly ? 'keys' : 'active keys'} but ${advice.keep}, counting the ${advice.youngCounted} younger than ${parameters.rotationGraceHours}h`;
}

/**
 * The annotation a person reads in the Config console: the count, the limit, each counted key
 * (masked id, age, last use when known), what was left out of the count and why, and for a
 * NON_COMPLIANT user what makes it compliant (adviceFor), which is never cut.
 */
export function describeJudgement(
  judgement: KeyJudgement,
  parameters: AccessKeyRuleParameters,
  lastUse: ReadonlyMap<string, KeyLastUse> | undefined,
  now: Date,
): string {
  const kind = parameters.countInactiveKeys ? 'access key' : 'active access key';
  const count = judgement.counted.length;
  const noun = count === 1 ? kind : `${kind}s`;
  const head = `${count} ${noun} (limit ${judgement.limit})${count > 0 ? ': ' : '.'}`;
  const items = judgement.counted.map((key) => describeKey(key, lastUse?.get(key.accessKeyId), now));
  const notes: string[] = [];
  if (judgement.notActive > 0) notes.push(`${judgement.notActive} inactive not counted`);
  if (judgement.inGrace > 0) notes.push(`${judgement.inGrace} younger than ${parameters.rotationGraceHours}h not counted`);
  if (judgement.complianceType === 'NON_COMPLIANT') notes.push(adviceText(adviceFor(judgement, parameters), parameters));
  const tail = notes.length > 0 ? `${count > 0 ? '. ' : ' '}${capitalize(notes.join('; '))}.` : count > 0 ? '.' : '';
  return annotationWithItems(head, items, tail);
}

/**
 * The parts of a key's description (describeKey) that move on by themselves: its age, and when
 * and where it was last used ("never used" becoming "last used ..." included).
 */
const MOVING_PARTS = /, (?:\d+[hd] old|last used \d{4}-\d{2}-\d{2}(?: \((?!\+\d+ more\))[^()]*\))?|never used)(?=[,;.]|$| \(\+)/g;

/**
 * What of an annotation a person acts on: the count, the limit, which masked keys are counted and
 * their status, what was not counted and why, the exemption or not-applicable reason; without the
 * ages and last uses, which change every sweep without anything to do.
 */
export function actionableAnnotation(annotation: string): string {
  return annotation.replace(MOVING_PARTS, '');
}

function describeKey(key: AccessKey, lastUse: KeyLastUse | undefined, now: Date): string {
  const parts = [maskAccessKeyId(key.accessKeyId)];
  if (key.status !== 'Active') parts.push(key.status.toLowerCase());
  parts.push(key.createDate ? `${age(now.getTime() - key.createDate.getTime())} old` : 'age unknown');
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
