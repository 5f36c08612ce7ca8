import { configRuleArn } from '../../../tools/fakeAws/configRuleArn';
import type { Template } from '../packageTemplate';

/**
 * Where a template is deployed: what CloudFormation's intrinsics resolve to there. Resources get
 * the physical names and ARNs CloudFormation or the service would give them (a name of their own,
 * else <stack>-<logical id>-<suffix>), so that a policy can be read as IAM reads it.
 */
export interface Placement {
  partition: string;
  region: string;
  accountId: string;
  stackName: string;
  /** Values of the template's Parameters; a parameter left out takes its Default. */
  parameters?: Record<string, string>;
}

type Properties = Record<string, unknown>;

/** A resource's Ref and Arn where it is placed. */
interface Physical {
  ref: string;
  arn?: string;
}

const SUFFIX = 'A1B2C3D4E5F6';

/** The name CloudFormation generates for a resource without one of its own, at most `limit` characters. */
const generatedName = (placement: Placement, logicalId: string, limit = 128) =>
  `${placement.stackName}-${logicalId}`.slice(0, limit - SUFFIX.length - 1) + `-${SUFFIX}`;

/**
 * How each resource type is named and identified, by Ref and Fn::GetAtt Arn: a resource type a
 * template gains needs a line here (the permission tests fail naming it otherwise).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html
 */
const PHYSICAL: Record<string, (id: string, properties: Properties, p: Placement) => Physical> = {
  'AWS::Lambda::Function': (id, properties, p) => {
    const name = (properties.FunctionName as string | undefined) ?? generatedName(p, id, 64);
    return { ref: name, arn: `arn:${p.partition}:lambda:${p.region}:${p.accountId}:function:${name}` };
  },
  'AWS::IAM::Role': (id, properties, p) => {
    const name = (properties.RoleName as string | undefined) ?? generatedName(p, id, 64);
    return { ref: name, arn: `arn:${p.partition}:iam::${p.accountId}:role${(properties.Path as string | undefined) ?? '/'}${name}` };
  },
  'AWS::Config::ConfigRule': (id, properties, p) => {
    const name = (properties.ConfigRuleName as string | undefined) ?? generatedName(p, id);
    return { ref: name, arn: configRuleArn(p.accountId, name, p.region, p.partition) };
  },
  'AWS::Config::OrganizationConfigRule': (_id, properties, p) => {
    const name = properties.OrganizationConfigRuleName as string;
    return { ref: name, arn: `arn:${p.partition}:config:${p.region}:${p.accountId}:organization-config-rule/${name}-a1b2c3d4` };
  },
  'AWS::Config::ConfigurationAggregator': (id, properties, p) => ({
    ref: (properties.ConfigurationAggregatorName as string | undefined) ?? generatedName(p, id),
  }),
  'AWS::Config::RemediationConfiguration': (id, _properties, p) => ({ ref: generatedName(p, id) }),
  'AWS::S3::Bucket': (id, properties, p) => {
    const name = (properties.BucketName as string | undefined) ?? generatedName(p, id, 63).toLowerCase();
    return { ref: name, arn: `arn:${p.partition}:s3:::${name}` };
  },
  'AWS::SSM::Document': (id, properties, p) => ({ ref: (properties.Name as string | undefined) ?? generatedName(p, id) }),
  'AWS::Logs::LogGroup': (id, properties, p) => {
    const name = (properties.LogGroupName as string | undefined) ?? generatedName(p, id);
    return { ref: name, arn: `arn:${p.partition}:logs:${p.region}:${p.accountId}:log-group:${name}:*` };
  },
  'AWS::DynamoDB::Table': (id, properties, p) => {
    const name = (properties.TableName as string | undefined) ?? generatedName(p, id, 255);
    return { ref: name, arn: `arn:${p.partition}:dynamodb:${p.region}:${p.accountId}:table/${name}` };
  },
  'AWS::CloudWatch::Alarm': (id, properties, p) => {
    const name = (properties.AlarmName as string | undefined) ?? generatedName(p, id, 255);
    return { ref: name, arn: `arn:${p.partition}:cloudwatch:${p.region}:${p.accountId}:alarm:${name}` };
  },
  // Ref of a topic is its ARN.
  'AWS::SNS::Topic': (id, properties, p) => {
    const arn = `arn:${p.partition}:sns:${p.region}:${p.accountId}:${(properties.TopicName as string | undefined) ?? generatedName(p, id, 256)}`;
    return { ref: arn, arn };
  },
  'AWS::SNS::Subscription': (id, _properties, p) => ({
    ref: `arn:${p.partition}:sns:${p.region}:${p.accountId}:${generatedName(p, id, 256)}:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`,
  }),
  'AWS::SNS::TopicPolicy': (id, _properties, p) => ({ ref: generatedName(p, id) }),
  'AWS::Events::Rule': (id, properties, p) => {
    const name = (properties.Name as string | undefined) ?? generatedName(p, id, 64);
    return { ref: name, arn: `arn:${p.partition}:events:${p.region}:${p.accountId}:rule/${name}` };
  },
  'AWS::CloudFormation::StackSet': (_id, properties) => ({
    ref: `${properties.StackSetName as string}:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`,
  }),
};

/** The pseudo parameters of a placement. https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html */
function pseudoParameters(p: Placement): Record<string, string> {
  return {
    'AWS::Partition': p.partition,
    'AWS::Region': p.region,
    'AWS::AccountId': p.accountId,
    'AWS::StackName': p.stackName,
    'AWS::URLSuffix': p.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
  };
}

/** Resolves the intrinsic functions of a template's values as CloudFormation would in one placement. */
export class PlacedTemplate {
  private readonly physical = new Map<string, Physical>();

  constructor(
    readonly template: Template,
    readonly placement: Placement,
  ) {}

  /** `value` with every Ref, Fn::GetAtt, Fn::Sub and Fn::Join resolved; an intrinsic it cannot resolve is an error naming it. */
  resolve(value: unknown, where = 'template'): unknown {
    if (Array.isArray(value)) return value.map((item, index) => this.resolve(item, `${where}[${index}]`));
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length === 1 && (entries[0]![0] === 'Ref' || entries[0]![0].startsWith('Fn::'))) {
      const [name, argument] = entries[0]!;
      return this.intrinsic(name, argument, where);
    }
    return Object.fromEntries(entries.map(([key, inner]) => [key, this.resolve(inner, `${where}.${key}`)]));
  }

  /** The value of `{ Ref: name }`. */
  ref(name: string, where = 'template'): string {
    const pseudo = pseudoParameters(this.placement);
    if (Object.hasOwn(pseudo, name)) return pseudo[name]!;
    const parameter = this.template.Parameters?.[name] as { Default?: unknown } | undefined;
    if (parameter) {
      const value = this.placement.parameters?.[name] ?? parameter.Default;
      if (value === undefined) throw new Error(`${where}: parameter ${name} has no value in this placement and no Default`);
      return String(value);
    }
    return this.physicalOf(name, where).ref;
  }

  /** The value of `{ "Fn::GetAtt": [logicalId, "Arn"] }`. */
  arn(logicalId: string, where = 'template'): string {
    const { arn } = this.physicalOf(logicalId, where);
    if (arn === undefined)
      throw new Error(
        `${where}: no Arn for ${logicalId} (${this.template.Resources[logicalId]?.Type}): add it to test/support/iam/placement.ts`,
      );
    return arn;
  }

  private physicalOf(logicalId: string, where: string): Physical {
    let found = this.physical.get(logicalId);
    if (found) return found;
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`${where}: refers to ${logicalId}, which the template does not hold`);
    const name = PHYSICAL[resource.Type];
    if (!name)
      throw new Error(`${where}: no physical name for ${resource.Type} (${logicalId}): add the type to test/support/iam/placement.ts`);
    found = name(logicalId, this.resolve(resource.Properties ?? {}, logicalId) as Properties, this.placement);
    this.physical.set(logicalId, found);
    return found;
  }

  private intrinsic(name: string, argument: unknown, where: string): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(argument as string, where);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument) ? (argument as string[]) : String(argument).split('.');
        if (attribute !== 'Arn') throw new Error(`${where}: Fn::GetAtt ${logicalId}.${attribute} is not supported here (only Arn)`);
        return this.arn(logicalId!, where);
      }
      case 'Fn::Join': {
        const [separator, items] = argument as [string, unknown[]];
        return (this.resolve(items, where) as unknown[]).map(String).join(separator);
      }
      case 'Fn::Sub': {
        const [text, variables] = Array.isArray(argument) ? (argument as [string, Record<string, unknown>]) : [argument as string, {}];
        const values = this.resolve(variables ?? {}, where) as Record<string, unknown>;
        return text.replace(/\$\{([^!}][^}]*)\}/g, (_, variable: string) => {
          if (Object.hasOwn(values, variable)) return String(values[variable]);
          const [logicalId, attribute] = variable.split('.');
          if (attribute === undefined) return this.ref(logicalId!, where);
          if (attribute !== 'Arn') throw new Error(`${where}: \${${variable}} is not supported here (only .Arn)`);
          return this.arn(logicalId!, where);
        });
      }
      default:
        throw new Error(`${where}: ${name} is not supported here: add it to test/support/iam/placement.ts`);
    }
  }
}
