import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// cfn-lint checks little of an Automation document's body (schemaVersion, description,
// assumeRole): the body is checked against AWS's own document schema (test/fixtures/README.md).
const SCHEMA = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/ssm-automation-document-0.3.schema.json'), 'utf8')) as object;

// The schema's patterns are written for JavaScript without the `u` flag ("{{" unescaped); it uses
// the IDE keyword `defaultSnippets`, which strict mode would refuse.
const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(SCHEMA);

/** `value` with each intrinsic function ({ Ref }, { "Fn::…" }) replaced by the string CloudFormation puts in its place. */
function withIntrinsicsResolved(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withIntrinsicsResolved);
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return `resolved-${keys[0]}`;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, withIntrinsicsResolved(child)]));
}

/** Errors (empty = valid) of an SSM Automation document body (the Content of an AWS::SSM::Document). */
export function automationDocumentErrors(content: unknown): string[] {
  if (validate(withIntrinsicsResolved(content))) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message}`);
}
