import { randomUUID } from 'node:crypto';
import { relative } from 'node:path';
import { FakeAws, type FakeAwsCall } from '../../tools/fakeAws';
import { configuredValues, isDeployTime, remediationOf, resolveParameters } from './automation';
import { checksOf } from './checkReport';
import { configurationItemOf, ruleEvent, tagDiff } from './configEvents';
import { ConfigResults } from './configResults';
import {
  countsOf,
  type DemoReport,
  type RemediationRun,
  type ShownExecution,
  type ShownInvocation,
  type ShownResult,
  shownKeys,
} from './DemoReport';
import { PythonNotFoundError } from './executeScript';
import { demoTables } from './demoTables';
import { DEMO_PACKAGE_DIR, DEMO_REGION, ensureDemoPackage } from './packageForDemo';
import { extractFunctionZip, invokeFunction, type Invocation, packagedFunction, type PackagedFunction } from './packagedFunction';
import { packagedRule } from './packagedRule';
import type { Resources } from './Resources';
import { type AutomationExecution, runDocument } from './runAutomation';
import { SAMPLE_ACCOUNT, type SampleAccount, seedSampleAccount } from './sampleAccount';

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
  const tables = demoTables(pkg.template, pkg.stackName);
  const deployTarget = {
    region: DEMO_REGION,
    accountId: account.accountId,
    created: Object.fromEntries(tables.map((table) => [table.logicalId, table.definition.TableName])),
  };
  const evaluate = packagedFunction(pkg, functionLogicalId, deployTarget);
  const remediation = remediationOf(pkg.template);
  const remediate = packagedFunction(pkg, remediation.functionLogicalId, deployTarget);
  const [evaluateDir, remediateDir] = await Promise.all([
    extractFunctionZip(evaluate, resources),
    extractFunctionZip(remediate, resources),
  ]);

  let running: PackagedFunction | undefined;
  const fake = await FakeAws.start({ accountId: account.accountId, onCall: (call) => running && observeCalls?.(running, call) });
  try {
    resources.add(`local IAM/STS/Config/DynamoDB stand-in at ${fake.url}`, () => fake.close());
  } catch (error) {
    await fake.close();
    throw error;
  }
  log(`Local IAM/STS/Config/DynamoDB stand-in listening at ${fake.url}`);
  for (const table of tables) {
    fake.createTable(table.definition, account.accountId, DEMO_REGION);
    log(`Created the table ${table.definition.TableName} (${table.logicalId}) in the stand-in`);
  }
  const now = new Date();
  const stored = seedSampleAccount(fake, account, { configRuleName, inputParameters }, now);
  const config = new ConfigResults(stored);
  const userName = new Map([...account.users, ...account.deletedUsers].map((user) => [user.userId, user.userName]));
  const userIdOf = (name: string) => {
    const user = account.users.find((candidate) => candidate.userName === name);
    if (!user) throw new Error(`sample-account.json: no user ${name}`);
    return user.userId;
  };
  const shownResult = (userId: string): ShownResult => {
    const result = config.get(userId);
    if (!result) throw new Error(`Config holds no result for ${userName.get(userId) ?? userId}`);
    return {
      userName: userName.get(userId) ?? userId,
      userId,
      complianceType: result.complianceType,
      ...(result.annotation ? { annotation: result.annotation } : {}),
    };
  };
  const sampleUsers = account.users.map((user) => {
    const held = fake.getUser(user.userName, account.accountId)!;
    return {
      userName: user.userName,
      userId: user.userId,
      path: held.path ?? '/',
      case: user.case,
      tags: held.tags ?? {},
      keys: shownKeys(held, now),
    };
  });
  const deletedUsers = account.deletedUsers.map((user) => ({
    userName: user.userName,
    userId: user.userId,
    case: user.case,
    storedResult: shownResult(user.userId),
  }));

  const rule = { configRuleName, accountId: account.accountId, region: DEMO_REGION, inputParameters };
  /** Invokes a packaged function; a FunctionError stops the demo unless `mayFail` (the document's step reports it). */
  const invoke = async (
    fn: PackagedFunction,
    directory: string,
    event: unknown,
    label: string,
    mayFail = false,
  ): Promise<ShownInvocation> => {
    fake.reset();
    running = fn;
    const invocation = await invokeFunction(fn, directory, event, {
      endpoint: fake.url,
      region: DEMO_REGION,
      accountId: account.accountId,
      resources,
      onStart: (pid) => log(`${label}: ${relative(projectDir, fn.zipFile)} running in process ${pid}`),
    }).finally(() => (running = undefined));
    const result = shown(fn, invocation, fake.stats().byAction);
    if (result.functionError && !mayFail) throw new FunctionFailedError(result, invocation.logs);
    if (result.functionError) log(`${label} failed; the function's last log lines:\n${invocation.logs.slice(-20).join('\n')}`);
    return result;
  };

  // 1. The periodic sweep, as Config sends it every MaximumExecutionFrequency.
  const periodicEvent = ruleEvent(rule, {
    awsAccountId: account.accountId,
    notificationCreationTime: now.toISOString(),
    messageType: 'ScheduledNotification',
    recordVersion: '1.0',
  });
  const periodicInvocation = await invoke(evaluate, evaluateDir, periodicEvent.event, 'Periodic evaluation');
  const periodicRecorded = config.record(fake.putEvaluations, periodicEvent.resultToken);
  fake.setComplianceResults(configRuleName, config.asFakeResults(), account.accountId);
  const periodicResults = [...account.users, ...account.deletedUsers].map((user) => shownResult(user.userId));

  // 2. A change notification for one user, after a change Config records (its tags).
  const changed = account.change;
  const changedId = userIdOf(changed.userName);
  const before = fake.getUser(changed.userName, account.accountId)!;
  const tagsBefore = before.tags ?? {};
  fake.addUser({ ...before, tags: { ...tagsBefore, ...changed.tags } }, account.accountId);
  const after = fake.getUser(changed.userName, account.accountId)!;
  const changeTime = new Date();
  const changeEvent = ruleEvent(rule, {
    configurationItemDiff: tagDiff(tagsBefore, after.tags ?? {}),
    configurationItem: configurationItemOf(after, account.accountId, changeTime),
    notificationCreationTime: new Date(changeTime.getTime() + 1000).toISOString(),
    messageType: 'ConfigurationItemChangeNotification',
    recordVersion: '1.3',
  });
  const changeInvocation = await invoke(evaluate, evaluateDir, changeEvent.event, 'Change notification');
  const changeRecorded = config.record(fake.putEvaluations, changeEvent.resultToken);
  fake.setComplianceResults(configRuleName, config.asFakeResults(), account.accountId);

  // 3. The remediation document, run as Automation would, for one NON_COMPLIANT user: dry run, then for real.
  const target = account.remediate.userName;
  const targetId = userIdOf(target);
  const targetResult = config.get(targetId);
  if (targetResult?.complianceType !== 'NON_COMPLIANT') {
    throw new Error(
      `sample-account.json: remediate.userName ${target} is ${targetResult?.complianceType ?? 'not evaluated'}, not NON_COMPLIANT`,
    );
  }
  const configured = resolveParameters(remediation.document, configuredValues(remediation.parameters, targetId));
  const keysBeforeRemediation = fake.getUser(target, account.accountId)!;
  const runStep = async (dryRun: boolean, label: string): Promise<RemediationRun> => {
    // A person starts the dry run from Systems Manager with DryRun=true; Config passes its configured values.
    const values = resolveParameters(remediation.document, {
      ...configuredValues(remediation.parameters, targetId),
      ...(dryRun ? { DryRun: 'true' } : {}),
    });
    let sent: { payload: unknown; invocation: ShownInvocation } | undefined;
    const execution = await shownExecution(
      runDocument(remediation.document, values, randomUUID(), {
        invokeLambdaFunction: async (step, payloadText) => {
          if (step.name !== remediation.step.name) throw new Error(`Step ${step.name} invokes a function the demo does not run`);
          const payload: unknown = JSON.parse(payloadText);
          const invocation = await invoke(remediate, remediateDir, payload, label, true);
          sent = { payload, invocation };
          return {
            Payload: JSON.stringify(invocation.payload ?? null),
            ...(invocation.functionError ? { FunctionError: invocation.functionError } : {}),
          };
        },
        track: (child) => resources.track("python3 (the document's script step)", child),
      }),
    );
    if (!sent) throw new Error(`The remediation document ended before its ${remediation.step.name} step invoked the function`);
    return {
      payload: sent.payload,
      ...(sent.invocation.functionError ? { functionError: sent.invocation.functionError } : {}),
      answer: sent.invocation.payload,
      invocation: sent.invocation,
      execution,
      keysAfter: shownKeys(fake.getUser(target, account.accountId)!, new Date()),
    };
  };
  const dryRun = await runStep(true, 'Remediation, dry run');
  const run = await runStep(false, 'Remediation');
  const lockTableName = remediate.environment.LOCK_TABLE_NAME;
  const lockTable =
    lockTableName === undefined
      ? undefined
      : { name: lockTableName, itemsAfter: fake.tableItems(lockTableName, account.accountId)?.length ?? 0 };

  const report: DemoReport = {
    endpoint: fake.url,
    accountId: account.accountId,
    package: { directory: DEMO_PACKAGE_DIR, packagedNow: pkg.packagedNow, zipBytes: pkg.zipBytes, deployOptions: account.deployOptions },
    rule: {
      configRuleName,
      inputParameters,
      ...(maximumExecutionFrequency ? { maximumExecutionFrequency } : {}),
    },
    sampleAccount: { users: sampleUsers, deletedUsers },
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
      result: shownResult(changedId),
    },
    remediation: {
      userName: target,
      userId: targetId,
      document: remediation.documentLogicalId,
      step: remediation.step.name,
      parameters: Object.fromEntries(Object.entries(configured).filter((entry): entry is [string, string] => !isDeployTime(entry[1]))),
      keysBefore: shownKeys(keysBeforeRemediation, now),
      dryRun,
      run,
      ...(lockTable ? { lockTable } : {}),
    },
    checks: [],
    next: nextSteps(account.deployOptions, configRuleName),
  };
  report.checks = checksOf(report, account, keysBeforeRemediation);
  return report;
}

/** The execution as the demo shows it; not known when python3 is missing to run the script step. */
async function shownExecution(running: Promise<AutomationExecution>): Promise<ShownExecution> {
  try {
    const execution = await running;
    return {
      status: execution.status,
      steps: execution.steps.map(({ name, action, status, failureMessage, python }) => ({
        name,
        action,
        status,
        ...(failureMessage ? { failureMessage } : {}),
        ...(python ? { python } : {}),
      })),
      outputs: execution.outputs,
      ...(execution.failureMessage ? { failureMessage: execution.failureMessage } : {}),
    };
  } catch (error) {
    if (!(error instanceof PythonNotFoundError)) throw error;
    return { status: 'Unknown', steps: [], outputs: {}, failureMessage: error.message };
  }
}

/** A packaged function answered with FunctionError: the demo stops, showing its last log lines. */
export class FunctionFailedError extends Error {
  constructor(
    readonly invocation: ShownInvocation,
    readonly logs: string[],
  ) {
    const payload = invocation.payload as { errorType?: string; errorMessage?: string };
    super(
      `${invocation.function} failed (FunctionError ${invocation.functionError}): ${payload.errorType ?? 'Error'}: ${payload.errorMessage ?? ''}`,
    );
    this.name = 'FunctionFailedError';
  }
}

function shown(fn: PackagedFunction, invocation: Invocation, calls: Record<string, number>): ShownInvocation {
  return {
    function: fn.functionName,
    pid: invocation.pid,
    durationMs: invocation.durationMs,
    ...(invocation.functionError ? { functionError: invocation.functionError } : {}),
    payload: invocation.payload,
    calls,
  };
}

function nextSteps(deployOptions: Record<string, string>, configRuleName: string): string[] {
  const params = Object.entries(deployOptions)
    .map(([name, value]) => ` --param="${name}=${value}"`)
    .join('');
  return [
    'Deploy for real, in the one region where AWS Config records IAM users (needs AWS credentials):',
    `  npx serverless deploy --stage prod --region <region>${params}`,
    "  (the demo's options; leave them out for the defaults; every option is listed in README.md)",
    'Run the rule now instead of waiting for the schedule, then read its findings:',
    `  aws configservice start-config-rules-evaluation --config-rule-names ${configRuleName}`,
    `  aws configservice get-compliance-details-by-config-rule --config-rule-name ${configRuleName} --compliance-types NON_COMPLIANT`,
    'Remediate one user (dry run first; the document name is the stack output RemediationDocumentName):',
    '  aws ssm start-automation-execution --document-name <RemediationDocumentName> --parameters IAMResourceId=<user id>,DryRun=true',
    'Run the tests: npm test',
  ];
}
