import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

// The layers of src/, lowest first: src/options (how options are defined and checked) imports no
// other part of src/; src/config (the rule-agnostic runtime) imports only src/options; a rule's
// folder imports only the runtime and the options, never another rule; src/cli may import them
// all. Read from the import graph of the source files (static and dynamic imports, re-exports,
// require), so a new upward import fails here rather than in review.

const SRC = resolve(__dirname, '../../src');

/** Which folders of src/ a folder may import from, besides itself. */
function allowedFrom(folder: string): readonly string[] | 'any' {
  if (folder === 'options') return [];
  if (folder === 'config') return ['options'];
  if (folder === 'cli') return 'any';
  return ['config', 'options'];
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

/** The modules a source file imports, as written (import, export from, import(), require()). */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** The folder of src/ a relative import lands in, or undefined for a package or a path outside src/. */
function folderOf(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(SRC, resolve(dirname(fromFile), specifier));
  if (target.startsWith('..')) return `outside src/ (${target})`;
  return target.split(sep)[0];
}

/** Every import that breaks the layering: "<file> -> <specifier>". */
export function upwardImports(files: readonly string[], read: (file: string) => string = (file) => readFileSync(file, 'utf8')): string[] {
  const broken: string[] = [];
  for (const file of files) {
    const folder = relative(SRC, file).split(sep)[0];
    const allowed = allowedFrom(folder);
    for (const specifier of importsOf(read(file))) {
      const target = folderOf(file, specifier);
      if (target === undefined || target === folder || allowed === 'any' || allowed.includes(target)) continue;
      broken.push(`${relative(SRC, file)} -> ${specifier}`);
    }
  }
  return broken;
}

describe('the layers of src/', () => {
  const files = sourceFiles(SRC);

  it('reads the source files of every folder', () => {
    expect(new Set(files.map((file) => relative(SRC, file).split(sep)[0]))).to.include.members([
      'options',
      'config',
      'iam-user-single-access-key',
      'cli',
    ]);
  });

  it('has no import from a lower layer to a higher one (options < config < a rule < cli), nor between rules', () => {
    expect(upwardImports(files)).to.deep.equal([]);
  });

  const violations: [string, string, string][] = [
    ['src/options importing the runtime', 'options/Option.ts', "import { InvalidParameterError } from '../config/errors';"],
    ['src/config importing a rule', 'config/RuleEvent.ts', "export { accessKeyRule } from '../iam-user-single-access-key/rule';"],
    ['src/config importing the CLI lazily', 'config/awsClients.ts', "const cli = await import('../cli/main');"],
    ['src/config requiring a script', 'config/logger.ts', "const x = require('../../scripts/docBlocks');"],
    ['a rule importing the CLI', 'iam-user-single-access-key/rule.ts', "import type { CliIo } from '../cli/main';"],
    ['a rule importing another rule', 'iam-user-single-access-key/rule.ts', "import { other } from '../another-rule/rule';"],
  ];
  for (const [what, file, line] of violations) {
    it(`finds ${what}`, () => {
      expect(upwardImports([join(SRC, file)], () => line)).to.have.length(1);
    });
  }
});
