import { expect } from 'chai';
import { InvalidParameterError } from '../../src/config/errors';
import { splitRuntimeParameters } from '../../src/config/runtimeParameters';
import { ACCESS_KEY_DEPLOYMENT, ACCESS_KEY_OPTIONS } from '../../src/iam-user-single-access-key/options';
import { parseAccessKeyRuleParameters, PARAMETER_NAMES } from '../../src/iam-user-single-access-key/parameters';
import { checkDeployOptions } from '../../src/options/checkDeployOptions';
import { RUNTIME_PARAMETERS } from '../../src/options/runtimeOptions';
import { DEPLOYMENT_MODES, ORGANIZATION, STACK_SET } from '../support/deploymentModes';

// The packaging step's check of the deploy options, called directly (test/deployment/ runs it
// through `serverless package`).

const check = (given: Record<string, string>) => checkDeployOptions(ACCESS_KEY_DEPLOYMENT, given);
const names = (count: number) => Array.from({ length: count }, (_, index) => `service-user-${index}`).join(',');

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:alarms';

describe('checkDeployOptions (the iam-user-single-access-key options)', () => {
  for (const [mode, given] of Object.entries(DEPLOYMENT_MODES)) {
    it(`accepts the options of ${mode}`, () => {
      expect(check(given).errors).to.deep.equal([]);
    });
  }

  it('gives every option its default, and the rule parameters with a value as InputParameters', () => {
    // Act
    const { texts, inputParameters, values } = check({});

    // Assess
    expect(texts).to.include({
      maxAccessKeys: '1',
      remediation: 'manual',
      executionRoleName: '',
      sweepConcurrency: '32',
      logLevel: 'INFO',
    });
    expect(inputParameters).to.deep.equal({
      maxAccessKeys: '1',
      countInactiveKeys: 'false',
      rotationGraceHours: '0',
      recordUnchanged: 'false',
    });
    expect(values).to.include({ organization: false, remediation: 'manual', sweepConcurrency: 32 });
  });

  it('defaults remediation to off and the execution role to the member role in organization mode', () => {
    const { texts, inputParameters } = check(ORGANIZATION);
    expect(texts).to.include({ remediation: 'off', executionRoleName: 'IamUserSingleAccessKeyExecution' });
    expect(inputParameters).to.include({ executionRoleName: 'IamUserSingleAccessKeyExecution' });
  });

  it('keeps account-rule defaults with organization=stackset: remediation manual, no execution role, callAs SELF', () => {
    // Act
    const { texts, values, inputParameters } = check(STACK_SET);

    // Assess
    expect(texts).to.include({ remediation: 'manual', executionRoleName: '', callAs: 'SELF' });
    expect(values).to.deep.include({
      organization: 'stackset',
      organizationId: 'o-a1b2c3d4e5',
      deploymentTargets: ['r-a1b2', 'ou-a1b2-c3d4e5f6'],
    });
    expect(inputParameters).to.deep.equal({
      maxAccessKeys: '1',
      countInactiveKeys: 'false',
      rotationGraceHours: '0',
      recordUnchanged: 'false',
    });
  });

  it('takes organization as false, true (in any case, like a flag) or stackset', () => {
    expect(['false', 'TRUE', 'stackset'].map((text) => ACCESS_KEY_OPTIONS.organization.kind.parse(text))).to.deep.equal([
      false,
      true,
      'stackset',
    ]);
  });

  it('trims values and takes an empty value as the default', () => {
    const { texts, inputParameters } = check({ maxAccessKeys: ' 2 ', exemptTag: '  ' });
    expect(texts).to.include({ maxAccessKeys: '2', exemptTag: '' });
    expect(inputParameters).to.deep.equal({
      maxAccessKeys: '2',
      countInactiveKeys: 'false',
      rotationGraceHours: '0',
      recordUnchanged: 'false',
    });
  });

  const refused: [string, Record<string, string>, string[]][] = [
    [
      'a misspelt option, naming the closest',
      { maxAccesKeys: '2' },
      [`--param maxAccesKeys: unknown option; did you mean maxAccessKeys? options: ${Object.keys(ACCESS_KEY_OPTIONS).join(', ')}`],
    ],
    [
      'a misspelt remediation option',
      { remediationActon: 'Delete' },
      ['--param remediationActon: unknown option; did you mean remediationAction? options: '],
    ],
    [
      '__proto__ like any unknown name, with no far-fetched suggestion',
      JSON.parse('{"__proto__": "1"}') as Record<string, string>,
      ['--param __proto__: unknown option; options: '],
    ],
    ['a word for a number', { maxAccessKeys: 'two' }, ['--param maxAccessKeys: expected a whole number from 1 to 100, got "two"']],
    [
      'a boolean that is not true or false',
      { countInactiveKeys: 'yes' },
      ['--param countInactiveKeys: expected "true" or "false", got "yes"'],
    ],
    ['a negative grace', { rotationGraceHours: '-5' }, ['--param rotationGraceHours: expected a whole number from 0 to 8760, got "-5"']],
    [
      'a grace over a year',
      { rotationGraceHours: '9007199254740991' },
      ['--param rotationGraceHours: expected a whole number from 0 to 8760, got "9007199254740991"'],
    ],
    [
      'a tag with an empty key',
      { exemptTag: '=x' },
      ['--param exemptTag: expected "key" or "key=value" with a key of 1 to 128 characters, got "=x"'],
    ],
    [
      'an unknown log level',
      { logLevel: 'VERBOSE' },
      ['--param logLevel: expected one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT, got "VERBOSE"'],
    ],
    ['a sweep concurrency of 0', { sweepConcurrency: '0' }, ['--param sweepConcurrency: expected a whole number from 1 to 256, got "0"']],
    [
      'a sweep concurrency that is no number, naming the option (not SWEEP_CONCURRENCY)',
      { sweepConcurrency: 'abc' },
      ['--param sweepConcurrency: expected a whole number from 1 to 256, got "abc"'],
    ],
    [
      'a frequency Config does not know, outside organization mode too',
      { maximumExecutionFrequency: '1h' },
      ['--param maximumExecutionFrequency: expected one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours, got "1h"'],
    ],
    ['a user name with a slash', { exemptUserNames: 'ops/alice' }, ['--param exemptUserNames: "ops/alice" is not an IAM user name']],
    [
      'an execution role name with a path',
      { executionRoleName: 'team/Reader' },
      ['--param executionRoleName: "team/Reader" is not an IAM role name'],
    ],
    [
      'a malformed member account',
      { ...ORGANIZATION, memberAccounts: '111111111111,12345' },
      ['--param memberAccounts: "12345" is not a 12-digit AWS account id'],
    ],
    [
      'a retention CloudWatch Logs does not offer',
      { logRetentionInDays: '100' },
      [
        '--param logRetentionInDays: expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got "100"',
      ],
    ],
    ["a timeout over Lambda's 900 seconds", { timeout: '901' }, ['--param timeout: expected a whole number from 1 to 900, got "901"']],
    [
      'automatic Deactivate when inactive keys count',
      { remediation: 'automatic', countInactiveKeys: 'true' },
      [
        '--param remediation=automatic with countInactiveKeys=true and remediationAction=Deactivate: deactivated keys still count, so remediation cannot make those users compliant; use remediationAction=Delete or countInactiveKeys=false',
      ],
    ],
    [
      'member accounts without organization=true',
      { memberAccounts: '111111111111' },
      ['--param memberAccounts: applies only with --param organization=true'],
    ],
    [
      'excluded accounts without organization=true',
      { excludedAccounts: '111111111111' },
      ['--param excludedAccounts: applies only with --param organization=true'],
    ],
    [
      'organization mode without member accounts',
      { organization: 'true' },
      ['--param memberAccounts: organization=true needs the accounts the rule runs in'],
    ],
    [
      'organization mode with only excluded members',
      { ...ORGANIZATION, excludedAccounts: '111111111111,222222222222' },
      ['--param memberAccounts: organization=true needs the accounts the rule runs in'],
    ],
    [
      'remediation in organization mode',
      { ...ORGANIZATION, remediation: 'manual' },
      ['--param remediation=manual: remediation runs in one account only; with organization=true use remediation=off'],
    ],
    [
      'a rule name an organization rule cannot have',
      { ...ORGANIZATION, configRuleName: 'CIS 1.13' },
      ['--param configRuleName="CIS 1.13": an organization rule name is 1 to 64 letters, digits, - or _'],
    ],
    [
      'automatic-remediation tuning without automatic remediation',
      { remediationMaximumAutomaticAttempts: '3' },
      ['--param remediationMaximumAutomaticAttempts: applies only with --param remediation=automatic'],
    ],
    [
      'a remediation action with remediation off',
      { remediation: 'off', remediationAction: 'Delete' },
      ['--param remediationAction: applies only with remediation manual or automatic, not off'],
    ],
    [
      'about 300 exempt user names, beyond the 1,024 characters of InputParameters',
      { exemptUserNames: names(300) },
      [
        'The rule parameters take 5110 characters as JSON (InputParameters), more than the 1024 this Config rule takes; the longest is exemptUserNames (4989 characters)',
      ],
    ],
    [
      'rule parameters beyond the 2,048 characters of an organization rule',
      { ...ORGANIZATION, exemptUserNames: names(200) },
      ['more than the 2048 this Config rule takes'],
    ],
    [
      'rule parameters beyond the 1,024 characters of the account rules a StackSet deploys',
      { ...STACK_SET, exemptUserNames: names(100) },
      ['more than the 1024 this Config rule takes'],
    ],
    [
      'an organization mode that does not exist',
      { organization: 'stacksets' },
      ['--param organization: expected "false", "true" or "stackset", got "stacksets"'],
    ],
    [
      'a StackSet without the organization id or the targets',
      { organization: 'stackset' },
      [
        "--param organizationId: organization=stackset needs the organization's id",
        '--param deploymentTargets: organization=stackset needs the roots or OUs to deploy to',
      ],
    ],
    [
      'an organization id with capitals',
      { ...STACK_SET, organizationId: 'o-A1B2C3D4E5' },
      ['--param organizationId: "o-A1B2C3D4E5" is not an organization id (o- and 10 to 32 lower-case letters or digits)'],
    ],
    [
      'an organization id of 9 characters',
      { ...STACK_SET, organizationId: 'o-a1b2c3d4e' },
      ['--param organizationId: "o-a1b2c3d4e" is not an organization id'],
    ],
    [
      'an account id as a deployment target',
      { ...STACK_SET, deploymentTargets: 'r-a1b2,111111111111' },
      ['--param deploymentTargets: "111111111111" is not a root id (r-…) or an organizational unit id (ou-…-…)'],
    ],
    [
      'an OU id without its second part',
      { ...STACK_SET, deploymentTargets: 'ou-a1b2' },
      ['--param deploymentTargets: "ou-a1b2" is not a root id'],
    ],
    [
      'a callAs in lower case',
      { ...STACK_SET, callAs: 'delegated_admin' },
      ['--param callAs: expected one of SELF, DELEGATED_ADMIN, got "delegated_admin"'],
    ],
    [
      'member accounts with a StackSet',
      { ...STACK_SET, memberAccounts: '111111111111' },
      ['--param memberAccounts: applies only with --param organization=true'],
    ],
    [
      'excluded accounts with a StackSet',
      { ...STACK_SET, excludedAccounts: '111111111111' },
      ['--param excludedAccounts: applies only with --param organization=true'],
    ],
    [
      'StackSet targets with the organization rule',
      { ...ORGANIZATION, deploymentTargets: 'r-a1b2' },
      ['--param deploymentTargets: applies only with --param organization=stackset'],
    ],
    ['callAs in one account', { callAs: 'SELF' }, ['--param callAs: applies only with --param organization=stackset']],
    [
      'an alarm topic without alarms',
      { alarms: 'false', alarmTopicArn: TOPIC },
      ['--param alarmTopicArn: applies only with --param alarms=true'],
    ],
    [
      'a topic to create and one to notify',
      { notificationEmail: 'a@example.com', notificationTopicArn: TOPIC },
      ['--param notificationEmail and notificationTopicArn: give one'],
    ],
    ['notifyCompliant without notifications', { notifyCompliant: 'true' }, ['--param notifyCompliant: applies only with']],
    [
      'notifications with the organization rule',
      { ...ORGANIZATION, notificationEmail: 'a@example.com' },
      ["with organization=true each member account's compliance changes stay in that account"],
    ],
    [
      "one account's topics for every StackSet member",
      { ...STACK_SET, alarmTopicArn: TOPIC, notificationTopicArn: TOPIC },
      [
        "--param alarmTopicArn: with organization=stackset every member account would notify one account's topic",
        "--param notificationTopicArn: with organization=stackset every member account would notify one account's topic",
      ],
    ],
    [
      'a FIFO topic',
      { alarmTopicArn: `${TOPIC}.fifo` },
      ['--param alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:alarms.fifo" is not an SNS topic ARN'],
    ],
    ['a topic name as its ARN', { notificationTopicArn: 'alarms' }, ['--param notificationTopicArn: "alarms" is not an SNS topic ARN']],
    [
      'an address with a display name',
      { notificationEmail: 'Sec <sec@example.com>' },
      ['--param notificationEmail: "Sec <sec@example.com>" is not an e-mail address'],
    ],
  ];
  for (const [what, given, messages] of refused) {
    it(`refuses ${what}, one line per error`, () => {
      // Act
      const { errors } = check(given);

      // Assess
      expect(errors).to.have.length(messages.length);
      errors.forEach((error, index) => {
        expect(error).to.include(messages[index]);
        expect(error).not.to.include('\n');
      });
    });
  }

  it('reports every bad value at once, each on its line', () => {
    const { errors } = check({
      maxAccessKeys: 'two',
      countInactiveKeys: 'yes',
      rotationGraceHours: '-5',
      logLevel: 'VERBOSE',
      sweepConcurrency: '0',
    });
    expect(errors.map((error) => error.split(':')[0])).to.deep.equal([
      '--param maxAccessKeys',
      '--param countInactiveKeys',
      '--param rotationGraceHours',
      '--param sweepConcurrency',
      '--param logLevel',
    ]);
  });

  it('takes up to 1,024 characters of InputParameters in one account and 2,048 in an organization', () => {
    // Prepare: the longest list that fits each limit
    const fitting = (limit: number, given: Record<string, string>) => {
      let count = 0;
      while (JSON.stringify(check({ ...given, exemptUserNames: names(count + 1) }).inputParameters).length <= limit) count += 1;
      return count;
    };

    // Act
    const single = fitting(1024, {});
    const organization = fitting(2048, ORGANIZATION);

    // Assess
    expect(check({ exemptUserNames: names(single) }).errors).to.deep.equal([]);
    expect(check({ exemptUserNames: names(single + 1) }).errors).to.have.length(1);
    expect(check({ ...ORGANIZATION, exemptUserNames: names(organization) }).errors).to.deep.equal([]);
    expect(check({ ...ORGANIZATION, exemptUserNames: names(organization + 1) }).errors).to.have.length(1);
  });

  it('has a valid default for every option', () => {
    for (const [name, definition] of Object.entries(ACCESS_KEY_OPTIONS)) {
      expect(() => definition.default.trim() === '' || definition.kind.parse(definition.default), name).not.to.throw();
    }
  });

  describe('the same text is valid at package time exactly when the function accepts it', () => {
    const samples = [
      '1',
      '0',
      '2',
      '100',
      '101',
      '8760',
      '8761',
      '-1',
      '1.5',
      '1e2',
      'two',
      'true',
      'TRUE',
      'false',
      'yes',
      '',
      ' ',
      'ci-bot,legacy',
      'ops/alice',
      '=x',
      'k=v',
      'k'.repeat(129),
      'IamReader',
    ];
    for (const name of [...PARAMETER_NAMES, ...RUNTIME_PARAMETERS]) {
      it(`for ${name}`, () => {
        for (const text of [...samples, 'team/Reader', 'r'.repeat(64), 'r'.repeat(65), 'a+b=c,d.e@f-g']) {
          // Act
          const atPackage = check({ [name]: text }).errors.filter((error) => error.startsWith(`--param ${name}:`));
          const atRuntime = (() => {
            try {
              // The runtime's own parameters are parsed by the runtime, the rule's by the rule.
              if (RUNTIME_PARAMETERS.includes(name)) splitRuntimeParameters({ [name]: text });
              else parseAccessKeyRuleParameters({ [name]: text });
              return undefined;
            } catch (error) {
              expect(error).to.be.instanceOf(InvalidParameterError);
              return error as InvalidParameterError;
            }
          })();

          // Assess
          expect(atPackage.length === 0, `${name}=${JSON.stringify(text)}`).to.equal(atRuntime === undefined);
          if (atRuntime) expect(atPackage[0]).to.include(atRuntime.message.split(': ').slice(1).join(': '));
        }
      });
    }
  });
});
