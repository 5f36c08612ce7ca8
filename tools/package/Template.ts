/** A CloudFormation template as `serverless package` writes it. */
export interface Template {
  Parameters?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Condition?: string; DependsOn?: string | string[]; Metadata?: unknown }
  >;
  Outputs?: Record<string, unknown>;
}

/** The logical ids of the resources of a type. */
export function resourcesOfType(template: Template, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
}
