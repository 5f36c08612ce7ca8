import type { DocumentStep } from './automationDocument';

/** The step's declared outputs, each `$.Payload.<field>…` applied to the script's return value and checked against its Type; absent when nothing matches. */
export function selectedOutputs(step: DocumentStep, payload: unknown): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  for (const { Name, Selector, Type } of step.outputs ?? []) {
    if (!/^\$\.Payload(\.\w+)*$/.test(Selector))
      throw new Error(
        `Step ${step.name}: output ${Name} has selector ${Selector}; the documented form for aws:executeScript is $.Payload.<field>`,
      );
    let value: unknown = payload;
    for (const field of Selector.split('.').slice(2)) {
      value =
        typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, field)
          ? (value as Record<string, unknown>)[field]
          : undefined;
    }
    if (value === undefined) continue;
    if (Type !== undefined && !fitsType(value, Type))
      throw new Error(`Step ${step.name}: output ${Name} (${Selector}) is ${JSON.stringify(value)}, not a ${Type}`);
    outputs[Name] = value;
  }
  return outputs;
}

/** Whether `value` is of an Automation output Type. https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-outputs-inputs.html */
function fitsType(value: unknown, type: string): boolean {
  const isMap = (item: unknown) => typeof item === 'object' && item !== null && !Array.isArray(item);
  switch (type) {
    case 'String':
      return typeof value === 'string';
    case 'Integer':
      return Number.isInteger(value);
    case 'Boolean':
      return typeof value === 'boolean';
    case 'StringList':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'StringMap':
      return isMap(value);
    case 'MapList':
      return Array.isArray(value) && value.every(isMap);
    default:
      throw new Error(`unknown output Type ${type}`);
  }
}
