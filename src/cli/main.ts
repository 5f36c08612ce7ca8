import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { Command, CommanderError, Option } from 'commander';
import { setMaxListeners } from 'node:events';
import { runtimeSettingsFromEnv, type RuleContext } from '../config/createRuleHandler';
import { InvalidParameterError } from '../config/errors';
import { logger } from '../config/logger';
import { type AccessKeyRuleParameters, parseAccessKeyRuleParameters } from '../iam-user-single-access-key/parameters';
import { accessKeyRule, RULE_NAME } from '../iam-user-single-access-key/rule';
import { noticeRecording } from '../config/recordingRegion';
import { auditAccount } from './audit';
import { type AwsOptions, type AwsSession, openAwsSession } from './awsSession';
import { describeError, describeStack, endpointVariables } from './describeError';
import { UsageError } from './errors';
import {
  DEFAULT_REMEDIATION_ACTION,
  REMEDIATION_ACTIONS,
  type RemediationAction,
} from '../iam-user-single-access-key/remediation/RemediationAction';
import { planAccount, planFinds } from './plan';
import { sweepProgress } from './progress';
import { defaultFormat, type Format, FORMATS, renderAudit, renderPlan, renderSummary } from './render';
import { flagError, flagHelp, flagTerm, RULE_FLAGS, ruleInputParameters } from './ruleFlags';
import { VERSION } from './version';
import { summarizeAggregator } from './summary';

/** Where the CLI reads and writes: the process's own streams, or a test's. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** Exit statuses: no finding, a finding (NON_COMPLIANT user or change to make), an error. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

/** The options every command takes. */
interface GlobalOptions extends AwsOptions {
  format?: Format;
  exitZero?: boolean;
  debug?: boolean;
}

/** What a command found, for the exit status. */
type Outcome = { findings: boolean };

/**
 * Runs the command line `argv` (without `node` and the script) and resolves to the exit status:
 * 0 when nothing was found, 1 when a user is NON_COMPLIANT (unless --exit-zero), 2 on any error,
 * with one line on stderr and nothing on stdout.
 */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  // The rule's modules log for Lambda (JSON on stdout); here stdout is the report.
  logger.setLogLevel('SILENT');
  const state: { accountId?: string; outcome?: Outcome } = {};
  const program = buildProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (!state.outcome) return EXIT.ok; // help or version was shown
    return state.outcome.findings && !globalOptions(program).exitZero ? EXIT.findings : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok;
      // Commander answers a command line without a command with its help, as an error.
      if (error.code === 'commander.help') {
        const commands = program.commands.map((command) => command.name()).filter((name) => name !== 'help');
        io.stderr.write(`error: missing command: ${commands.join(', ')} (see --help)\n`);
        return EXIT.error;
      }
      io.stderr.write(`${error.message.replace(/\s*\n\s*/g, ' ').trim()}\n`);
      return EXIT.error;
    }
    io.stderr.write(
      `${describeError(error, { accountId: state.accountId, profile: io.env.AWS_PROFILE, endpoints: endpointVariables(io.env) })}\n`,
    );
    if (argv.includes('--debug')) io.stderr.write(describeStack(error));
    return EXIT.error;
  }
}

function buildProgram(io: CliIo, state: { accountId?: string; outcome?: Outcome }): Command {
  const program = new Command('iam-user-single-access-key')
    .description("Judge, plan and summarise IAM users with more than one active access key, with the Config rule's own code.")
    .version(VERSION, '-V, --version', 'print the version and exit')
    .addOption(new Option('--format <format>', 'output format (default: table on a terminal, json otherwise)').choices(FORMATS))
    .option('--profile <name>', 'AWS profile of the shared config and credentials files')
    .option(
      '--region <region>',
      "AWS region of the calls: for audit and plan any (IAM is global; default: AWS_REGION, the profile's, else us-east-1); for summary the aggregator's",
    )
    .option('--role-arn <arn>', 'assume this IAM role first (e.g. a role in another account)')
    .option('--exit-zero', 'exit 0 after a complete run even with findings (errors still exit 2)')
    .option('--debug', 'print the region and account used, and on an error its stack trace and causes')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: () => undefined })
    // Each command's help lists the options every command takes, and each rule flag as its definition gives it.
    .configureHelp({ showGlobalOptions: true, optionTerm: (option) => flagTerm(option.long) ?? option.flags })
    .showSuggestionAfterError(true);

  const withRuleFlags = (command: Command) => {
    for (const rule of RULE_FLAGS) command.option(`${rule.flag} [value]`, flagHelp(rule));
    return command;
  };

  withRuleFlags(
    program.command('audit').description('judge every IAM user of the account as the rule would; exit 1 if one is NON_COMPLIANT'),
  ).action(async (_options: unknown, command: Command) => {
    const options = command.optsWithGlobals<GlobalOptions & Record<string, unknown>>();
    const format = options.format ?? defaultFormat(io.stdout.isTTY === true);
    const { raw, params } = ruleParameters(options);
    const concurrency = runtimeSettingsFromEnv(io.env).concurrency;
    const session = await open(options, io, state, IAM_FALLBACK_REGION);
    const context = ruleContext(session, params);
    // The line a periodic sweep logs about the region, checked while the users are judged.
    const recording = noticeRecording(
      accessKeyRule.resourceType,
      (check) => accessKeyRule.recordingNotice?.(check),
      session.clients,
      context.abortSignal,
    );
    const progress = sweepProgress(io.stderr, session.throttledCalls);
    const report = await auditAccount(context, raw, concurrency, progress).finally(() => progress.stop());
    io.stdout.write(renderAudit(report, format, tableWidth(io)));
    const { notice } = await recording;
    if (notice !== undefined) io.stderr.write(`${notice}\n`);
    state.outcome = { findings: report.counts.NON_COMPLIANT > 0 };
  });

  withRuleFlags(
    program
      .command('plan')
      .description(
        'show what the remediation would do to each NON_COMPLIANT user; changes nothing; exit 1 if it would change a key or a user would stay over the limit',
      )
      .addOption(
        new Option('--action <action>', "the remediation's Action").choices(REMEDIATION_ACTIONS).default(DEFAULT_REMEDIATION_ACTION),
      ),
  ).action(async (_options: unknown, command: Command) => {
    const options = command.optsWithGlobals<GlobalOptions & { action: RemediationAction } & Record<string, unknown>>();
    const format = options.format ?? defaultFormat(io.stdout.isTTY === true);
    const { raw, params } = ruleParameters(options);
    const concurrency = runtimeSettingsFromEnv(io.env).concurrency;
    const session = await open(options, io, state, IAM_FALLBACK_REGION);
    const progress = sweepProgress(io.stderr, session.throttledCalls);
    const report = await planAccount(ruleContext(session, params), raw, options.action, concurrency, progress).finally(() =>
      progress.stop(),
    );
    io.stdout.write(renderPlan(report, format, tableWidth(io)));
    state.outcome = { findings: planFinds(report) };
  });

  program
    .command('summary')
    .description("per account (and region), the rule's results from a Config aggregator, worst first; exit 1 if a user is NON_COMPLIANT")
    .requiredOption('--aggregator <name>', 'name of the Config aggregator (in --region)')
    .option('--rule <name>', "the rule's name; its organization copies OrgConfigRule-<name>-<suffix> count too", RULE_NAME)
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { aggregator: string; rule: string }>();
      const format = options.format ?? defaultFormat(io.stdout.isTTY === true);
      // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeAggregateComplianceByConfigRules.html
      if (!/^[\w-]{1,256}$/.test(options.aggregator))
        throw new UsageError(
          `option '--aggregator': ${JSON.stringify(options.aggregator)} is not an aggregator name ([A-Za-z0-9_-], 1 to 256)`,
        );
      if (!/^\S{1,128}$/.test(options.rule))
        throw new UsageError(`option '--rule': ${JSON.stringify(options.rule)} is not a Config rule name (1 to 128 characters, no spaces)`);
      const session = await open(options, io, state, undefined);
      const progress = sweepProgress(io.stderr, session.throttledCalls, 'Reading account results');
      const report = await summarizeAggregator(session.clients.get(ConfigServiceClient), options.aggregator, options.rule, {
        found(count) {
          for (let index = 0; index < count; index += 1) progress.listed();
          progress.listingDone();
        },
        read: () => progress.judged(),
      }).finally(() => progress.stop());
      io.stdout.write(renderSummary(report, format));
      state.outcome = { findings: report.counts.NON_COMPLIANT > 0 };
    });
  return program;
}

function globalOptions(program: Command): GlobalOptions {
  return program.opts<GlobalOptions>();
}

/** The rule flags as InputParameters, parsed by the rule's own parser; a bad value names its flag. */
function ruleParameters(options: Readonly<Record<string, unknown>>): { raw: Record<string, string>; params: AccessKeyRuleParameters } {
  const raw = ruleInputParameters(options);
  try {
    return { raw, params: parseAccessKeyRuleParameters(raw) };
  } catch (error) {
    throw error instanceof InvalidParameterError ? flagError(error) : error;
  }
}

/** The width tables are fitted to: the terminal's, else COLUMNS (as the shell sets it) when it is a width, else the renderer's default. */
function tableWidth(io: CliIo): number | undefined {
  const columns = Number(io.env.COLUMNS);
  return io.stdout.columns ?? (Number.isInteger(columns) && columns > 0 ? columns : undefined);
}

/** The region audit and plan use when none is set: IAM is global, so any region reaches it. */
const IAM_FALLBACK_REGION = 'us-east-1';

/** Opens the session; with --debug, says on stderr which region and account it uses. */
async function open(
  options: GlobalOptions,
  io: CliIo,
  state: { accountId?: string },
  fallbackRegion: string | undefined,
): Promise<AwsSession> {
  const session = await openAwsSession(
    { profile: options.profile, region: options.region, roleArn: options.roleArn },
    io.env,
    fallbackRegion,
  );
  state.accountId = session.accountId;
  if (options.debug) {
    io.stderr.write(`debug: region ${session.region.name} (${session.region.from})\n`);
    io.stderr.write(`debug: account ${session.accountId}${options.roleArn ? ` (role ${options.roleArn})` : ''}\n`);
  }
  return session;
}

/** The context the rule's code runs in, as the Lambda runtime builds it for a periodic run. */
function ruleContext(session: AwsSession, params: AccessKeyRuleParameters): RuleContext<AccessKeyRuleParameters> {
  const abortSignal = new AbortController().signal;
  // Every call in flight listens to this signal, as in the Lambda runtime: no leak warning at 10.
  setMaxListeners(0, abortSignal);
  return { params, clients: session.clients, accountId: session.accountId, configRuleName: RULE_NAME, abortSignal };
}
