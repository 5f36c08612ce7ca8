import type { Template } from './packageTemplate';

type Resource = Template['Resources'][string];

/**
 * The value of a template condition built from literals (Fn::Equals, Fn::Not, Fn::And, Fn::Or,
 * Condition), as CloudFormation would evaluate it. Deploy options reach conditions as literals.
 */
export function conditionHolds(template: Template, name: string): boolean {
  const evaluate = (expression: unknown): boolean => {
    const [fn, args] = Object.entries(expression as Record<string, unknown>)[0] ?? [];
    if (fn === 'Condition') return conditionHolds(template, args as string);
    const list = args as unknown[];
    if (fn === 'Fn::Not') return !evaluate(list[0]);
    if (fn === 'Fn::And') return list.every(evaluate);
    if (fn === 'Fn::Or') return list.some(evaluate);
    if (fn === 'Fn::Equals' && list.every((value) => typeof value === 'string')) return list[0] === list[1];
    throw new Error(`condition ${name} is not made of literals: ${JSON.stringify(expression)}`);
  };
  const expression = template.Conditions?.[name];
  if (expression === undefined) throw new Error(`no condition ${name}`);
  return evaluate(expression);
}

/** `value` with every Fn::If replaced by the branch CloudFormation would take and AWS::NoValue removed. */
export function effectiveValue(template: Template, value: unknown): unknown {
  const NO_VALUE = Symbol('NoValue');
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk).filter((item) => item !== NO_VALUE);
    if (typeof node !== 'object' || node === null) return node;
    const entries = Object.entries(node);
    if (entries.length === 1 && entries[0][0] === 'Ref' && entries[0][1] === 'AWS::NoValue') return NO_VALUE;
    if (entries.length === 1 && entries[0][0] === 'Fn::If') {
      const [condition, whenTrue, whenFalse] = entries[0][1] as [string, unknown, unknown];
      return walk(conditionHolds(template, condition) ? whenTrue : whenFalse);
    }
    return Object.fromEntries(entries.map(([key, child]) => [key, walk(child)]).filter(([, child]) => child !== NO_VALUE));
  };
  return walk(value);
}

/** The resources CloudFormation would create, their properties' Fn::Ifs resolved. */
export function effectiveResources(template: Template): Record<string, Resource> {
  return Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Condition === undefined || conditionHolds(template, resource.Condition))
      .map(([id, resource]) => [id, effectiveValue(template, resource) as Resource]),
  );
}

/** Logical ids of the resources of a type that CloudFormation would create. */
export function effectiveOfType(template: Template, type: string): string[] {
  return Object.entries(effectiveResources(template))
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
}

/** An IAM policy statement. */
export type Statement = { Effect: string; Action: string | string[]; Resource?: unknown; Principal?: unknown; Condition?: unknown };

/** Every statement of every inline policy of an effective role (no Fn::If left). */
export function statementsOf(role: Resource): Statement[] {
  const policies = (role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

/** The inline policy statements of a role as CloudFormation would create them. */
export function roleStatements(template: Template, roleId: string): Statement[] {
  return statementsOf(effectiveValue(template, template.Resources[roleId]) as Resource);
}

/** The actions of a statement, as a list. */
export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
