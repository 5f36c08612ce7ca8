import { FakeAws, type FakeAwsCall } from '../../tools/fakeAws';
import type { StackTable } from '../../tools/package/stackTables';
import { ConfigResults } from './configResults';
import { type DemoReport, type ShownResult, shownKeys } from './DemoReport';
import { DEMO_REGION } from './packageForDemo';
import type { Resources } from './Resources';
import { type SampleAccount, seedSampleAccount } from './sampleAccount';

/** The Config rule the demo's stand-in holds. */
export interface DemoRule {
  configRuleName: string;
  inputParameters: Record<string, string>;
}

/**
 * The local stand-in of AWS with the sample account in it: its IAM users, the stack's tables, the
 * Config rule and the results Config holds for it (kept as Config keeps them, run after run).
 */
export class DemoStandIn {
  private readonly config: ConfigResults;
  private readonly names: Map<string, string>;

  private constructor(
    readonly fake: FakeAws,
    readonly account: SampleAccount,
    private readonly rule: DemoRule,
    readonly seededAt: Date,
  ) {
    this.config = new ConfigResults(seedSampleAccount(fake, account, rule, seededAt));
    this.names = new Map([...account.users, ...account.deletedUsers].map((user) => [user.userId, user.userName]));
  }

  /** Starts the stand-in (stopped with `resources`), creates the stack's tables in it and seeds the sample account. */
  static async start(
    account: SampleAccount,
    rule: DemoRule,
    tables: readonly StackTable[],
    context: { resources: Resources; log: (line: string) => void; onCall: (call: FakeAwsCall) => void },
  ): Promise<DemoStandIn> {
    const fake = await FakeAws.start({ accountId: account.accountId, onCall: context.onCall });
    try {
      context.resources.add(`local IAM/STS/Config/DynamoDB stand-in at ${fake.url}`, () => fake.close());
    } catch (error) {
      await fake.close();
      throw error;
    }
    context.log(`Local IAM/STS/Config/DynamoDB stand-in listening at ${fake.url}`);
    for (const table of tables) {
      fake.createTable(table.definition, account.accountId, DEMO_REGION);
      context.log(`Created the table ${table.definition.TableName} (${table.logicalId}) in the stand-in`);
    }
    return new DemoStandIn(fake, account, rule, new Date());
  }

  /** Records what the function put with `resultToken` as Config would, and serves the results from then on; returns how many. */
  record(resultToken: string): number {
    const recorded = this.config.record(this.fake.putEvaluations, resultToken);
    this.fake.setComplianceResults(this.rule.configRuleName, this.config.asFakeResults(), this.account.accountId);
    return recorded;
  }

  /** The result Config holds for a user, as the demo shows it. */
  result(userId: string): ShownResult {
    const result = this.config.get(userId);
    if (!result) throw new Error(`Config holds no result for ${this.names.get(userId) ?? userId}`);
    return {
      userName: this.names.get(userId) ?? userId,
      userId,
      complianceType: result.complianceType,
      ...(result.annotation ? { annotation: result.annotation } : {}),
    };
  }

  /** The results Config holds for every sample user, deleted ones included. */
  results(): ShownResult[] {
    return [...this.account.users, ...this.account.deletedUsers].map((user) => this.result(user.userId));
  }

  /** The id of a sample user. */
  userIdOf(userName: string): string {
    const user = this.account.users.find((candidate) => candidate.userName === userName);
    if (!user) throw new Error(`sample-account.json: no user ${userName}`);
    return user.userId;
  }

  /** The sample account as seeded (call it before any run changes it), for the report. */
  shownAccount(): DemoReport['sampleAccount'] {
    const { account, fake } = this;
    return {
      users: account.users.map((user) => {
        const held = fake.getUser(user.userName, account.accountId)!;
        return {
          userName: user.userName,
          userId: user.userId,
          path: held.path ?? '/',
          case: user.case,
          tags: held.tags ?? {},
          keys: shownKeys(held, this.seededAt),
        };
      }),
      deletedUsers: account.deletedUsers.map((user) => ({
        userName: user.userName,
        userId: user.userId,
        case: user.case,
        storedResult: this.result(user.userId),
      })),
    };
  }
}
