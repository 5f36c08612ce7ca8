import type { Evaluation } from '@aws-sdk/client-config-service';
import type { Verdict } from './ComplianceType';

/**
 * Config's limits on what a rule reports.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_PutEvaluations.html
 * https://docs.aws.amazon.com/config/latest/APIReference/API_Evaluation.html
 */
export const MAX_EVALUATIONS_PER_CALL = 100;
export const MAX_ANNOTATION_LENGTH = 256;

const ELLIPSIS = '...';

/** The evaluation Config records for one resource. */
export function toEvaluation(resourceType: string, resourceId: string, verdict: Verdict, orderingTimestamp: Date): Evaluation {
  return {
    ComplianceResourceType: resourceType,
    ComplianceResourceId: resourceId,
    ComplianceType: verdict.complianceType,
    Annotation: fitAnnotation(verdict.annotation),
    OrderingTimestamp: orderingTimestamp,
  };
}

/** The annotation cut to Config's limit (or `maxLength`) at a word boundary, marked with an ellipsis. */
export function fitAnnotation(text: string, maxLength = MAX_ANNOTATION_LENGTH): string {
  const trimmed = text.trim() || '-';
  if (trimmed.length <= maxLength) return trimmed;
  const room = maxLength - ELLIPSIS.length;
  const cut = trimmed.slice(0, room + 1);
  const space = cut.lastIndexOf(' ');
  const head = space > room / 2 ? cut.slice(0, space) : cut.slice(0, room);
  return `${head.replace(/[\s,;:.]+$/, '')}${ELLIPSIS}`;
}

/**
 * `head` followed by as many whole `items` as fit in an annotation (of `maxLength`), then `tail` (what to do, kept
 * whole: the items make room for it whenever head and tail fit), and "(+N more)" for items left
 * out, so that no item is ever cut in the middle.
 */
export function annotationWithItems(
  head: string,
  items: readonly string[],
  tail = '',
  separator = '; ',
  maxLength = MAX_ANNOTATION_LENGTH,
): string {
  const budget = maxLength - (head.length + tail.length <= maxLength ? tail.length : 0);
  let shown = 0;
  let text = head;
  for (const item of items) {
    const left = items.length - shown - 1;
    const candidate = `${text}${shown === 0 ? '' : separator}${item}`;
    const reserve = left > 0 ? ` (+${left} more)`.length : 0;
    if (candidate.length + reserve > budget) break;
    text = candidate;
    shown += 1;
  }
  if (shown < items.length) text += ` (+${items.length - shown} more)`;
  if (tail && text.length + tail.length <= maxLength) text += tail;
  return fitAnnotation(text, maxLength);
}
