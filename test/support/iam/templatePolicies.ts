import type { Template } from '../packageTemplate';
import type { PlacedTemplate } from './placement';

/** An IAM policy statement. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

/** How a policy takes effect: attached to a role (identity), a role's trust policy, or a resource's policy. */
export type PolicyKind = 'identity' | 'trust' | 'resource';

/** A policy a template creates, its intrinsics resolved in a placement. */
export interface TemplatePolicy {
  /** Where it is, for messages: "RemediateFunctionRole policy read-rule-parameters". */
  name: string;
  kind: PolicyKind;
  /** The logical id of the role it is attached to (identity), the role it trusts for (trust), or the resource it guards (resource). */
  owner: string;
  document: PolicyDocument;
}

type Properties = Record<string, unknown>;
type Resource = Template['Resources'][string];

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The logical id a `{ Ref: id }` or `{ "Fn::GetAtt": [id, …] }` names. */
function logicalIdOf(value: unknown, where: string): string {
  const object = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown } | undefined;
  if (typeof object?.Ref === 'string') return object.Ref;
  const getAtt = object?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  throw new Error(`${where}: expected a Ref or Fn::GetAtt of a resource of the template, found ${JSON.stringify(value)}`);
}

function documentOf(placed: PlacedTemplate, document: unknown, where: string): PolicyDocument {
  const resolved = placed.resolve(document, where) as { Version?: string; Statement: PolicyStatement | PolicyStatement[] };
  return { Version: resolved.Version ?? '2012-10-17', Statement: asList(resolved.Statement) };
}

/**
 * The statement Lambda stores for an AWS::Lambda::Permission, as `aws lambda get-policy` shows it:
 * SourceAccount and SourceArn become AWS:SourceAccount and AWS:SourceArn conditions, PrincipalOrgID
 * aws:PrincipalOrgID. https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
 */
function lambdaPermissionStatement(placed: PlacedTemplate, id: string, properties: Properties): PolicyStatement {
  const p = placed.resolve(properties, id) as Record<string, string>;
  const functionArn = p.FunctionName!.startsWith('arn:')
    ? p.FunctionName!
    : `arn:${placed.placement.partition}:lambda:${placed.placement.region}:${placed.placement.accountId}:function:${p.FunctionName}`;
  const principal = p.Principal!;
  const condition: Record<string, Record<string, string>> = {};
  if (p.SourceAccount) (condition.StringEquals ??= {})['AWS:SourceAccount'] = p.SourceAccount;
  if (p.PrincipalOrgID) (condition.StringEquals ??= {})['aws:PrincipalOrgID'] = p.PrincipalOrgID;
  if (p.SourceArn) condition.ArnLike = { 'AWS:SourceArn': p.SourceArn };
  return {
    Sid: id,
    Effect: 'Allow',
    Principal: principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal },
    Action: p.Action!,
    Resource: functionArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/**
 * The holder of a resource type whose PolicyDocument applies to each resource `property` names
 * (one Ref, or a list): a role it is attached to, the bucket or topic it guards.
 */
function policyOfEach(
  property: string,
  kind: PolicyKind,
  nameOf: (id: string, owner: string, properties: Properties) => string,
): (placed: PlacedTemplate, id: string, properties: Properties) => TemplatePolicy[] {
  return (placed, id, properties) =>
    asList(properties[property]).map((reference) => {
      const owner = logicalIdOf(reference, `${id}.${property}`);
      return { name: nameOf(id, owner, properties), kind, owner, document: documentOf(placed, properties.PolicyDocument, id) };
    });
}

/**
 * The policies each resource type holds. A resource type with a policy that a template gains
 * needs a line here; a type not listed holds none.
 */
const HOLDERS: Record<string, (placed: PlacedTemplate, id: string, properties: Properties) => TemplatePolicy[]> = {
  'AWS::IAM::Role': (placed, id, properties) => [
    {
      name: `${id} trust policy`,
      kind: 'trust',
      owner: id,
      document: documentOf(placed, properties.AssumeRolePolicyDocument, `${id}.AssumeRolePolicyDocument`),
    },
    ...asList(properties.Policies as { PolicyName: string; PolicyDocument: unknown }[]).map((policy) => ({
      name: `${id} policy ${policy.PolicyName}`,
      kind: 'identity' as const,
      owner: id,
      document: documentOf(placed, policy.PolicyDocument, `${id} policy ${policy.PolicyName}`),
    })),
  ],
  'AWS::IAM::RolePolicy': policyOfEach('RoleName', 'identity', (id, owner, p) => `${id} (policy ${p.PolicyName as string} of ${owner})`),
  'AWS::IAM::Policy': policyOfEach('Roles', 'identity', (id, owner, p) => `${id} (policy ${p.PolicyName as string} of ${owner})`),
  'AWS::IAM::ManagedPolicy': policyOfEach('Roles', 'identity', (id, owner) => `${id} (managed policy of ${owner})`),
  'AWS::S3::BucketPolicy': policyOfEach('Bucket', 'resource', (id, owner) => `${id} (policy of bucket ${owner})`),
  'AWS::SNS::TopicPolicy': policyOfEach('Topics', 'resource', (id, owner) => `${id} (policy of topic ${owner})`),
  'AWS::Lambda::Permission': (placed, id, properties) => {
    const fn = logicalIdOf(properties.FunctionName, `${id}.FunctionName`);
    return [
      {
        name: `${id} (permission in the policy of ${fn})`,
        kind: 'resource',
        owner: fn,
        document: { Version: '2012-10-17', Statement: [lambdaPermissionStatement(placed, id, properties)] },
      },
    ];
  },
};

/** Every policy the template creates, in template order, resolved where `placed` puts it. */
export function policiesOf(placed: PlacedTemplate): TemplatePolicy[] {
  return Object.entries(placed.template.Resources).flatMap(
    ([id, resource]: [string, Resource]) => HOLDERS[resource.Type]?.(placed, id, resource.Properties ?? {}) ?? [],
  );
}

/** A function's resource-based policy: the statements of all its Lambda permissions, as Lambda keeps them. */
export function functionPolicy(policies: TemplatePolicy[], functionId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: policies
      .filter((policy) => policy.kind === 'resource' && policy.owner === functionId)
      .flatMap((policy) => policy.document.Statement),
  };
}

/** The policies attached to a role (its own and AWS::IAM::RolePolicy / Policy / ManagedPolicy naming it). */
export function rolePolicies(policies: TemplatePolicy[], roleId: string): TemplatePolicy[] {
  return policies.filter((policy) => policy.kind === 'identity' && policy.owner === roleId);
}

/** The actions of a statement, as a list. */
export const statementActions = (statement: PolicyStatement): string[] => asList(statement.Action ?? statement.NotAction);

/** The resources of a statement, as a list. */
export const statementResources = (statement: PolicyStatement): string[] => asList(statement.Resource ?? statement.NotResource);
