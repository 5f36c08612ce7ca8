/** AWS Account Management actions of the fake (restJson1, POST /<operation>): the account's regions. */
import type { AccountState } from './state';
import { ApiError, pageToken, readPageToken } from './wire';

/** What an Account action gets. */
export interface AccountContext {
  account: AccountState;
  params: Record<string, unknown>;
}

/** The request paths of the Account actions the fake answers, by action name. */
export const ACCOUNT_PATHS: Record<string, string> = { '/listRegions': 'ListRegions' };

const OPT_STATUSES = ['ENABLED', 'ENABLING', 'DISABLING', 'DISABLED', 'ENABLED_BY_DEFAULT'];

/** Account actions by name. */
export const accountActions: Record<string, (ctx: AccountContext) => unknown> = {
  // https://docs.aws.amazon.com/accounts/latest/reference/API_ListRegions.html
  ListRegions({ account, params }) {
    const wanted = Array.isArray(params.RegionOptStatusContains) ? (params.RegionOptStatusContains as string[]) : undefined;
    for (const status of wanted ?? []) {
      if (!OPT_STATUSES.includes(status)) throw new ApiError(400, 'ValidationException', `Invalid RegionOptStatus: ${status}`);
    }
    const max = params.MaxResults === undefined ? 20 : Number(params.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > 50)
      throw new ApiError(400, 'ValidationException', 'MaxResults must be between 1 and 50');
    const start = params.NextToken === undefined ? 0 : readPageToken(String(params.NextToken));
    if (start === undefined) throw new ApiError(400, 'ValidationException', 'Invalid NextToken');
    const regions = account.regions.filter((region) => wanted === undefined || wanted.includes(region.RegionOptStatus));
    const page = regions.slice(start, start + max);
    return { Regions: page, ...(start + max < regions.length ? { NextToken: pageToken(start + max) } : {}) };
  },
};
