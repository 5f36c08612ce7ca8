'use strict';

const { partitionOf } = require('./regionalAvailability');

// Organization plumbing any Config rule of this project shares: one Lambda permission per member
// account, and how many of them fit in the function's resource-based policy.

// A function's resource-based policy may hold at most 20 KB (Lambda quotas, not adjustable):
// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
const POLICY_LIMIT_BYTES = 20 * 1024;
// CloudFormation picks each statement id (stack name, logical id, random suffix); Lambda allows
// at most 100 characters (AddPermission StatementId), so the estimate assumes the longest.
const MAX_STATEMENT_ID = 100;

/** Logical id of the permission that lets Config in `accountId` invoke the function (this account's without one). */
const permissionId = (accountId) => `EvaluateConfigPermission${accountId ?? ''}`;

/** The member accounts Config invokes the function from: listed and not excluded, each once. */
const invokingAccounts = (memberAccounts, excludedAccounts) =>
  (memberAccounts ?? []).filter((account) => !(excludedAccounts ?? []).includes(account));

/** Lambda permissions for Config in each member account, created one after another. */
function memberPermissions(accounts) {
  const resources = {};
  let previous = permissionId();
  for (const account of accounts) {
    resources[permissionId(account)] = {
      Type: 'AWS::Lambda::Permission',
      // Lambda can lose or refuse concurrent changes to one function's policy (ResourceConflictException).
      DependsOn: previous,
      Properties: {
        FunctionName: { 'Fn::GetAtt': ['EvaluateLambdaFunction', 'Arn'] },
        Action: 'lambda:InvokeFunction',
        Principal: 'config.amazonaws.com',
        SourceAccount: account,
      },
    };
    previous = permissionId(account);
  }
  return resources;
}

/**
 * The ARNs of role `roleName` in this account and in each of `accounts`, as CloudFormation values:
 * the execution roles of the accounts whose Config may invoke the function (memberPermissions).
 */
const executionRoleArns = (accounts, roleName) =>
  ['${AWS::AccountId}', ...accounts].map((account) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::${account}:role/${roleName}` }));

/** The statement Lambda stores for a Config invoke permission, as `aws lambda get-policy` shows it. */
function invokeStatement(sid, functionArn, sourceAccount) {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: 'config.amazonaws.com' },
    Action: 'lambda:InvokeFunction',
    Resource: functionArn,
    Condition: { StringEquals: { 'AWS:SourceAccount': sourceAccount } },
  };
}

/**
 * How many member accounts fit in the policy of function `functionName` in `region` beside the
 * statement for this account (kept in organization mode: the rule runs here too).
 */
function maxMemberAccounts(functionName, region) {
  const functionArn = `arn:${partitionOf(region)}:lambda:${region}:000000000000:function:${functionName}`;
  const bytes = (count) =>
    Buffer.byteLength(
      JSON.stringify({
        Version: '2012-10-17',
        Id: 'default',
        Statement: Array.from({ length: count }, () => invokeStatement('x'.repeat(MAX_STATEMENT_ID), functionArn, '000000000000')),
      }),
    );
  let accounts = 0;
  while (bytes(accounts + 2) <= POLICY_LIMIT_BYTES) accounts += 1;
  return accounts;
}

/** Whether an option only shapes an organization deployment (not the rule an account runs). */
const isOrganizationOnly = (options, name) => options[name]?.section === 'organization' && options[name]?.use === 'deploy';

/** `--param="name=value"`, quoted for a POSIX shell. */
function paramArgument(name, value) {
  const argument = `${name}=${value}`;
  return /["$`\\]/.test(argument) ? `--param='${argument.replace(/'/g, `'\\''`)}'` : `--param="${argument}"`;
}

/**
 * The command that deploys, in the management account, the account-level rule the StackSet deploys
 * everywhere else: the same stage, region and options, minus those that only shape the
 * organization deployment (section organization, deploy only: organization, organizationId,
 * deploymentTargets, callAs, aggregator…). `given` holds the options given to this run, as text.
 */
function managementAccountCommand({ options, given, stage, region }) {
  const params = Object.entries(given)
    .filter(([name, text]) => !isOrganizationOnly(options, name) && text.trim() !== '')
    .map(([name, text]) => ` ${paramArgument(name, text.trim())}`)
    .join('');
  return `npx serverless deploy --stage ${stage} --region ${region}${params}`;
}

/**
 * What an organization mode leaves out, printed when packaging: `{ level: 'notice' | 'warning',
 * lines }`, or undefined for a single-account deployment. `values` are the parsed options,
 * `given` the options given as text, `options` their definitions, `configurationParams` the names
 * serverless.yml's params set; `maxMembers` how many member accounts the function's policy takes
 * (organization=true).
 */
function organizationCoverage({ values, given, options, stage, region, maxMembers, configurationParams = [] }) {
  const docs = 'docs/organization.md, "What each organization mode leaves out"';
  if (values.organization === 'stackset') {
    const targets = (values.deploymentTargets ?? []).join(', ');
    const reach = `the StackSet deploys the rule in ${region} to every account of ${targets}, and to accounts that join them later; accounts outside them get no rule`;
    const fromConfiguration = configurationParams.filter((name) => isOrganizationOnly(options, name));
    if (values.callAs !== 'DELEGATED_ADMIN') {
      return {
        level: 'notice',
        lines: [
          `organization=stackset, callAs=SELF: ${reach}. A service-managed StackSet never deploys to the management account: this stack, deployed there, holds its rule.`,
        ],
      };
    }
    return {
      level: 'warning',
      lines: [
        `organization=stackset, callAs=DELEGATED_ADMIN: ${reach}. The management account gets NO rule: a service-managed StackSet never deploys there, and this stack, in the delegated administrator account, holds none. The delegated administrator account gets the rule only if it is in ${targets}.`,
        'To cover the management account, run this there (not in this account: it would replace this stack): the account-level rule with the same options (the same configRuleName, parameters and remediation):',
        `  ${managementAccountCommand({ options, given, stage, region })}`,
        ...(fromConfiguration.length > 0
          ? [`  (without ${fromConfiguration.join(', ')} in serverless.yml's params for that deploy: a --param cannot unset them)`]
          : []),
        `See ${docs}.`,
      ],
    };
  }
  if (values.organization === true) {
    const excluded = values.excludedAccounts ?? [];
    return {
      level: 'warning',
      lines: [
        'organization=true leaves out:',
        '  - remediation: Config takes no remediation configuration for an organization rule (remediation is off);',
        `  - every other account not in memberAccounts: Config there may not invoke the function, so the rule fails in it (a new account included) until it is listed and this is deployed again; at most ${maxMembers} fit in the function's 20 KB policy, more need organization=stackset;`,
        excluded.length > 0
          ? `  - the excludedAccounts ${excluded.join(', ')}: no rule at all (the management account too, if it is one of them).`
          : '  - no account is excluded: the management account runs the rule too, so it needs the execution role (a plain stack of member-execution-role.yml there: a StackSet never deploys to it), or list it in excludedAccounts.',
        `See ${docs}.`,
      ],
    };
  }
  return undefined;
}

module.exports = {
  MAX_STATEMENT_ID,
  invokeStatement,
  permissionId,
  invokingAccounts,
  memberPermissions,
  executionRoleArns,
  maxMemberAccounts,
  managementAccountCommand,
  organizationCoverage,
};
