import { Credentials } from './Credentials';
import { Faults } from './faults';
import { AccountState } from './state';
import { Traffic } from './Traffic';
import type { FakeAwsCall, FakeRateLimit, RecordedEvaluation, RecordedPutEvaluations } from './types';

/** Everything the stand-in holds, was told and has seen: what FakeAws sets and reads, and its server acts on. */
export class World {
  readonly accounts = new Map<string, AccountState>();
  readonly credentials = new Credentials();
  readonly faults = new Faults();
  readonly traffic = new Traffic();
  /** Every request answered, in the order handled (on arrival, before latencyMs). */
  readonly calls: FakeAwsCall[] = [];
  /** Accepted PutEvaluations calls (only their accepted evaluations). */
  readonly putEvaluations: RecordedPutEvaluations[] = [];
  /** Evaluations that PutEvaluations answered as FailedEvaluations. */
  readonly rejectedEvaluations: RecordedEvaluation[] = [];
  /** RoleArn of every successful AssumeRole, in order. */
  readonly assumedRoles: string[] = [];
  /** The rule whose results the evaluations put with a result token become (storeEvaluations). */
  readonly resultTokens = new Map<string, string>();

  constructor(
    /** The account unsigned requests and unknown credentials act on. */
    readonly defaultAccountId: string,
    /** Milliseconds added to every response. */
    public latencyMs: number,
    /** IAM's token bucket in every account (undefined: no limit). */
    public rateLimit: FakeRateLimit | undefined,
  ) {}

  /** An account's state, created empty on first use. */
  account(accountId: string = this.defaultAccountId): AccountState {
    let account = this.accounts.get(accountId);
    if (!account) {
      account = new AccountState(accountId);
      this.accounts.set(accountId, account);
    }
    return account;
  }

  /** An accepted PutEvaluations call: recorded, and its evaluations kept as its rule's results when its token was given to storeEvaluations. */
  recordPutEvaluations(record: RecordedPutEvaluations): void {
    this.putEvaluations.push(record);
    const ruleName = this.resultTokens.get(record.ResultToken);
    if (ruleName === undefined || record.TestMode === true) return;
    this.account(record.accountId).applyEvaluations(ruleName, record.Evaluations);
  }
}
