import type { Template } from '../support/packageTemplate';

type Resource = Template['Resources'][string];

/**
 * The value of a template condition built from literals (Fn::Equals, Fn::Not, Fn::And, Fn::Or,
 * Condition), as CloudFormation would evaluate it. Deploy options reach conditions as literals.
 */
export function conditionValue(template: Template, name: string): boolean {
  const evaluate = (expression: unknown): boolean => {
    const [fn, args] = Object.entries(expression as Record<string, unknown>)[0] ?? [];
    if (fn === 'Condition') return conditionValue(template, args as string);
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

/** The resources CloudFormation would create: those without a Condition, or whose Condition holds. */
export function effectiveResources(template: Template): Record<string, Resource> {
  return Object.fromEntries(
    Object.entries(template.Resources).filter(([, resource]) => resource.Condition === undefined || conditionValue(template, resource.Condition)),
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

/** The inline policy statements of a role as CloudFormation would create them (Fn::If evaluated). */
export function roleStatements(template: Template, roleId: string): Statement[] {
  return ((template.Resources[roleId].Properties!.Policies ?? []) as unknown[]).flatMap((policy) => {
    const branches = (policy as { 'Fn::If'?: [string, unknown, unknown] })['Fn::If'];
    const chosen = branches ? (conditionValue(template, branches[0]) ? branches[1] : branches[2]) : policy;
    if ((chosen as { Ref?: string }).Ref === 'AWS::NoValue') return [];
    return (chosen as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement;
  });
}

/** The actions of a statement, as a list. */
export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
