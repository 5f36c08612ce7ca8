import { describeCause, ExecutionRoleError, InvalidParameterError, AwsCallError } from '../config/errors';
import { UsageError } from './errors';
import { flagError } from './ruleFlags';

/**
 * One line for a person: what failed (the flag, or the API and the account), why, and where it
 * helps, what to do. Never a stack trace (--debug prints that).
 */
export function describeError(error: unknown, accountId: string | undefined, profile?: string): string {
  if (error instanceof UsageError) return `error: ${oneLine(error.message)}`;
  if (error instanceof InvalidParameterError) return `error: ${oneLine(flagError(error).message)}`;
  if (error instanceof ExecutionRoleError) {
    return `error: sts:AssumeRole failed for --role-arn ${error.roleArn} (account ${error.accountId}): ${oneLine(withHint(error.cause, profile))}`;
  }
  if (error instanceof AwsCallError) {
    const where =
      !accountId || error.subject.includes(accountId)
        ? error.subject
        : error.subject === 'the account'
          ? `account ${accountId}`
          : `${error.subject} in account ${accountId}`;
    return `error: ${error.api} failed for ${where}: ${oneLine(withHint(error.cause, profile))}`;
  }
  return `error: ${oneLine(withHint(error, profile))}`;
}

/** The stack of the error and of each of its causes, for --debug. */
export function describeStack(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 10; depth += 1) {
    parts.push(current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('Caused by:');
  }
  return `${parts.join('\n')}\n`;
}

/** The cause, with a hint for the failures a person can fix from the command line. */
function withHint(cause: unknown, profile: string | undefined): string {
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
  return text;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
