import { flag, matching, type OptionKind, OptionValueError, oneOf } from './OptionKind';

// The values AWS takes for the options every Config rule of this project has, each from the AWS
// reference that defines it.

// https://docs.aws.amazon.com/config/latest/APIReference/API_SourceDetail.html (MaximumExecutionFrequency)
export const FREQUENCIES = ['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours'] as const;
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
// https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html (ConfigRuleName)
export const RULE_NAME = /^(?=.*\S).{1,128}$/;
// https://docs.aws.amazon.com/config/latest/APIReference/API_OrganizationConfigRule.html (OrganizationConfigRuleName)
export const ORGANIZATION_RULE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
export const RETENTION_DAYS = [
  '1',
  '3',
  '5',
  '7',
  '14',
  '30',
  '60',
  '90',
  '120',
  '150',
  '180',
  '365',
  '400',
  '545',
  '731',
  '1096',
  '1827',
  '2192',
  '2557',
  '2922',
  '3288',
  '3653',
] as const;
// Powertools for AWS Lambda (TypeScript) logger levels (POWERTOOLS_LOG_LEVEL).
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html (Id)
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
// A root or an OU, as a StackSet's DeploymentTargets takes them:
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Parent.html (Id)
export const DEPLOYMENT_TARGET = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

// https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name: 1 to 256 letters, digits, - or _; .fifo for FIFO
// topics, which neither CloudWatch alarms nor this project's notifications use)
export const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;
// An e-mail address as SNS's email protocol takes it: one address, no display name.
// https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html (Endpoint)
export const EMAIL_ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

// https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html (InputParameters: 1 to 1,024 characters)
export const MAX_INPUT_PARAMETERS = 1024;
// https://docs.aws.amazon.com/config/latest/APIReference/API_OrganizationCustomRuleMetadata.html (InputParameters: up to 2,048 characters)
export const MAX_ORGANIZATION_INPUT_PARAMETERS = 2048;

/** An IAM role name. */
export const roleName = matching(ROLE_NAME, 'an IAM role name');

/** A standard SNS topic's ARN. */
export const snsTopicArn = matching(SNS_TOPIC_ARN, 'an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>, not .fifo)');

/** One e-mail address. */
export const emailAddress = matching(EMAIL_ADDRESS, 'an e-mail address');

/** A 12-digit AWS account id. */
export const accountId = matching(/^\d{12}$/, 'a 12-digit AWS account id');

/** How the rule reaches an organization: not at all, one organization rule (`true`), or a StackSet of account rules. */
export type OrganizationMode = false | true | 'stackset';

/** `false`, `true` (any case, as a flag) or `stackset`. */
export const organizationMode: OptionKind<OrganizationMode> = {
  expected: 'false, true or stackset',
  parse(text) {
    if (text === 'stackset') return 'stackset';
    try {
      return flag.parse(text);
    } catch {
      throw new OptionValueError(`expected "false", "true" or "stackset", got ${JSON.stringify(text)}`);
    }
  },
};

/** A Config rule's periodic schedule. */
export const frequency = oneOf(FREQUENCIES);
