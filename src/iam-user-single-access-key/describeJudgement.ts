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

/**
 * The annotation a person reads in the Config console: the count, the limit, each counted key
 * (masked id, age, last use when known) and what was left out of the count and why.
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
  if (judgement.complianceType === 'NON_COMPLIANT') {
    notes.push(`deactivate or delete all but ${judgement.limit}`);
  }
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
