import { randomBytes } from 'node:crypto';
import type { TableDefinition } from '../fakeAws/dynamodb';
import { resourcesOfType, type Template } from './Template';

/** A DynamoDB table of the packaged template, as the demo and the benchmark create it in the stand-in. */
export interface StackTable {
  logicalId: string;
  /** What CloudFormation would create: its properties, under the name it would give. */
  definition: TableDefinition;
}

/**
 * The template's AWS::DynamoDB::Table resources (the remediation lock table), each under its
 * TableName or, as CloudFormation names a table without one, `<stack>-<logical id>-<suffix>`.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html
 */
export function stackTables(template: Template, stackName: string): StackTable[] {
  return resourcesOfType(template, 'AWS::DynamoDB::Table').map((logicalId) => {
    const properties = (template.Resources[logicalId]!.Properties ?? {}) as Omit<TableDefinition, 'TableName'> & { TableName?: unknown };
    const name = typeof properties.TableName === 'string' ? properties.TableName : `${stackName}-${logicalId}-${suffix()}`;
    return { logicalId, definition: { ...properties, TableName: name } };
  });
}

/** Twelve upper-case letters and digits, like the suffix CloudFormation appends. */
function suffix(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(12)].map((byte) => alphabet[byte % alphabet.length]).join('');
}
