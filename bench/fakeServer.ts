// The local stand-in of AWS (tools/fakeAws) in a process of its own, driven over IPC by FakeProcess.ts, so that the
// benchmark's timings are the rule's and not the fake's CPU time.
import { FakeAws, type FakeAwsError, type FakeConfigRule, type FakeUser } from '../tools/fakeAws';
import type { TableDefinition } from '../tools/fakeAws/dynamodb';

type Request =
  | { id: number; command: 'addUsers'; users: FakeUser[] }
  | { id: number; command: 'clearUsers' }
  | { id: number; command: 'configure'; latencyMs: number; rateLimit?: { perSecond: number; burst?: number } }
  | { id: number; command: 'stats' }
  | { id: number; command: 'reset' }
  | { id: number; command: 'storeEvaluations'; resultToken: string; ruleName: string }
  | { id: number; command: 'setComplianceResults'; ruleName: string }
  | { id: number; command: 'complianceResults'; ruleName: string }
  | { id: number; command: 'createTable'; definition: TableDefinition }
  | { id: number; command: 'tableItems'; tableName: string }
  | { id: number; command: 'setConfigRule'; rule: FakeConfigRule }
  | { id: number; command: 'getUser'; userName: string }
  | { id: number; command: 'failAlways'; action: string; error: FakeAwsError }
  | { id: number; command: 'failRandomly'; action: string; error: FakeAwsError; share: number; seed: number }
  | { id: number; command: 'clearFaults' };

async function main(): Promise<void> {
  const fake = await FakeAws.start({ accountId: '123456789012' });
  fake.setComplianceResults('iam-user-single-access-key', []);
  const userNames: string[] = [];
  process.on('message', (request: Request) => {
    let result: unknown = null;
    switch (request.command) {
      case 'addUsers':
        for (const user of request.users) {
          user.accessKeys = user.accessKeys?.map((key) => ({ ...key, createDate: new Date(key.createDate) }));
          userNames.push(user.userName);
        }
        fake.addUsers(request.users);
        break;
      case 'clearUsers':
        for (const name of userNames.splice(0)) fake.removeUser(name);
        break;
      case 'configure':
        fake.latencyMs = request.latencyMs;
        fake.setRateLimit(request.rateLimit);
        break;
      case 'stats': {
        const evaluations = fake.putEvaluations.flatMap((call) => call.Evaluations);
        result = {
          ...fake.stats(),
          evaluations: evaluations.length,
          distinctResources: new Set(evaluations.map((evaluation) => evaluation.ComplianceResourceId)).size,
          putTimes: fake.callsOf('PutEvaluations').map((call) => call.at),
          iamTimes: {
            first: fake.calls.find((call) => call.service === 'iam')?.at,
            last: fake.calls.filter((call) => call.service === 'iam').at(-1)?.at,
          },
        };
        break;
      }
      case 'reset':
        fake.reset();
        break;
      case 'storeEvaluations':
        fake.storeEvaluations(request.resultToken, request.ruleName);
        break;
      case 'setComplianceResults':
        fake.setComplianceResults(request.ruleName, []);
        break;
      case 'complianceResults':
        result = fake.complianceResults(request.ruleName);
        break;
      case 'createTable':
        result = fake.createTable(request.definition);
        break;
      case 'tableItems':
        result = fake.tableItems(request.tableName);
        break;
      case 'setConfigRule':
        fake.setConfigRule(request.rule);
        break;
      case 'getUser':
        result = fake.getUser(request.userName) ?? null;
        break;
      case 'failAlways':
        fake.failAlways(request.action, request.error);
        break;
      case 'failRandomly':
        fake.failRandomly(request.action, request.error, request.share, request.seed);
        break;
      case 'clearFaults':
        fake.clearFaults();
        break;
    }
    process.send?.({ id: request.id, result });
  });
  process.send?.({ id: 0, result: { url: fake.url } });
  process.on('disconnect', () => {
    void fake.close().then(() => process.exit(0));
  });
}

void main();
