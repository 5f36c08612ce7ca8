// An EventBridge input transformer applied to an event, as EventBridge fills a string template:
// each <name> of InputPathsMap becomes the value at its path (dot notation), a string as it is,
// any other value as JSON. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
// A path the event lacks is an error here (EventBridge would drop the variable): the messages
// this project sends read only what every event of their pattern carries.

/** An AWS::Events::Rule target's InputTransformer. */
export interface InputTransformer {
  InputPathsMap: Record<string, string>;
  InputTemplate: string;
}

/** The value at a `$.a.b` path of `event`, or undefined. */
function valueAt(event: unknown, path: string): unknown {
  if (!path.startsWith('$.')) throw new Error(`path ${path}: only $.dot.notation paths are rendered here`);
  let value: unknown = event;
  for (const key of path.slice(2).split('.'))
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** The text EventBridge delivers to the target for `event`. */
export function renderInputTransformer(transformer: InputTransformer, event: unknown): string {
  if (transformer.InputTemplate.trimStart().startsWith('{')) throw new Error('only string templates are rendered here, not JSON ones');
  return transformer.InputTemplate.replace(/<([A-Za-z0-9_.-]+)>/g, (placeholder, name: string) => {
    const path = transformer.InputPathsMap[name];
    if (path === undefined) return placeholder;
    const value = valueAt(event, path);
    if (value === undefined) throw new Error(`<${name}>: the event has nothing at ${path}`);
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}
