import { AwsCallError, causesOf, describeCause, ExecutionRoleError, InvalidParameterError, isUnreadableAnswer } from '../config/errors';
import { UsageError } from './errors';
import { flagError } from './ruleFlags';

/** What an error message may name besides the error: the account, the profile and the endpoints set. */
export interface ErrorContext {
  accountId?: string;
  profile?: string;
  /** The endpoint variables set (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>), by name. */
  endpoints?: Readonly<Record<string, string>>;
}

/** The endpoint variables of `env` the SDK honours, by name. https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html */
export function endpointVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => /^AWS_ENDPOINT_URL(_\w+)?$/.test(entry[0]) && Boolean(entry[1])),
  );
}

/**
 * One line for a person: what failed (the flag, or the API and the account), why, and where it
 * helps, what to do. Never a stack trace (--debug prints that).
 */
export function describeError(error: unknown, context: ErrorContext = {}): string {
  const { accountId } = context;
  if (error instanceof UsageError) return `error: ${oneLine(error.message)}`;
  if (error instanceof InvalidParameterError) return `error: ${oneLine(flagError(error).message)}`;
  if (error instanceof ExecutionRoleError) {
    return `error: sts:AssumeRole failed for --role-arn ${error.roleArn} (account ${error.accountId}): ${oneLine(withHint(error.cause, context, 'sts:AssumeRole'))}`;
  }
  if (error instanceof AwsCallError) {
    const where =
      !accountId || error.subject.includes(accountId)
        ? error.subject
        : error.subject === 'the account'
          ? `account ${accountId}`
          : `${error.subject} in account ${accountId}`;
    return `error: ${error.api} failed for ${where}: ${oneLine(withHint(error.cause, context, error.api))}`;
  }
  return `error: ${oneLine(withHint(error, context))}`;
}

/** The stack of the error and of each of its causes, for --debug. */
export function describeStack(error: unknown): string {
  const parts = [...causesOf(error)].map((current) =>
    current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current),
  );
  return `${parts.join('\nCaused by:\n')}\n`;
}

/** The cause, with a hint for the failures a person can fix from the command line. */
function withHint(cause: unknown, context: ErrorContext, api?: string): string {
  const { profile, endpoints = {} } = context;
  const text = describeCause(cause);
  const name = cause instanceof Error ? cause.name : '';
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (/Region is missing/i.test(text)) return `${text} (pass --region or set AWS_REGION)`;
  if (name === 'CredentialsProviderError') {
    if (profile) return `${text} (no AWS credentials found for profile ${profile}: check it in the shared config and credentials files)`;
    return `${text} (no AWS credentials found: pass --profile, or set the usual AWS credential variables)`;
  }
  if (typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/.test(code)) {
    return `${text} (endpoint unreachable: check the network, --region and AWS_ENDPOINT_URL)`;
  }
  if (isUnreadableAnswer(cause)) {
    const set = Object.entries(endpoints).map(([name, url]) => `${name}=${url}`);
    const where = set.length > 0 ? `the endpoint in use (${set.join(', ')})` : "--region's endpoint";
    return `${text}: check that ${where} serves ${api ?? 'this API'}`;
  }
  return text;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
