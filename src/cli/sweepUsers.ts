import type { Verdict } from '../config/ComplianceType';
import type { RuleContext } from '../config/createRuleHandler';
import { forEachConcurrently } from '../config/forEachConcurrently';
import type { IamUser } from '../iam-user-single-access-key/IamAccessKeys';
import type { AccessKeyRuleParameters } from '../iam-user-single-access-key/parameters';
import { accessKeyRule } from '../iam-user-single-access-key/rule';
import type { SweepProgress } from './progress';

/** A listed user with the rule's verdict on it. */
export interface JudgedUser {
  userName: string;
  userId: string;
  arn: string;
  verdict: Verdict;
}

/**
 * Lists and judges every IAM user exactly as the rule's periodic sweep does (its listResources
 * and evaluateResource, `concurrency` users at once), then hands each judged user to `then`.
 * Returns what `then` returned for each user, sorted by user name. The first failure stops the
 * sweep and is thrown: a partial account is never reported as a whole one.
 */
export async function sweepUsers<T>(
  context: RuleContext<AccessKeyRuleParameters>,
  concurrency: number,
  progress: SweepProgress,
  then: (user: JudgedUser) => Promise<T | undefined>,
): Promise<T[]> {
  const results: { userName: string; result: T }[] = [];
  async function* listing(): AsyncIterable<IamUser> {
    for await (const user of accessKeyRule.listResources(context)) {
      progress.listed();
      yield user;
    }
    progress.listingDone();
  }
  const outcome = await forEachConcurrently(listing(), concurrency, async (user) => {
    const verdict = await accessKeyRule.evaluateResource(user, context);
    const result = await then({ userName: user.userName, userId: user.userId, arn: user.arn ?? '', verdict });
    if (result !== undefined) results.push({ userName: user.userName, result });
    progress.judged();
  });
  if (!outcome.completed) throw new Error('the sweep stopped before every user was judged');
  return results.sort((a, b) => compareNames(a.userName, b.userName)).map((entry) => entry.result);
}

/** Code-point order: the same on every machine, whatever its locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
