import { resourcesOfType, type Template } from '../package/Template';
import type { AutomationDocument, DocumentStep } from './automationDocument';

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

/** The remediation configuration, its document and the step that invokes the function; throws naming what is missing. */
export function remediationOf(template: Template): Remediation {
  const resources = template.Resources;
  const configurations = resourcesOfType(template, 'AWS::Config::RemediationConfiguration').map((id) => resources[id]!);
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
