import { remediationOf } from '../../tools/automation/remediationOf';
import type { FakeAwsCall } from '../../tools/fakeAws';
import { packagedFunction, type PackagedFunction } from '../../tools/lambda/packagedFunction';
import { packagedRule } from '../../tools/package/packagedRule';
import { stackTables } from '../../tools/package/stackTables';
import { checksOf } from './checkReport';
import { configurationItemOf, ruleEvent, tagDiff } from './configEvents';
import { DemoInvoker, extracted } from './DemoInvoker';
import { countsOf, type DemoReport } from './DemoReport';
import { DemoStandIn } from './DemoStandIn';
import { nextSteps } from './nextSteps';
import { DEMO_PACKAGE_DIR, DEMO_REGION, ensureDemoPackage } from './packageForDemo';
import { remediationRuns } from './remediationRuns';
import type { Resources } from './Resources';
import { SAMPLE_ACCOUNT, type SampleAccount } from './sampleAccount';

/** Where the demo runs and what it reports progress to. */
export interface DemoContext {
  projectDir: string;
  resources: Resources;
  log: (line: string) => void;
  account?: SampleAccount;
  /** Told of each call a packaged function makes, with the function (the permission tests evaluate them). */
  observeCalls?: (fn: PackagedFunction, call: FakeAwsCall) => void;
}

/**
 * Packages if needed, starts the stand-in, seeds the sample account, then runs the packaged rule
 * (periodic, then change-triggered) and the remediation (dry run, then real), as Config and
 * Automation would. Everything it starts is registered with `resources`; the caller stops them.
 */
export async function runDemo({ projectDir, resources, log, account = SAMPLE_ACCOUNT, observeCalls }: DemoContext): Promise<DemoReport> {
  const pkg = await ensureDemoPackage(projectDir, account.deployOptions, resources, log);
  const { configRuleName, inputParameters, maximumExecutionFrequency, functionLogicalId } = packagedRule(pkg.template);
  // The stack's DynamoDB tables (the remediation lock) are created in the stand-in, under the names CloudFormation would give them.
  const tables = stackTables(pkg.template, pkg.stackName);
  const deployTarget = {
    region: DEMO_REGION,
    accountId: account.accountId,
    created: Object.fromEntries(tables.map((table) => [table.logicalId, table.definition.TableName])),
  };
  const remediation = remediationOf(pkg.template);
  const [evaluate, remediate] = await Promise.all(
    [functionLogicalId, remediation.functionLogicalId].map((id) => extracted(packagedFunction(pkg, id, deployTarget), resources)),
  );
  const invoker = new DemoInvoker({ projectDir, accountId: account.accountId, resources, log, observeCalls });
  const rule = { configRuleName, inputParameters };
  const standIn = await DemoStandIn.start(account, rule, tables, { resources, log, onCall: invoker.onCall });
  invoker.useStandIn(standIn.fake);
  const { fake } = standIn;
  const sampleAccount = standIn.shownAccount();
  const identity = { ...rule, accountId: account.accountId, region: DEMO_REGION };

  // 1. The periodic sweep, as Config sends it every MaximumExecutionFrequency.
  const periodicEvent = ruleEvent(identity, {
    awsAccountId: account.accountId,
    notificationCreationTime: standIn.seededAt.toISOString(),
    messageType: 'ScheduledNotification',
    recordVersion: '1.0',
  });
  const periodicInvocation = await invoker.invoke(evaluate!, periodicEvent.event, 'Periodic evaluation');
  const periodicRecorded = standIn.record(periodicEvent.resultToken);
  const periodicResults = standIn.results();

  // 2. A change notification for one user, after a change Config records (its tags).
  const changed = account.change;
  const changedId = standIn.userIdOf(changed.userName);
  const before = fake.getUser(changed.userName, account.accountId)!;
  const tagsBefore = before.tags ?? {};
  fake.addUser({ ...before, tags: { ...tagsBefore, ...changed.tags } }, account.accountId);
  const after = fake.getUser(changed.userName, account.accountId)!;
  const changeTime = new Date();
  const changeEvent = ruleEvent(identity, {
    configurationItemDiff: tagDiff(tagsBefore, after.tags ?? {}),
    configurationItem: configurationItemOf(after, account.accountId, changeTime),
    notificationCreationTime: new Date(changeTime.getTime() + 1000).toISOString(),
    messageType: 'ConfigurationItemChangeNotification',
    recordVersion: '1.3',
  });
  const changeInvocation = await invoker.invoke(evaluate!, changeEvent.event, 'Change notification');
  const changeRecorded = standIn.record(changeEvent.resultToken);

  // 3. The remediation document, run as Automation would, for one NON_COMPLIANT user: dry run, then for real.
  const { shown: remediationShown, keysBefore } = await remediationRuns(standIn, remediation, remediate!, invoker, resources);

  const report: DemoReport = {
    endpoint: fake.url,
    accountId: account.accountId,
    package: { directory: DEMO_PACKAGE_DIR, packagedNow: pkg.packagedNow, zipBytes: pkg.zipBytes, deployOptions: account.deployOptions },
    rule: { ...rule, ...(maximumExecutionFrequency ? { maximumExecutionFrequency } : {}) },
    sampleAccount,
    periodic: {
      invocation: periodicInvocation,
      evaluationsRecorded: periodicRecorded,
      results: periodicResults,
      counts: countsOf(periodicResults),
    },
    change: {
      userName: changed.userName,
      userId: changedId,
      what: changed.what,
      invocation: changeInvocation,
      evaluationsRecorded: changeRecorded,
      result: standIn.result(changedId),
    },
    remediation: remediationShown,
    checks: [],
    next: nextSteps(account.deployOptions, configRuleName),
  };
  report.checks = checksOf(report, account, keysBefore);
  return report;
}
