'use strict';

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
const invokingAccounts = (memberAccounts, excludedAccounts) => (memberAccounts ?? []).filter((account) => !(excludedAccounts ?? []).includes(account));

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
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const functionArn = `arn:${partition}:lambda:${region}:000000000000:function:${functionName}`;
  const bytes = (count) =>
    Buffer.byteLength(
      JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: Array.from({ length: count }, () => invokeStatement('x'.repeat(MAX_STATEMENT_ID), functionArn, '000000000000')) }),
    );
  let accounts = 0;
  while (bytes(accounts + 2) <= POLICY_LIMIT_BYTES) accounts += 1;
  return accounts;
}

module.exports = { permissionId, invokingAccounts, memberPermissions, executionRoleArns, maxMemberAccounts };
