'use strict';

// Organization deployment (README "Organization deployment"): checks the organization deploy
// options and builds what depends on them at package time: organization.yml's fragments, one
// Lambda permission per member account, and the lists and strings organization.yml refers to.
// Every export is a Serverless variable resolver (`${file(rules/…/organization.js):name}`).

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS file Serverless loads
const { inputParameters } = require('./inputParameters');

const ORGANIZATION_YML = 'rules/iam-user-single-access-key/organization.yml';
/** The member execution role's name when organization=true and executionRoleName is not given. */
const DEFAULT_EXECUTION_ROLE_NAME = 'IamUserSingleAccessKeyExecution';
const ACCOUNT_ID = /^\d{12}$/;
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
// https://docs.aws.amazon.com/config/latest/APIReference/API_OrganizationConfigRule.html
const ORGANIZATION_RULE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const FREQUENCIES = ['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours'];
// https://docs.aws.amazon.com/config/latest/APIReference/API_OrganizationCustomRuleMetadata.html
const MAX_INPUT_PARAMETERS = 2048;

// A function's resource-based policy may hold at most 20 KB (Lambda quotas, not adjustable):
// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
const POLICY_LIMIT_BYTES = 20 * 1024;
// CloudFormation picks each statement id (stack name, logical id, random suffix); Lambda allows
// at most 100 characters (AddPermission StatementId), so the estimate assumes the longest.
const MAX_STATEMENT_ID = 100;

/** Logical id of the permission that lets Config in `accountId` invoke the function. */
const permissionId = (accountId) => `EvaluateConfigPermission${accountId}`;

function fail(message) {
  throw new Error(`Organization deployment: ${message}`);
}

async function flag(resolveVariable, name) {
  const value = String(await resolveVariable(`param:${name}`)).trim();
  if (value !== 'true' && value !== 'false') fail(`--param ${name} must be true or false, got ${JSON.stringify(value)}`);
  return value === 'true';
}

async function accountList(resolveVariable, name) {
  const value = String(await resolveVariable(`param:${name}`)).trim();
  const accounts = value === '' ? [] : value.split(',').map((account) => account.trim());
  const invalid = accounts.filter((account) => !ACCOUNT_ID.test(account));
  if (invalid.length > 0) fail(`--param ${name} must be comma-separated 12-digit account ids; not one: ${invalid.map((a) => JSON.stringify(a)).join(', ')}`);
  return [...new Set(accounts)];
}

/** The organization deploy options, checked; throws (and so stops packaging) naming the option. */
async function options(resolveVariable) {
  const organization = await flag(resolveVariable, 'organization');
  const aggregator = await flag(resolveVariable, 'aggregator');
  const memberAccounts = await accountList(resolveVariable, 'memberAccounts');
  const excludedAccounts = await accountList(resolveVariable, 'excludedAccounts');
  if (!organization) {
    if (memberAccounts.length > 0 || excludedAccounts.length > 0) {
      fail('memberAccounts and excludedAccounts apply only with --param organization=true');
    }
    return { organization, aggregator, memberAccounts, excludedAccounts };
  }
  // Remediation acts in the deploying account only (its Config rule, its roles); in an
  // organization deployment there is no account-level rule to attach it to.
  const remediation = String(await resolveVariable('param:remediation')).trim();
  if (remediation !== 'off') fail(`remediation runs in one account only: deploy with --param remediation=off (the default here), got ${JSON.stringify(remediation)}`);
  const ruleName = String(await resolveVariable('param:configRuleName'));
  if (!ORGANIZATION_RULE_NAME.test(ruleName)) fail(`--param configRuleName must be 1 to 64 letters, digits, - or _ for an organization rule, got ${JSON.stringify(ruleName)}`);
  const roleName = String(await resolveVariable('param:executionRoleName')).trim();
  if (!ROLE_NAME.test(roleName)) fail(`--param executionRoleName must be an IAM role name, got ${JSON.stringify(roleName)}`);
  const frequency = String(await resolveVariable('param:maximumExecutionFrequency'));
  if (!FREQUENCIES.includes(frequency)) fail(`--param maximumExecutionFrequency must be one of ${FREQUENCIES.join(', ')}, got ${JSON.stringify(frequency)}`);
  // Excluded accounts never run the rule, so Config there needs no permission.
  const invokingAccounts = memberAccounts.filter((account) => !excludedAccounts.includes(account));
  if (invokingAccounts.length === 0) fail('--param memberAccounts must list the accounts the rule runs in (comma-separated account ids)');
  const ceiling = await maxMemberAccounts(resolveVariable);
  if (invokingAccounts.length > ceiling) {
    fail(
      `${invokingAccounts.length} member accounts need more than the 20 KB a Lambda function's resource-based policy holds ` +
        `(at most ${ceiling} here). See README "Organization deployment" for larger organizations.`,
    );
  }
  return { organization, aggregator, memberAccounts: invokingAccounts, excludedAccounts };
}

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

/** Bytes of the function's policy with an invoke statement for each account, at the longest statement ids. */
function policyBytes(functionArn, accounts) {
  const policy = {
    Version: '2012-10-17',
    Id: 'default',
    Statement: accounts.map((account) => invokeStatement('x'.repeat(MAX_STATEMENT_ID), functionArn, account)),
  };
  return Buffer.byteLength(JSON.stringify(policy));
}

/**
 * How many member accounts fit in the function's policy beside the statement for this account
 * (EvaluateConfigPermission, kept in organization mode because the rule runs here too).
 */
async function maxMemberAccounts(resolveVariable) {
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  const region = String(await resolveVariable('self:provider.region'));
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const functionArn = `arn:${partition}:lambda:${region}:000000000000:function:${service}-${stage}-evaluate`;
  let accounts = 0;
  while (policyBytes(functionArn, Array(accounts + 2).fill('000000000000')) <= POLICY_LIMIT_BYTES) accounts += 1;
  return accounts;
}

/** Lambda permissions for Config in each member account, created one after another. */
function memberPermissions(memberAccounts) {
  const resources = {};
  let previous = 'EvaluateConfigPermission';
  for (const account of memberAccounts) {
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

/** serverless.yml's `resources` entry: the organization rule and the aggregator, when asked for. */
module.exports.resources = async ({ resolveVariable }) => {
  const { organization, aggregator, memberAccounts } = await options(resolveVariable);
  const fragment = { Resources: {}, Outputs: {} };
  const add = (part) => {
    Object.assign(fragment.Resources, part.Resources);
    Object.assign(fragment.Outputs, part.Outputs ?? {});
  };
  if (organization) {
    add(await resolveVariable(`file(${ORGANIZATION_YML}):organization`));
    add({ Resources: memberPermissions(memberAccounts) });
  }
  if (aggregator) add(await resolveVariable(`file(${ORGANIZATION_YML}):aggregator`));
  return fragment;
};

/** Default of executionRoleName: the member role in organization mode, none in one account. */
module.exports.defaultExecutionRoleName = async ({ resolveVariable }) =>
  (await flag(resolveVariable, 'organization')) ? DEFAULT_EXECUTION_ROLE_NAME : '';

/** Default of remediation: off in organization mode, manual in one account. */
module.exports.defaultRemediation = async ({ resolveVariable }) => ((await flag(resolveVariable, 'organization')) ? 'off' : 'manual');

/** What the organization rule waits for: Config in every account must be able to invoke the function. */
module.exports.invokePermissionIds = async ({ resolveVariable }) => {
  const { memberAccounts } = await options(resolveVariable);
  return ['EvaluateConfigPermission', ...memberAccounts.map(permissionId)];
};

/** The organization rule's ExcludedAccounts. */
module.exports.excludedAccounts = async ({ resolveVariable }) => (await options(resolveVariable)).excludedAccounts;

/** The organization rule's InputParameters: the rule parameters as one JSON string. */
module.exports.inputParametersJson = async (context) => {
  const json = JSON.stringify(await inputParameters(context));
  if (json.length > MAX_INPUT_PARAMETERS) fail(`the rule parameters take ${json.length} characters as JSON; an organization rule takes at most ${MAX_INPUT_PARAMETERS}`);
  return json;
};

/** The accounts whose execution role the function may assume: this one, or every account. */
module.exports.executionRoleAccount = async ({ resolveVariable }) =>
  (await flag(resolveVariable, 'organization')) ? '*' : '${AWS::AccountId}';
