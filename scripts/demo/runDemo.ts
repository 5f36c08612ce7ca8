import { randomBytes, randomUUID } from 'node:crypto';
import { relative } from 'node:path';
import { maskAccessKeyId } from '../../src/iam-user-single-access-key/describeJudgement';
import { effectiveResources } from '../../test/support/effectiveTemplate';
import { FakeAws, type FakeUser } from '../../test/support/fakeAws';
import { configuredValues, isDeployTime, remediationOf, renderText, resolveParameters } from './automation';
import { ConfigResults } from './configResults';
import { DEMO_PACKAGE_DIR, DEMO_REGION, ensureDemoPackage } from './packageForDemo';
import { extractFunctionZip, invokeFunction, type Invocation, packagedFunction, type PackagedFunction } from './packagedFunction';
import type { Resources } from './Resources';
import { type Compliance, SAMPLE_ACCOUNT, type SampleAccount, seedSampleAccount } from './sampleAccount';

/** An access key as the demo shows it: id masked to its last four characters. */
export interface ShownKey {
  accessKeyId: string;
  status: string;
  created: string;
  lastUsed: string;
}

/** One result Config holds, with the user it belongs to. */
export interface ShownResult {
  userName: string;
  userId: string;
  complianceType: Compliance;
  annotation?: string;
}

/** One invocation of a packaged function, as shown. */
export interface ShownInvocation {
  function: string;
  pid: number;
  durationMs: number;
  functionError?: string;
  payload: unknown;
  /** IAM, STS and Config calls the function made to the stand-in, by action. */
  calls: Record<string, number>;
}

/** One run of the remediation document's invoke step. */
export interface RemediationRun {
  /** The Payload the step sends, rendered from the packaged document. */
  payload: unknown;
  /** The step's outputs: Lambda's FunctionError and the function's answer (Payload). */
  functionError?: string;
  answer: unknown;
  invocation: ShownInvocation;
  keysAfter: ShownKey[];
}

/** Everything the demo shows; `npm run demo -- --json` prints it. */
export interface DemoReport {
  endpoint: string;
  accountId: string;
  package: { directory: string; packagedNow: boolean; zipBytes: Record<string, number>; deployOptions: Record<string, string> };
  rule: { configRuleName: string; inputParameters: Record<string, string>; maximumExecutionFrequency?: string };
  sampleAccount: {
    users: { userName: string; userId: string; path: string; case: string; tags: Record<string, string>; keys: ShownKey[] }[];
    deletedUsers: { userName: string; userId: string; case: string; storedResult: ShownResult }[];
  };
  periodic: { invocation: ShownInvocation; evaluationsRecorded: number; results: ShownResult[]; counts: Record<Compliance, number> };
  change: { userName: string; userId: string; what: string; invocation: ShownInvocation; evaluationsRecorded: number; result: ShownResult };
  remediation: {
    userName: string;
    userId: string;
    step: string;
    /** Logical id of the SSM document in the template. */
    document: string;
    /** Document parameters as Automation resolves them for Config's runs (deploy-time values left out). */
    parameters: Record<string, string>;
    keysBefore: ShownKey[];
    dryRun: RemediationRun;
    run: RemediationRun;
  };
  /** Checks of what the demo shows against the sample account; the demo fails if any is false. */
  checks: { name: string; ok: boolean; detail: string }[];
  next: string[];
}

/** Where the demo runs and what it reports progress to. */
export interface DemoContext {
  projectDir: string;
  resources: Resources;
  log: (line: string) => void;
  account?: SampleAccount;
}

const COMPLIANCE_TYPES: readonly Compliance[] = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

/**
 * Packages if needed, starts the stand-in, seeds the sample account, then runs the packaged rule
 * (periodic, then change-triggered) and the remediation (dry run, then real), as Config and
 * Automation would. Everything it starts is registered with `resources`; the caller stops them.
 */
export async function runDemo({ projectDir, resources, log, account = SAMPLE_ACCOUNT }: DemoContext): Promise<DemoReport> {
  const pkg = await ensureDemoPackage(projectDir, account.deployOptions, resources, log);
  const resourcesOfTemplate = effectiveResources(pkg.template);
  const ruleResource = resourcesOfTemplate.AccessKeyConfigRule;
  if (ruleResource?.Type !== 'AWS::Config::ConfigRule') throw new Error('The packaged template has no AWS::Config::ConfigRule AccessKeyConfigRule');
  const ruleProperties = ruleResource.Properties as {
    ConfigRuleName: string;
    InputParameters?: Record<string, string>;
    Source: { SourceDetails: { MessageType: string; MaximumExecutionFrequency?: string }[] };
  };
  const configRuleName = ruleProperties.ConfigRuleName;
  const inputParameters = ruleProperties.InputParameters ?? {};
  const evaluate = packagedFunction(pkg, 'EvaluateLambdaFunction');
  const remediation = remediationOf(pkg.template);
  const remediate = packagedFunction(pkg, remediation.functionLogicalId);
  const [evaluateDir, remediateDir] = await Promise.all([extractFunctionZip(evaluate, resources), extractFunctionZip(remediate, resources)]);

  const fake = await FakeAws.start({ accountId: account.accountId });
  try {
    resources.add(`local IAM/STS/Config stand-in at ${fake.url}`, () => fake.close());
  } catch (error) {
    await fake.close();
    throw error;
  }
  log(`Local IAM/STS/Config stand-in listening at ${fake.url}`);
  const now = new Date();
  const stored = seedSampleAccount(fake, account, configRuleName, now);
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
    return { userName: userName.get(userId) ?? userId, userId, complianceType: result.complianceType, ...(result.annotation ? { annotation: result.annotation } : {}) };
  };
  const sampleUsers = account.users.map((user) => {
    const held = fake.getUser(user.userName, account.accountId)!;
    return { userName: user.userName, userId: user.userId, path: held.path ?? '/', case: user.case, tags: held.tags ?? {}, keys: shownKeys(held, now) };
  });
  const deletedUsers = account.deletedUsers.map((user) => ({ userName: user.userName, userId: user.userId, case: user.case, storedResult: shownResult(user.userId) }));

  const rule = { configRuleName, accountId: account.accountId, inputParameters };
  /** Invokes a packaged function; a FunctionError stops the demo unless `mayFail` (the document's step reports it). */
  const invoke = async (fn: PackagedFunction, directory: string, event: unknown, label: string, mayFail = false): Promise<ShownInvocation> => {
    fake.reset();
    const invocation = await invokeFunction(fn, directory, event, {
      endpoint: fake.url,
      region: DEMO_REGION,
      accountId: account.accountId,
      resources,
      onStart: (pid) => log(`${label}: ${relative(projectDir, fn.zipFile)} running in process ${pid}`),
    });
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

  // 3. The remediation document's invoke step for one NON_COMPLIANT user: dry run, then for real.
  const target = account.remediate.userName;
  const targetId = userIdOf(target);
  const targetResult = config.get(targetId);
  if (targetResult?.complianceType !== 'NON_COMPLIANT') {
    throw new Error(`sample-account.json: remediate.userName ${target} is ${targetResult?.complianceType ?? 'not evaluated'}, not NON_COMPLIANT`);
  }
  const configured = resolveParameters(remediation.document, configuredValues(remediation.parameters, targetId));
  const keysBeforeRemediation = fake.getUser(target, account.accountId)!;
  const runStep = async (dryRun: boolean, label: string): Promise<RemediationRun> => {
    // A person starts the dry run from Systems Manager with DryRun=true; Config passes its configured values.
    const values = resolveParameters(remediation.document, { ...configuredValues(remediation.parameters, targetId), ...(dryRun ? { DryRun: 'true' } : {}) });
    const payloadText = renderText(remediation.step.inputs.Payload, values, randomUUID());
    const payload: unknown = JSON.parse(payloadText);
    const invocation = await invoke(remediate, remediateDir, payload, label, true);
    return {
      payload,
      ...(invocation.functionError ? { functionError: invocation.functionError } : {}),
      answer: invocation.payload,
      invocation,
      keysAfter: shownKeys(fake.getUser(target, account.accountId)!, new Date()),
    };
  };
  const dryRun = await runStep(true, 'Remediation, dry run');
  const run = await runStep(false, 'Remediation');

  const report: DemoReport = {
    endpoint: fake.url,
    accountId: account.accountId,
    package: { directory: DEMO_PACKAGE_DIR, packagedNow: pkg.packagedNow, zipBytes: pkg.zipBytes, deployOptions: account.deployOptions },
    rule: {
      configRuleName,
      inputParameters,
      maximumExecutionFrequency: ruleProperties.Source.SourceDetails.find((detail) => detail.MessageType === 'ScheduledNotification')?.MaximumExecutionFrequency,
    },
    sampleAccount: { users: sampleUsers, deletedUsers },
    periodic: { invocation: periodicInvocation, evaluationsRecorded: periodicRecorded, results: periodicResults, counts: countsOf(periodicResults) },
    change: { userName: changed.userName, userId: changedId, what: changed.what, invocation: changeInvocation, evaluationsRecorded: changeRecorded, result: shownResult(changedId) },
    remediation: {
      userName: target,
      userId: targetId,
      document: remediation.documentLogicalId,
      step: remediation.step.name,
      parameters: Object.fromEntries(Object.entries(configured).filter((entry): entry is [string, string] => !isDeployTime(entry[1]))),
      keysBefore: shownKeys(keysBeforeRemediation, now),
      dryRun,
      run,
    },
    checks: [],
    next: nextSteps(account.deployOptions, configRuleName),
  };
  report.checks = checksOf(report, account, keysBeforeRemediation);
  return report;
}

/** A packaged function answered with FunctionError: the demo stops, showing its last log lines. */
export class FunctionFailedError extends Error {
  constructor(
    readonly invocation: ShownInvocation,
    readonly logs: string[],
  ) {
    const payload = invocation.payload as { errorType?: string; errorMessage?: string };
    super(`${invocation.function} failed (FunctionError ${invocation.functionError}): ${payload.errorType ?? 'Error'}: ${payload.errorMessage ?? ''}`);
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

/** A Config rule invocation event with a fresh result token. https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html */
function ruleEvent(rule: { configRuleName: string; accountId: string; inputParameters: Record<string, string> }, invokingEvent: object) {
  const resultToken = randomBytes(48).toString('base64');
  const configRuleId = 'config-rule-demo01';
  const event = {
    version: '1.0',
    invokingEvent: JSON.stringify(invokingEvent),
    // Absent when the rule has no parameters; every value is a string.
    ...(Object.keys(rule.inputParameters).length > 0 ? { ruleParameters: JSON.stringify(rule.inputParameters) } : {}),
    resultToken,
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${rule.accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:${DEMO_REGION}:${rule.accountId}:config-rule/${configRuleId}`,
    configRuleName: rule.configRuleName,
    configRuleId,
    accountId: rule.accountId,
    evaluationMode: 'DETECTIVE',
  };
  return { event, resultToken };
}

/** The AWS::IAM::User configuration item Config would send for a user (event shape). */
function configurationItemOf(user: FakeUser, accountId: string, captureTime: Date): object {
  const tags = user.tags ?? {};
  const createDate = (user.createDate ?? new Date('2020-01-01T00:00:00Z')).toISOString();
  return {
    relatedEvents: [],
    relationships: [],
    configuration: {
      path: user.path,
      userName: user.userName,
      userId: user.userId,
      arn: user.arn,
      createDate,
      userPolicyList: [],
      groupList: [],
      attachedManagedPolicies: [],
      permissionsBoundary: null,
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    },
    supplementaryConfiguration: {},
    tags,
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: captureTime.toISOString(),
    configurationStateId: captureTime.getTime(),
    awsAccountId: accountId,
    configurationItemStatus: 'OK',
    resourceType: 'AWS::IAM::User',
    resourceId: user.userId,
    resourceName: user.userName,
    ARN: user.arn,
    awsRegion: 'global',
    availabilityZone: 'Not Applicable',
    configurationStateMd5Hash: '',
    resourceCreationTime: createDate,
  };
}

function tagDiff(before: Record<string, string>, after: Record<string, string>): object {
  const changedProperties: Record<string, object> = {};
  for (const [key, value] of Object.entries(after)) {
    if (before[key] === value) continue;
    changedProperties[`Tags.${key}`] = { previousValue: before[key] ?? null, updatedValue: value, changeType: key in before ? 'UPDATE' : 'CREATE' };
  }
  return { changedProperties, changeType: 'UPDATE' };
}

function shownKeys(user: FakeUser, now: Date): ShownKey[] {
  return (user.accessKeys ?? []).map((key) => ({
    accessKeyId: maskAccessKeyId(key.accessKeyId),
    status: key.status,
    created: `${ageOf(now.getTime() - key.createDate.getTime())} ago`,
    lastUsed: key.lastUsed?.date ? `${ageOf(now.getTime() - key.lastUsed.date.getTime())} ago in ${key.lastUsed.serviceName ?? 'N/A'}` : 'never',
  }));
}

function ageOf(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  return hours < 24 ? `${hours}h` : `${Math.floor(hours / 24)}d`;
}

function countsOf(results: readonly ShownResult[]): Record<Compliance, number> {
  const counts = Object.fromEntries(COMPLIANCE_TYPES.map((type) => [type, 0])) as Record<Compliance, number>;
  for (const result of results) counts[result.complianceType] += 1;
  return counts;
}

/** What the demo shows, checked against the sample account's expectations. */
function checksOf(report: DemoReport, account: SampleAccount, keysBefore: FakeUser): DemoReport['checks'] {
  const checks: DemoReport['checks'] = [];
  for (const user of [...account.users, ...account.deletedUsers]) {
    const result = report.periodic.results.find((candidate) => candidate.userId === user.userId);
    checks.push({
      name: `periodic: ${user.userName} is ${user.expected}`,
      ok: result?.complianceType === user.expected,
      detail: result ? `Config holds ${result.complianceType}` : 'Config holds no result',
    });
  }
  checks.push({
    name: `change: ${account.change.userName} is ${account.change.expected}`,
    ok: report.change.result.complianceType === account.change.expected,
    detail: `Config holds ${report.change.result.complianceType}`,
  });
  const activeBefore = (keysBefore.accessKeys ?? []).filter((key) => key.status === 'Active');
  const mostRecent = [...activeBefore].sort((a, b) => (b.lastUsed?.date?.getTime() ?? 0) - (a.lastUsed?.date?.getTime() ?? 0))[0];
  const statusAfter = (keys: ShownKey[], masked: string) => keys.find((key) => key.accessKeyId === masked)?.status;
  const dryRunUnchanged = activeBefore.every((key) => statusAfter(report.remediation.dryRun.keysAfter, maskAccessKeyId(key.accessKeyId)) === 'Active');
  checks.push({ name: 'remediation: the dry run changes no key', ok: dryRunUnchanged && !report.remediation.dryRun.functionError, detail: describeKeys(report.remediation.dryRun.keysAfter) });
  const keptActive = mostRecent !== undefined && statusAfter(report.remediation.run.keysAfter, maskAccessKeyId(mostRecent.accessKeyId)) === 'Active';
  const othersInactive = activeBefore
    .filter((key) => key !== mostRecent)
    .every((key) => statusAfter(report.remediation.run.keysAfter, maskAccessKeyId(key.accessKeyId)) !== 'Active');
  checks.push({
    name: 'remediation: keeps the most recently used key active and no other',
    ok: !report.remediation.run.functionError && keptActive && othersInactive,
    detail: `most recently used ${mostRecent ? maskAccessKeyId(mostRecent.accessKeyId) : 'none'}; after: ${describeKeys(report.remediation.run.keysAfter)}`,
  });
  return checks;
}

function describeKeys(keys: readonly ShownKey[]): string {
  return keys.map((key) => `${key.accessKeyId} ${key.status}`).join(', ');
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
