import { expect } from 'chai';
import { checksOf } from '../../scripts/demo/checkReport';
import type { DemoReport, RemediationRun, ShownKey } from '../../scripts/demo/DemoReport';
import { SAMPLE_ACCOUNT, toFakeUser } from '../../scripts/demo/sampleAccount';
import type { EmfDocument } from '../../tools/lambda/emfDocuments';

// What the demo checks against the sample account's expectations, on reports shaped as runDemo
// builds them (only the parts checksOf reads): one where everything went as expected, and one
// change each that a check must catch.

const NOW = new Date('2026-12-01T12:00:00.000Z');
const bob = SAMPLE_ACCOUNT.users.find((user) => user.userName === SAMPLE_ACCOUNT.remediate.userName)!;
const keysBefore = toFakeUser(bob, SAMPLE_ACCOUNT.accountId, NOW);

const key = (accessKeyId: string, status: string): ShownKey => ({ accessKeyId, status, created: '1d ago', lastUsed: 'never' });
const run = (keysAfter: ShownKey[], outcome: string): RemediationRun =>
  ({
    payload: {},
    answer: { outcome },
    invocation: {},
    execution: { status: 'Success', steps: [], outputs: { 'CheckOutcome.Outcome': outcome } },
    keysAfter,
  }) as unknown as RemediationRun;

const RULE_NAME = 'iam-user-single-access-key';

/** An EMF document of the rule's namespace and dimension with `values`. */
function emf(values: Record<string, number>, dimensions = [['ConfigRuleName']]): EmfDocument {
  return {
    _aws: {
      Timestamp: NOW.getTime(),
      CloudWatchMetrics: [
        { Namespace: 'ConfigRuleSweeps', Dimensions: dimensions, Metrics: Object.keys(values).map((Name) => ({ Name, Unit: 'Count' })) },
      ],
    },
    ConfigRuleName: RULE_NAME,
    service: RULE_NAME,
    ...values,
  };
}

/** The report of a demo run that went as the sample account expects. */
function asExpected(): DemoReport {
  return {
    rule: { configRuleName: RULE_NAME },
    periodic: {
      invocation: {
        payload: { recorded: 12, unchanged: 0, sweep: { judged: 11, nonCompliant: 4, throttledCalls: 0, elapsedSeconds: 0.1 } },
        metrics: [
          emf({
            SweepCompleted: 1,
            ResourcesJudged: 11,
            NonCompliantResources: 4,
            EvaluationsRecorded: 12,
            EvaluationsUnchanged: 0,
            ThrottledCalls: 0,
            SweepDuration: 0.1,
          }),
        ],
      },
      results: [...SAMPLE_ACCOUNT.users, ...SAMPLE_ACCOUNT.deletedUsers].map((user) => ({
        userName: user.userName,
        userId: user.userId,
        complianceType: user.expected,
      })),
    },
    change: {
      invocation: { payload: { recorded: 1 }, metrics: [emf({ EvaluationsRecorded: 1, EvaluationFailures: 0 })] },
      result: { userName: SAMPLE_ACCOUNT.change.userName, userId: 'AIDA', complianceType: SAMPLE_ACCOUNT.change.expected },
    },
    remediation: {
      dryRun: run([key('****USED', 'Active'), key('****IDLE', 'Active')], 'dry-run'),
      run: run([key('****USED', 'Active'), key('****IDLE', 'Inactive')], 'remediated'),
      lockTable: { name: 'locks', itemsAfter: 0 },
    },
  } as unknown as DemoReport;
}

const failed = (report: DemoReport) =>
  checksOf(report, SAMPLE_ACCOUNT, keysBefore)
    .filter((check) => !check.ok)
    .map(({ name, detail }) => ({ name, detail }));

describe('demo: checksOf', () => {
  it('passes every check of a run that went as the sample account expects, one per user and per remediation outcome', () => {
    // Act
    const checks = checksOf(asExpected(), SAMPLE_ACCOUNT, keysBefore);

    // Assess
    expect(checks.filter((check) => !check.ok)).to.deep.equal([]);
    expect(checks).to.have.length(SAMPLE_ACCOUNT.users.length + SAMPLE_ACCOUNT.deletedUsers.length + 8);
  });

  const cases: [what: string, change: (report: DemoReport) => void, expected: { name: string; detail: string }[]][] = [
    [
      'Config holds another result than the sample account expects',
      (report) => (report.periodic.results.find((result) => result.userName === 'alice')!.complianceType = 'NON_COMPLIANT'),
      [{ name: 'periodic: alice is COMPLIANT', detail: 'Config holds NON_COMPLIANT' }],
    ],
    [
      'Config holds no result for a user',
      (report) => (report.periodic.results = report.periodic.results.filter((result) => result.userName !== 'judy')),
      [{ name: 'periodic: judy is NOT_APPLICABLE', detail: 'Config holds no result' }],
    ],
    [
      'the change notification leaves another result',
      (report) => (report.change.result.complianceType = 'NON_COMPLIANT'),
      [{ name: 'change: legacy-etl is NOT_APPLICABLE', detail: 'Config holds NON_COMPLIANT' }],
    ],
    [
      'the sweep printed no EMF document',
      (report) => (report.periodic.invocation.metrics = []),
      [{ name: "periodic: one EMF document whose figures equal the run summary's counts", detail: '0 EMF documents printed' }],
    ],
    [
      "a figure of the sweep's document is not the summary's",
      (report) => (report.periodic.invocation.metrics[0]!.NonCompliantResources = 3),
      [
        {
          name: "periodic: one EMF document whose figures equal the run summary's counts",
          detail:
            '[{"Namespace":"ConfigRuleSweeps","Dimensions":[["ConfigRuleName"]]}] ConfigRuleName=iam-user-single-access-key: ' +
            '{"SweepCompleted":1,"ResourcesJudged":11,"NonCompliantResources":3,"EvaluationsRecorded":12,"EvaluationsUnchanged":0,"ThrottledCalls":0,"SweepDuration":0.1}; ' +
            'expected {"SweepCompleted":1,"ResourcesJudged":11,"NonCompliantResources":4,"EvaluationsRecorded":12,"EvaluationsUnchanged":0,"ThrottledCalls":0,"SweepDuration":0.1}',
        },
      ],
    ],
    [
      "the change's document has Powertools' service dimension too",
      (report) =>
        (report.change.invocation.metrics = [emf({ EvaluationsRecorded: 1, EvaluationFailures: 0 }, [['service', 'ConfigRuleName']])]),
      [
        {
          name: "change: one EMF document whose figures equal the run summary's counts",
          detail:
            '[{"Namespace":"ConfigRuleSweeps","Dimensions":[["service","ConfigRuleName"]]}] ConfigRuleName=iam-user-single-access-key: ' +
            '{"EvaluationsRecorded":1,"EvaluationFailures":0}; expected {"EvaluationsRecorded":1,"EvaluationFailures":0}',
        },
      ],
    ],
    [
      'the dry run changed a key',
      (report) => (report.remediation.dryRun.keysAfter[1]!.status = 'Inactive'),
      [{ name: 'remediation: the dry run changes no key', detail: '****USED Active, ****IDLE Inactive' }],
    ],
    [
      'the run deactivated the key in use',
      (report) => (report.remediation.run.keysAfter = [key('****USED', 'Inactive'), key('****IDLE', 'Active')]),
      [
        {
          name: 'remediation: keeps the most recently used key active and no other',
          detail: 'most recently used ****USED; after: ****USED Inactive, ****IDLE Active',
        },
      ],
    ],
    [
      "the run's document execution failed",
      (report) => (report.remediation.run.execution = { status: 'Failed', steps: [], outputs: {}, failureMessage: 'Exception: boom' }),
      [{ name: "remediation: the document's execution for the run succeeds", detail: 'Failed: Exception: boom' }],
    ],
    [
      'the run left its lock',
      (report) => (report.remediation.lockTable = { name: 'locks', itemsAfter: 1 }),
      [{ name: 'remediation: the run released its lock on the user', detail: '1 lock(s) left in locks' }],
    ],
    [
      'the remediate function names no lock table',
      (report) => delete report.remediation.lockTable,
      [
        {
          name: 'remediation: the run released its lock on the user',
          detail: 'the remediate function names no lock table (LOCK_TABLE_NAME)',
        },
      ],
    ],
  ];
  for (const [what, change, expected] of cases) {
    it(`fails the check that shows it when ${what}`, () => {
      // Prepare
      const report = asExpected();
      change(report);

      // Act, Assess
      expect(failed(report)).to.deep.equal(expected);
    });
  }

  it('leaves out the execution checks when python3 is missing to run the script step, rather than guess', () => {
    // Prepare
    const report = asExpected();
    for (const each of [report.remediation.dryRun, report.remediation.run])
      each.execution = { status: 'Unknown', steps: [], outputs: {}, failureMessage: 'python3 was not found on PATH' };

    // Act
    const names = checksOf(report, SAMPLE_ACCOUNT, keysBefore).map((check) => check.name);

    // Assess
    expect(names.filter((name) => name.includes('execution'))).to.deep.equal([]);
    expect(names).to.have.length(SAMPLE_ACCOUNT.users.length + SAMPLE_ACCOUNT.deletedUsers.length + 6);
  });
});
