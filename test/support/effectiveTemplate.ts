import type { Template } from './packageTemplate';

type Resource = Template['Resources'][string];

/** An IAM policy statement. */
export type Statement = { Effect: string; Action: string | string[]; Resource?: unknown; Principal?: unknown; Condition?: unknown };

/** Every statement of every inline policy of a role (its Policies property only). */
export function statementsOf(role: Resource): Statement[] {
  const policies = (role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

/** Every inline policy statement of a role: its Policies, and each AWS::IAM::RolePolicy of the template attached to it. */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const attached = Object.values(template.Resources)
    .filter(
      (resource) =>
        resource.Type === 'AWS::IAM::RolePolicy' && JSON.stringify(resource.Properties?.RoleName) === JSON.stringify({ Ref: roleId }),
    )
    .flatMap((resource) => (resource.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
  return [...statementsOf(template.Resources[roleId]), ...attached];
}

/** The actions of a statement, as a list. */
export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
