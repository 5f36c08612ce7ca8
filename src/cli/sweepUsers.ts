import { setMaxListeners } from 'node:events';
import type { Verdict } from '../config/ComplianceType';
import type { RuleContext } from '../config/createRuleHandler';
import { forEachConcurrently } from '../config/forEachConcurrently';
import { uniqueBy } from '../config/uniqueBy';
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
  // Once a user fails, the listing read ahead has no use: stop it rather than wait for it.
  const stop = new AbortController();
  const sweepContext = { ...context, abortSignal: AbortSignal.any([context.abortSignal, stop.signal]) };
  setMaxListeners(0, sweepContext.abortSignal);
  const listing = readAhead(accessKeyRule.listResources(sweepContext), progress);
  let outcome;
  try {
    outcome = await forEachConcurrently(listing, concurrency, async (user) => {
      const verdict = await accessKeyRule.evaluateResource(user, context);
      const result = await then({ userName: user.userName, userId: user.userId, arn: user.arn ?? '', verdict });
      if (result !== undefined) results.push({ userName: user.userName, result });
      progress.judged();
    });
  } catch (error) {
    stop.abort();
    throw error;
  }
  if (!outcome.completed) throw new Error('the sweep stopped before every user was judged');
  return results.sort((a, b) => compareNames(a.userName, b.userName)).map((entry) => entry.result);
}

/**
 * The users of `source`, listed ahead of the judging (ListUsers pages back to back), so that the
 * progress line knows the total early; a listing failure is thrown where the judging reaches it.
 * Holds at most the account's users (5,000 by default: a few hundred KB).
 */
export async function* readAhead(
  source: AsyncIterable<IamUser>,
  progress: Pick<SweepProgress, 'listed' | 'listingDone'>,
): AsyncGenerator<IamUser> {
  const buffer: IamUser[] = [];
  let next = 0;
  let done = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  void (async () => {
    try {
      // A user listed twice (IAM's pages are not a snapshot) is judged and counted once.
      for await (const user of uniqueBy(source, (listed) => listed.userId)) {
        buffer.push(user);
        progress.listed();
        wake?.();
      }
      progress.listingDone();
    } catch (error) {
      failure = { error };
    } finally {
      done = true;
      wake?.();
    }
  })();
  for (;;) {
    if (next < buffer.length) {
      yield buffer[next]!;
      next += 1;
    } else if (failure) {
      throw failure.error;
    } else if (done) {
      return;
    } else {
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  }
}

/** Code-point order: the same on every machine, whatever its locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
