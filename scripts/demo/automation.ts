import type { Template } from '../../test/support/packageTemplate';

/** A parameter of an SSM Automation document. */
interface DocumentParameter {
  type: string;
  default?: unknown;
  allowedPattern?: string;
  allowedValues?: unknown[];
}

/** A step of an SSM Automation document. */
export interface DocumentStep {
  name: string;
  action: string;
  inputs?: Record<string, unknown>;
  outputs?: { Name: string; Selector: string; Type?: string }[];
  nextStep?: string;
  isEnd?: boolean | string;
  onFailure?: string;
  maxAttempts?: number;
  timeoutSeconds?: number;
}

/** The parts of an Automation document (schema 0.3) the demo reads. */
export interface AutomationDocument {
  parameters?: Record<string, DocumentParameter>;
  mainSteps: DocumentStep[];
  /** The document's outputs, each `Step.Output`. */
  outputs?: string[];
}

/** Config's remediation of the rule, read from the packaged template. */
export interface Remediation {
  /** The document's content, its Fn::Ifs resolved as CloudFormation would. */
  document: AutomationDocument;
  /** `Parameters` of the AWS::Config::RemediationConfiguration. */
  parameters: Record<string, { StaticValue?: { Values?: unknown[] }; ResourceValue?: { Value?: string } }>;
  /** Logical id of the AWS::SSM::Document. */
  documentLogicalId: string;
  /** The aws:invokeLambdaFunction step that calls the remediate function. */
  step: DocumentStep & { inputs: { Payload: string } };
  /** Logical id of the function that step invokes. */
  functionLogicalId: string;
}

/** A parameter value only CloudFormation can resolve at deploy time, e.g. a role's ARN. */
const DEPLOY_TIME = Symbol('deploy-time value');

/** Parameter values as Automation holds them; `deployTime` for values not known before deployment. */
export type ParameterValues = Record<string, string | typeof DEPLOY_TIME>;

/** The remediation configuration, its document and the step that invokes the function; throws naming what is missing. */
export function remediationOf(template: Template): Remediation {
  const resources = template.Resources;
  const configurations = Object.values(resources).filter((resource) => resource.Type === 'AWS::Config::RemediationConfiguration');
  if (configurations.length !== 1) {
    throw new Error(
      `The packaged template has ${configurations.length} AWS::Config::RemediationConfiguration resources, expected 1 (is remediation off?)`,
    );
  }
  const configuration = configurations[0]!.Properties as { TargetId?: unknown; Parameters?: Remediation['parameters'] };
  const documentId = (configuration.TargetId as { Ref?: unknown } | undefined)?.Ref;
  const documentResource = typeof documentId === 'string' ? resources[documentId] : undefined;
  if (typeof documentId !== 'string' || documentResource?.Type !== 'AWS::SSM::Document')
    throw new Error('The remediation configuration does not target an AWS::SSM::Document of the template (TargetId)');
  const document = documentResource.Properties?.Content as AutomationDocument;
  const invokeSteps = (document.mainSteps ?? []).filter((step) => step.action === 'aws:invokeLambdaFunction');
  const functionIds = invokeSteps.map((step) => (step.inputs?.FunctionName as { Ref?: unknown } | undefined)?.Ref);
  if (invokeSteps.length !== 1 || typeof functionIds[0] !== 'string') {
    throw new Error(
      `The remediation document has ${invokeSteps.length} aws:invokeLambdaFunction steps with FunctionName !Ref <function>, expected 1`,
    );
  }
  const step = invokeSteps[0]!;
  if (typeof step.inputs?.Payload !== 'string') throw new Error(`Step ${step.name} of the remediation document has no Payload string`);
  return {
    document,
    documentLogicalId: documentId,
    parameters: configuration.Parameters ?? {},
    step: step as Remediation['step'],
    functionLogicalId: functionIds[0],
  };
}

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

/**
 * `text` with every `{{ Name }}` replaced as Automation does: a document parameter, the
 * automation:EXECUTION_ID variable, or `Step.Output` from `outputs` (an object or list as JSON).
 * An unknown name, an output the step did not produce, or a value only known at deploy time fails naming it.
 */
export function renderText(text: string, values: ParameterValues, executionId: string, outputs: Record<string, unknown> = {}): string {
  return text.replace(/\{\{\s*([\w:.-]+)\s*\}\}/g, (_match, name: string) => {
    if (name === 'automation:EXECUTION_ID') return executionId;
    if (/^\w+\.\w+$/.test(name)) {
      if (!Object.hasOwn(outputs, name)) throw new Error(`{{ ${name} }}: no earlier step produced that output`);
      const output = outputs[name];
      return typeof output === 'string' ? output : JSON.stringify(output);
    }
    const value = values[name];
    if (value === undefined)
      throw new Error(`{{ ${name} }} is neither a parameter of the document nor an Automation variable the demo knows`);
    if (value === DEPLOY_TIME) throw new Error(`{{ ${name} }} is only known once the stack is deployed`);
    return value;
  });
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
    throw new Error(`Parameter ${name}: type ${parameter.type} is not supported by the demo`);
  if (parameter.allowedPattern !== undefined && !new RegExp(parameter.allowedPattern).test(value)) {
    throw new Error(`Parameter ${name}: ${JSON.stringify(value)} does not match allowedPattern ${parameter.allowedPattern}`);
  }
  if (parameter.allowedValues !== undefined && !parameter.allowedValues.map(String).includes(value)) {
    throw new Error(`Parameter ${name}: ${JSON.stringify(value)} is not one of allowedValues ${parameter.allowedValues.join(', ')}`);
  }
}
