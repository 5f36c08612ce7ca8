import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

// rules/iam-user-single-access-key/member-execution-role.yml is plain CloudFormation that people
// deploy by hand or as a StackSet, so it cannot read the fragments the packaged function role is
// built from. The policies the two share (what the rule reads and reports) are copied into it from
// those fragments, comments included, between `# generated:start` and `# generated:end`
// (npm run generate:member-role). test/organization/memberExecutionRole.test.ts fails when the
// template is out of date.

const PROJECT = resolve(__dirname, '..');

/** The template this writes. */
export const MEMBER_ROLE_TEMPLATE = 'rules/iam-user-single-access-key/member-execution-role.yml';

/** The policies (PolicyName, PolicyDocument) it copies, in order: a fragment file and the key path of the policy in it. */
export const SHARED_POLICIES: readonly { file: string; path: readonly string[] }[] = [
  { file: 'rules/iam-user-single-access-key/rule.yml', path: ['readIamUsers'] },
  { file: 'rules/_shared/rule-function.yml', path: ['policies', 'reportToConfig'] },
];

const START = '# generated:start';
const END = '# generated:end';

const indentOf = (line: string) => line.length - line.trimStart().length;
const isBlank = (line: string) => line.trim() === '';

/** The lines of the block under the key `path` of a YAML text, dedented to its first line. */
function yamlBlock(text: string, path: readonly string[], file: string): string[] {
  const lines = text.split('\n');
  let from = 0;
  let indent = -1;
  for (const key of path) {
    const at = lines.findIndex((line, index) => index >= from && indentOf(line) > indent && line.trimStart().startsWith(`${key}:`));
    if (at < 0 || lines.slice(from, at).some((line) => !isBlank(line) && indentOf(line) <= indent && !line.trimStart().startsWith('#'))) {
      throw new Error(`${file} has no ${path.join('.')}`);
    }
    indent = indentOf(lines[at]!);
    from = at + 1;
  }
  const block: string[] = [];
  for (const line of lines.slice(from)) {
    if (!isBlank(line) && indentOf(line) <= indent) break;
    block.push(line);
  }
  while (block.length > 0 && isBlank(block[block.length - 1]!)) block.pop();
  const base = Math.min(...block.filter((line) => !isBlank(line)).map(indentOf));
  const dedented = block.map((line) => (isBlank(line) ? '' : line.slice(base)));
  const variable = dedented.find((line) => /\$\{(param|self|sls|file|opt|env)[:(]/.test(line));
  if (variable !== undefined)
    throw new Error(`${file} ${path.join('.')} uses a Serverless variable, which a plain template cannot: ${variable.trim()}`);
  return dedented;
}

/** The template with the shared policies between its markers copied from their fragments (`read` reads a project file). */
export function withSharedPolicies(template: string, read: (file: string) => string): string {
  const lines = template.split('\n');
  const start = lines.findIndex((line) => line.trim().startsWith(START));
  const end = lines.findIndex((line) => line.trim() === END);
  if (start < 0 || end < start) throw new Error(`${MEMBER_ROLE_TEMPLATE} needs a "${START}" line and a "${END}" line after it`);
  const item = ' '.repeat(indentOf(lines[start]!));
  const policies = SHARED_POLICIES.flatMap(({ file, path }) =>
    yamlBlock(read(file), path, file).map((line, index) => (line === '' ? '' : `${item}${index === 0 ? '- ' : '  '}${line}`)),
  );
  return [...lines.slice(0, start + 1), ...policies, ...lines.slice(end)].join('\n');
}

const readProjectFile = (file: string) => readFileSync(resolve(PROJECT, file), 'utf8');

if (require.main === module) {
  const path = resolve(PROJECT, MEMBER_ROLE_TEMPLATE);
  const current = readFileSync(path, 'utf8');
  const updated = withSharedPolicies(current, readProjectFile);
  if (updated === current) console.log(`${MEMBER_ROLE_TEMPLATE} is up to date`);
  else {
    writeFileSync(path, updated);
    console.log(`${MEMBER_ROLE_TEMPLATE} written`);
  }
}
