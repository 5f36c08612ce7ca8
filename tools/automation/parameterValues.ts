import type { AutomationDocument, DocumentParameter } from './automationDocument';
import type { Remediation } from './remediationOf';

/** A parameter value only CloudFormation can resolve at deploy time, e.g. a role's ARN. */
const DEPLOY_TIME = Symbol('deploy-time value');

/** Parameter values as Automation holds them; `deployTime` for values not known before deployment. */
export type ParameterValues = Record<string, string | typeof DEPLOY_TIME>;

/** The values Config passes to the document for one resource: static values and RESOURCE_ID. */
export function configuredValues(parameters: Remediation['parameters'], resourceId: string): ParameterValues {
  const values: ParameterValues = {};
  for (const [name, parameter] of Object.entries(parameters)) {
    if (parameter.ResourceValue) {
      if (parameter.ResourceValue.Value !== 'RESOURCE_ID')
        throw new Error(`Remediation parameter ${name}: ResourceValue ${parameter.ResourceValue.Value} is not RESOURCE_ID`);
      values[name] = resourceId;
      continue;
    }
    const staticValues = parameter.StaticValue?.Values ?? [];
    if (staticValues.length !== 1) throw new Error(`Remediation parameter ${name}: expected one StaticValue, got ${staticValues.length}`);
    const value = staticValues[0];
    values[name] = typeof value === 'string' ? value : DEPLOY_TIME;
  }
  return values;
}

/**
 * The document's parameters as Automation resolves them when an execution starts: the given
 * value, else the default; every value checked against its type, allowedPattern and allowedValues.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html
 */
export function resolveParameters(document: AutomationDocument, given: ParameterValues): ParameterValues {
  const declared = document.parameters ?? {};
  const unknown = Object.keys(given).filter((name) => !(name in declared));
  if (unknown.length > 0) throw new Error(`Parameter ${unknown.join(', ')} is not declared in the document`);
  const values: ParameterValues = {};
  for (const [name, parameter] of Object.entries(declared)) {
    const value = name in given ? given[name]! : defaultOf(parameter);
    if (value === undefined) throw new Error(`Parameter ${name} is required by the document and was not given`);
    if (value !== DEPLOY_TIME) checkValue(name, parameter, value);
    values[name] = value;
  }
  return values;
}

/** Whether a parameter value is only known once the stack is deployed. */
export function isDeployTime(value: ParameterValues[string]): value is typeof DEPLOY_TIME {
  return value === DEPLOY_TIME;
}

function defaultOf(parameter: DocumentParameter): string | typeof DEPLOY_TIME | undefined {
  const value = parameter.default;
  if (value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return DEPLOY_TIME;
}

function checkValue(name: string, parameter: DocumentParameter, value: string): void {
  if (parameter.type === 'Integer' && !/^-?\d+$/.test(value))
    throw new Error(`Parameter ${name}: ${JSON.stringify(value)} is not an Integer`);
  if (parameter.type === 'Boolean' && value !== 'true' && value !== 'false')
    throw new Error(`Parameter ${name}: ${JSON.stringify(value)} is not a Boolean`);
  if (!['String', 'Integer', 'Boolean'].includes(parameter.type))
    throw new Error(`Parameter ${name}: type ${parameter.type} is not supported here`);
  if (parameter.allowedPattern !== undefined && !new RegExp(parameter.allowedPattern).test(value)) {
    throw new Error(`Parameter ${name}: ${JSON.stringify(value)} does not match allowedPattern ${parameter.allowedPattern}`);
  }
  if (parameter.allowedValues !== undefined && !parameter.allowedValues.map(String).includes(value)) {
    throw new Error(`Parameter ${name}: ${JSON.stringify(value)} is not one of allowedValues ${parameter.allowedValues.join(', ')}`);
  }
}
