import { expect } from 'chai';
import { FakeAws } from '../../tools/fakeAws';
import { ACCOUNT_ID, buildCli, fixtureUsers, runCli } from './cliHarness';

// Every way a run can go wrong ends the same way for a person and for CI: exit 2, one line on
// stderr naming the flag (or the API and the account), no stack trace, nothing on stdout.

const OTHER_ACCOUNT = '210987654321';
/** A local port nothing listens on. */
const CLOSED_PORT = 'http://127.0.0.1:9';

interface Case {
  name: string;
  args: string[];
  /** Set up the fake (faults) before the run. */
  prepare?: (fake: FakeAws) => void;
  /** Replace the environment's entries (undefined deletes one). */
  env?: Record<string, string | undefined>;
  endpoint?: string;
  stderr: string | RegExp;
}

const CASES: Case[] = [
  {
    name: 'an unknown flag, with the flag it resembles',
    args: ['audit', '--fromat', 'json'],
    stderr: "error: unknown option '--fromat' (Did you mean --format?)",
  },
  { name: 'an unknown command', args: ['audti'], stderr: "error: unknown command 'audti' (Did you mean audit?)" },
  { name: 'no command', args: ['--format', 'json'], stderr: 'error: missing command: audit, plan, summary (see --help)' },
  {
    name: 'the execution role, which is no flag of the CLI',
    args: ['audit', '--execution-role-name', 'x'],
    stderr: "error: unknown option '--execution-role-name'",
  },
  {
    name: 'a malformed rule parameter, named by its flag',
    args: ['audit', '--max-access-keys', 'two'],
    stderr: 'error: option \'--max-access-keys\': expected a whole number from 1 to 100, got "two"',
  },
  {
    name: 'a rule flag without its value',
    args: ['audit', '--max-access-keys'],
    stderr: "error: option '--max-access-keys' needs a value: a whole number from 1 to 100",
  },
  {
    name: 'a malformed boolean rule parameter',
    args: ['plan', '--count-inactive-keys', 'yes'],
    stderr: 'error: option \'--count-inactive-keys\': expected "true" or "false", got "yes"',
  },
  {
    name: 'an unknown format',
    args: ['audit', '--format', 'xml'],
    stderr: "error: option '--format <format>' argument 'xml' is invalid. Allowed choices are table, json, csv.",
  },
  {
    name: 'an unknown remediation action',
    args: ['plan', '--action', 'Remove'],
    stderr: "error: option '--action <action>' argument 'Remove' is invalid. Allowed choices are Deactivate, Delete.",
  },
  { name: 'summary without --aggregator', args: ['summary'], stderr: "error: required option '--aggregator <name>' not specified" },
  {
    name: 'a malformed --role-arn',
    args: ['audit', '--role-arn', 'admin'],
    stderr: 'error: option \'--role-arn\': "admin" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
  },
  {
    name: 'a malformed --region',
    args: ['audit', '--region', 'Mars'],
    stderr: 'error: option \'--region\': "Mars" is not an AWS region (e.g. us-east-1)',
  },
  {
    name: 'AccessDenied on one user, naming the API, the user and the account',
    args: ['audit'],
    prepare: (fake) =>
      fake.failAlways(
        'ListAccessKeys',
        { status: 403, code: 'AccessDenied', message: 'not authorized to perform: iam:ListAccessKeys' },
        { UserName: 'bob' },
      ),
    stderr: `error: iam:ListAccessKeys failed for IAM user bob in account ${ACCOUNT_ID}: AccessDenied: not authorized to perform: iam:ListAccessKeys`,
  },
  {
    name: 'AccessDenied on ListUsers, naming the API and the account',
    args: ['plan'],
    prepare: (fake) =>
      fake.failAlways('ListUsers', { status: 403, code: 'AccessDenied', message: 'not authorized to perform: iam:ListUsers' }),
    stderr: `error: iam:ListUsers failed for account ${ACCOUNT_ID}: AccessDenied: not authorized to perform: iam:ListUsers`,
  },
  {
    name: 'a role that cannot be assumed, naming the role and its account',
    args: ['audit', '--role-arn', `arn:aws:iam::${OTHER_ACCOUNT}:role/auditor`],
    prepare: (fake) =>
      fake.failAlways('AssumeRole', { status: 403, code: 'AccessDenied', message: 'not authorized to perform: sts:AssumeRole' }),
    stderr: `error: sts:AssumeRole failed for --role-arn arn:aws:iam::${OTHER_ACCOUNT}:role/auditor (account ${OTHER_ACCOUNT}): AccessDenied: not authorized to perform: sts:AssumeRole`,
  },
  {
    name: 'an unreachable endpoint',
    args: ['audit'],
    endpoint: CLOSED_PORT,
    stderr:
      /^error: sts:GetCallerIdentity failed for the credentials in use: Error: connect ECONNREFUSED 127\.0\.0\.1:9 \(endpoint unreachable: check the network, --region and AWS_ENDPOINT_URL\)$/,
  },
  {
    name: 'no credentials at all',
    args: ['audit'],
    env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    stderr:
      /^error: sts:GetCallerIdentity failed for the credentials in use: CredentialsProviderError: .+ \(no AWS credentials found: pass --profile, or set the usual AWS credential variables\)$/,
  },
  {
    name: 'a profile that does not exist',
    args: ['audit', '--profile', 'nope'],
    stderr:
      /^error: sts:GetCallerIdentity failed for the credentials in use: CredentialsProviderError: .+ \(no AWS credentials found for profile nope: check it in the shared config and credentials files\)$/,
  },
];

describe('CLI bad input and failures (subprocess)', function () {
  this.timeout(60_000);
  let fake: FakeAws;

  before(async () => {
    await buildCli();
    fake = await FakeAws.start({ accountId: ACCOUNT_ID });
    fake.addUsers(fixtureUsers(Date.now()));
  });

  after(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  for (const testCase of CASES) {
    it(`exits 2 with one line on stderr and nothing on stdout for ${testCase.name}`, async () => {
      // Prepare
      testCase.prepare?.(fake);

      // Act
      const run = await runCli(testCase.args, testCase.endpoint ?? fake.url, testCase.env);

      // Assess
      expect(run.stdout).to.equal('');
      expect(
        run.stderr.endsWith('\n') && run.stderr.indexOf('\n') === run.stderr.length - 1,
        `one line: ${JSON.stringify(run.stderr)}`,
      ).to.equal(true);
      const line = run.stderr.slice(0, -1);
      if (typeof testCase.stderr === 'string') expect(line).to.equal(testCase.stderr);
      else expect(line).to.match(testCase.stderr);
      expect(run.status).to.equal(2);
    });
  }

  it('prints the stack trace and its causes after the line with --debug', async () => {
    // Prepare
    fake.failAlways('ListAccessKeys', { status: 403, code: 'AccessDenied', message: 'not authorized' }, { UserName: 'bob' });

    // Act
    const run = await runCli(['audit', '--debug'], fake.url);

    // Assess
    const [region, account, first, ...rest] = run.stderr.split('\n');
    expect([region, account]).to.deep.equal(['debug: region us-east-1 (AWS_REGION)', `debug: account ${ACCOUNT_ID}`]);
    expect(first).to.equal(`error: iam:ListAccessKeys failed for IAM user bob in account ${ACCOUNT_ID}: AccessDenied: not authorized`);
    expect(rest.join('\n')).to.match(
      /^AwsCallError: iam:ListAccessKeys failed[^]*\n\s+at .*src\/iam-user-single-access-key\/IamAccessKeys\.ts:\d+[^]*\nCaused by:\nAccessDenied: not authorized\n\s+at /,
    );
    expect(run.stdout).to.equal('');
    expect(run.status).to.equal(2);
  });

  it('prints usage on --help and exits 0', async () => {
    // Act
    const run = await runCli(['audit', '--help'], fake.url);

    // Assess
    expect(run.stdout).to.match(/^Usage: iam-user-single-access-key audit \[options\]/);
    expect(run.stdout).to.include('--max-access-keys <value>');
    expect(run.stdout).to.include('--count-inactive-keys [true|false]');
    expect(run.status).to.equal(0);
  });
});
