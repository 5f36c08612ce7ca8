import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

// What may import what outside src/: the demo (scripts/), the benchmark (bench/) and what they
// share with the tests (tools/) are product commands and import nothing from test/; tools/ is
// what the others import, so it imports nothing from scripts/ or bench/.

const PROJECT = resolve(__dirname, '../..');

/** Each directory and the directories its files must not import from. */
const BOUNDARIES: [directory: string, forbidden: string[]][] = [
  ['scripts', ['test']],
  ['bench', ['test']],
  ['tools', ['test', 'scripts', 'bench']],
];

/** Every import (static, dynamic, require, export … from) of the source files under `directory` that resolves into one of `forbidden`, as `file: specifier`. */
function forbiddenImports(root: string, directory: string, forbidden: string[]): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(join(root, directory))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = relative(root, resolve(file, '..', fileName));
      if (forbidden.some((dir) => target === dir || target.startsWith(dir + sep))) found.push(`${relative(root, file)}: ${fileName}`);
    }
  }
  return found;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('import boundaries of scripts/, bench/ and tools/', () => {
  for (const [directory, forbidden] of BOUNDARIES) {
    it(`${directory}/ imports nothing from ${forbidden.map((dir) => `${dir}/`).join(', ')}`, () => {
      expect(forbiddenImports(PROJECT, directory, forbidden)).to.deep.equal([]);
    });
  }

  it('finds every form of import that crosses a boundary', () => {
    // Prepare: a project whose tools/ imports test code in each form
    const root = mkdtempSync(join(tmpdir(), 'import-boundaries-'));
    mkdirSync(join(root, 'tools/nested'), { recursive: true });
    writeFileSync(
      join(root, 'tools/nested/uses.ts'),
      [
        "import { a } from '../../test/support/a';",
        "import type { B } from '../../scripts/demo/b';",
        "export { c } from '../../bench/c';",
        "const d = require('../../test/d');",
        "const e = import('../../test/e');",
        "import { fine } from '../fine';",
        "import { external } from 'node:fs';",
      ].join('\n'),
    );

    // Act
    const found = forbiddenImports(root, 'tools', ['test', 'scripts', 'bench']);
    rmSync(root, { recursive: true, force: true });

    // Assess
    expect(found).to.deep.equal([
      `tools${sep}nested${sep}uses.ts: ../../test/support/a`,
      `tools${sep}nested${sep}uses.ts: ../../scripts/demo/b`,
      `tools${sep}nested${sep}uses.ts: ../../bench/c`,
      `tools${sep}nested${sep}uses.ts: ../../test/d`,
      `tools${sep}nested${sep}uses.ts: ../../test/e`,
    ]);
  });
});
