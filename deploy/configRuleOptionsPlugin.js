'use strict';

// A local Serverless plugin that checks every deploy option before anything reaches AWS.
// Serverless loads plugins before it resolves ${param:...}, so the constructor sees the raw
// options and can fail with one line per error; an error thrown from a variable resolver would
// come with the resolver's stack trace. The constructor also sets each option's default (from the
// definition, so serverless.yml repeats none) and a hook checks the resolved resources against the
// region. serverless.yml names the definition: custom.configRule.options (a TypeScript file under
// src/) and custom.configRule.definition (its DeployDefinition export).

const { loadDefinition, rememberGivenOptions } = require('./loadDefinition');
const { maxMemberAccounts, organizationCoverage } = require('./organization');
const { unavailableResources } = require('./regionalAvailability');
const { misplacedTopics, silentAlarms } = require('./snsTopics');
const { deriveStackSet } = require('./stackSet');

// On Node < 22 the AWS SDK that Serverless deploys with prints seven lines (its releases after
// January 2027 need Node 22) before anything useful; the README says to deploy with Node 22.
// Set when Serverless loads this plugin, before it makes its first client; `=false` shows it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const isUnresolved = (value) => typeof value === 'string' && value.includes('${');

/** The stage whose serverless.yml `params` apply: --stage, else provider.stage when it is plain text, else dev. */
function stageOf(configuration, cliOptions) {
  const stageOption = cliOptions.stage ?? configuration.provider?.stage;
  return typeof stageOption === 'string' && !isUnresolved(stageOption) ? stageOption : 'dev';
}

/** The options given: serverless.yml `params` (default, then the stage's), then each --param; own keys only. */
function givenOptions(configuration, cliOptions, errors) {
  const given = Object.create(null);
  const stage = stageOf(configuration, cliOptions);
  for (const source of [configuration.params?.default, configuration.params?.[stage]]) {
    for (const [name, value] of Object.entries(source ?? {})) if (value != null) given[name] = String(value);
  }
  for (const item of [cliOptions.param ?? []].flat()) {
    // The form Serverless's param source accepts: name=value, value not empty (it refuses `name=`).
    const match = /^(?<name>[^=]+)=(?<value>.*)$/s.exec(item);
    if (!match) errors.push(`--param ${JSON.stringify(item)}: expected name=value`);
    else if (match.groups.value.trim() === '')
      errors.push(`--param ${JSON.stringify(item)}: Serverless takes no empty --param; leave ${match.groups.name} out for its default`);
    else given[match.groups.name] = match.groups.value.trimEnd();
  }
  return given;
}

/** The option names serverless.yml's params set (default, then the stage's). */
function configurationParamNames(configuration, stage) {
  return [...new Set([configuration.params?.default, configuration.params?.[stage]].flatMap((source) => Object.keys(source ?? {})))];
}

class ConfigRuleOptionsPlugin {
  constructor(serverless, cliOptions, { log }) {
    this.serverless = serverless;
    // osls gives each plugin listed in serverless.yml its logger (notice, warning, …).
    this.log = log;
    const configuration = serverless.configurationInput;
    this.settings = configuration.custom?.configRule ?? {};
    const { options: file, definition: exportName } = this.settings;
    if (!file || !exportName)
      throw new serverless.classes.Error('custom.configRule.options and custom.configRule.definition must name the rule option definition');
    const { definition, checkDeployOptions } = loadDefinition(file, exportName);
    const errors = [];
    const given = givenOptions(configuration, cliOptions, errors);
    // A value still holding a variable (${ssm:...}) is checked once resolved, by the resolvers.
    const known = Object.fromEntries(Object.entries(given).filter(([, value]) => !isUnresolved(value)));
    const check = checkDeployOptions(definition, known);
    errors.push(...check.errors);
    if (errors.length > 0) throw new serverless.classes.Error(errors.join('\n'));
    rememberGivenOptions(Object.keys(given).filter((name) => given[name].trim() !== ''));
    this.checked = {
      definition,
      values: check.values,
      given: known,
      configurationParams: configurationParamNames(configuration, stageOf(configuration, cliOptions)),
    };
    configuration.params = { ...configuration.params, default: { ...check.texts, ...configuration.params?.default } };
    this.hooks = {
      'before:package:initialize': () => {
        this.checkResources();
        this.printNotices();
      },
      // After the functions are compiled and the resources merged, before the template is saved.
      'before:aws:package:finalize:saveServiceState': () => this.deriveStackSet(),
    };
  }

  /** Checks what only the resolved resources tell: the region offers each, the function policy holds each permission. */
  checkResources() {
    const { service } = this.serverless;
    const resources = service.resources?.Resources ?? {};
    const region = service.provider.region;
    const errors = [...unavailableResources(resources, region), ...misplacedTopics(resources, region)];
    const functionName = service.getFunction(this.settings.function ?? 'evaluate').name;
    const members = Object.values(resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Permission' && typeof resource.Properties?.SourceAccount === 'string',
    );
    const ceiling = maxMemberAccounts(functionName, region);
    if (members.length > ceiling) {
      errors.push(
        `--param memberAccounts: ${members.length} member accounts need more than the 20 KB a Lambda function's resource-based policy holds ` +
          `(at most ${ceiling} here); see docs/organization.md "How many accounts one function serves" for larger organizations`,
      );
    }
    if (errors.length > 0) throw new this.serverless.classes.Error(errors.join('\n'));
  }

  /** Says which accounts an organization mode leaves without the rule (and how to cover the management account), and which alarms notify nobody. */
  printNotices() {
    const { definition, values, given, configurationParams } = this.checked;
    const { stage, region } = this.serverless.service.provider;
    const maxMembers = maxMemberAccounts(this.serverless.service.getFunction(this.settings.function ?? 'evaluate').name, region);
    const coverage = organizationCoverage({ values, given, options: definition.options, stage, region, maxMembers, configurationParams });
    if (coverage) this.log[coverage.level](coverage.lines.join('\n'));
    const silent = silentAlarms(this.serverless.service.resources?.Resources);
    if (silent.length > 0)
      this.log.notice(
        `The alarms (${silent.join(', ')}) notify nobody: they show in the CloudWatch console only. ` +
          'alarmTopicArn, notificationEmail or notificationTopicArn sends them to SNS (docs/monitoring.md).',
      );
  }

  /** organization=stackset (custom.configRule.stackSet set): the StackSet's member template and the bucket's read access, from the compiled template. */
  deriveStackSet() {
    const settings = this.serverless.service.custom?.configRule?.stackSet;
    if (!settings) return;
    const { errors } = deriveStackSet(this.serverless.service.provider.compiledCloudFormationTemplate, settings);
    if (errors.length > 0) throw new this.serverless.classes.Error(errors.join('\n'));
  }
}

module.exports = ConfigRuleOptionsPlugin;
