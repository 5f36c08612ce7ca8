import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// cfn-lint checks little of an Automation document's body (schemaVersion, description,
// assumeRole): the body is checked against AWS's own document schema (test/fixtures/README.md).
const SCHEMA = withCurrentScriptRuntimes(
  JSON.parse(readFileSync(resolve(__dirname, '../fixtures/ssm-automation-document-0.3.schema.json'), 'utf8')),
);

/**
 * The 2020 schema knows only python3.6/3.7 and PowerShell Core 6.0 for aws:executeScript. Python
 * 3.6 to 3.8 are retired (no document using them can be created since 4 December 2024, or run since
 * 18 February 2025; AWS recommends python3.11), so they are taken out and the later runtimes put
 * in: a document on a retired runtime fails here. A refreshed schema whose layout differs fails
 * here loudly rather than skipping the patch.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeScript.html
 */
function withCurrentScriptRuntimes(schema: { properties: { mainSteps: { items: { allOf: unknown[] } } } }): object {
  const rule = schema.properties.mainSteps.items.allOf.find((candidate) =>
    JSON.stringify(candidate).startsWith('{"if":{"properties":{"action":{"const":"aws:executeScript"}}}'),
  ) as { then: { properties: { inputs: { properties: { Runtime: { oneOf: { enum?: string[] }[] } } } } } } | undefined;
  const runtimes = rule?.then.properties.inputs.properties.Runtime.oneOf[0]?.enum;
  if (!runtimes) throw new Error('ssm-automation-document-0.3.schema.json: the aws:executeScript Runtime layout changed');
  runtimes.splice(
    0,
    runtimes.length,
    ...runtimes.filter((runtime) => !/^python3\.[678]$/.test(runtime)),
    'python3.9',
    'python3.10',
    'python3.11',
    'PowerShell 7.0',
    'PowerShell 7.4',
  );
  return schema;
}

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
