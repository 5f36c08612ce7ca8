import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { isThrottlingError } from '@smithy/core/retry';
import { clientsFor, type ClientProvider } from '../config/awsClients';
import { AwsCallError } from '../config/errors';
import { UsageError } from './errors';

/** The flags that choose where and as whom the CLI acts. */
export interface AwsOptions {
  profile?: string;
  region?: string;
  roleArn?: string;
}

/** Clients acting in one account, with that account's id. */
export interface AwsSession {
  clients: ClientProvider;
  accountId: string;
  /** The region of the calls and where it came from, for --debug. */
  region: { name: string; from: string };
  /** Calls of the IAM and Config clients answered with a throttling error so far (each attempt counts). */
  throttledCalls(): number;
}

/** The role session name CloudTrail shows for the CLI's assumed-role calls. */
const SESSION_NAME = 'iam-user-single-access-key-cli';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;
const PROFILE = /^[\w+=,.@:/-]+$/;

/**
 * Points the AWS SDK at the profile and region given and returns clients acting in the account
 * (after assuming --role-arn, when given). The profile and region go through AWS_PROFILE and
 * AWS_REGION, the SDK's own inputs, so every client (and the default credential chain, which
 * then reads that profile) sees the same choice; AWS_ENDPOINT_URL is honoured by the SDK itself.
 * Without a region from --region, AWS_REGION or the profile, `fallbackRegion` is used when given
 * (IAM is global: any region reaches it), else the command fails saying where to set one.
 * https://docs.aws.amazon.com/sdkref/latest/guide/settings-reference.html
 */
export async function openAwsSession(
  options: AwsOptions,
  env: NodeJS.ProcessEnv = process.env,
  fallbackRegion?: string,
): Promise<AwsSession> {
  if (options.profile !== undefined) {
    if (!PROFILE.test(options.profile))
      throw new UsageError(`option '--profile': ${JSON.stringify(options.profile)} is not a profile name`);
    env.AWS_PROFILE = options.profile;
    // As with the AWS CLI, the profile named on the command line wins over credentials in the
    // environment (the SDK would otherwise warn, on several lines, that both are set).
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    delete env.AWS_SESSION_TOKEN;
  }
  if (options.region !== undefined) {
    if (!REGION.test(options.region))
      throw new UsageError(`option '--region': ${JSON.stringify(options.region)} is not an AWS region (e.g. us-east-1)`);
    env.AWS_REGION = options.region;
  }
  const region = await regionInUse(options, env, fallbackRegion);
  if (options.roleArn !== undefined && !ROLE_ARN.test(options.roleArn)) {
    throw new UsageError(
      `option '--role-arn': ${JSON.stringify(options.roleArn)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  }
  // Throttled calls are retried, paced by the rate limiter, as in the Lambda's sweep: a busy account
  // slows an audit down rather than failing it.
  const clients = clientsFor(options.roleArn, SESSION_NAME, 'untilAborted');
  // A role that cannot be assumed fails here, naming the role and its account.
  await clients.ready();
  const accountId = await callerAccount(clients);
  let throttled = 0;
  for (const stack of [clients.get(IAMClient).middlewareStack, clients.get(ConfigServiceClient).middlewareStack]) {
    stack.remove('countThrottledCalls');
    stack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          if (isThrottlingError(error as Parameters<typeof isThrottlingError>[0])) throttled += 1;
          throw error;
        }
      },
      // The deserialize step runs once per attempt, inside the SDK's retry loop.
      { step: 'deserialize', name: 'countThrottledCalls' },
    );
  }
  return { clients, accountId, region, throttledCalls: () => throttled };
}

/** The region every client will use, as the SDK resolves it (AWS_REGION, then the profile's `region`), else `fallback`. */
async function regionInUse(options: AwsOptions, env: NodeJS.ProcessEnv, fallback: string | undefined): Promise<AwsSession['region']> {
  if (options.region !== undefined) return { name: options.region, from: '--region' };
  if (env.AWS_REGION) return { name: env.AWS_REGION, from: 'AWS_REGION' };
  const profile = `profile ${env.AWS_PROFILE ?? 'default'}`;
  try {
    // The SDK's own region chain, read as any client would (the shared config file, AWS_PROFILE).
    return { name: await new STSClient({}).config.region(), from: `the region of ${profile}` };
  } catch (error) {
    if (!/Region is missing/i.test(String((error as Error | undefined)?.message))) throw error;
    if (fallback === undefined) {
      throw new UsageError(`no region: pass --region, set AWS_REGION, or set region in ${profile} of the shared config file`);
    }
    env.AWS_REGION = fallback;
    return { name: fallback, from: `the default: no --region, AWS_REGION or region in ${profile}; IAM is global, any region reaches it` };
  }
}

async function callerAccount(clients: ClientProvider): Promise<string> {
  try {
    const { Account: account } = await clients.get(STSClient).send(new GetCallerIdentityCommand({}));
    if (!account) throw new Error('the response carried no account id');
    return account;
  } catch (cause) {
    throw new AwsCallError('sts:GetCallerIdentity', 'the credentials in use', { cause });
  }
}
