import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ACCESS_KEY_OPTIONS } from '../src/iam-user-single-access-key/options';
import { defaultText, type Option, type Options } from '../src/options/Option';

// The README's options tables, generated from the option definition (npm run docs:options): each
// `<!-- NAME:start -->` … `<!-- NAME:end -->` block of README.md and docs/*.md is rewritten.
// test/docs/optionsDocs.test.ts fails when a file is out of date.

const PROJECT = resolve(__dirname, '..');

const cell = (text: string) => text.replace(/\|/g, '\\|');

function table(heading: string, options: Options): string {
  const rows = Object.entries(options).map(
    ([name, option]) => `| \`${name}\` | ${cell(option.kind.expected)} | ${cell(defaultText(option))} | ${cell(option.doc)} |`,
  );
  return [`| ${heading} | takes | default | meaning |`, '|---|---|---|---|', ...rows].join('\n');
}

const where = (predicate: (option: Option<unknown>) => boolean): Options =>
  Object.fromEntries(Object.entries(ACCESS_KEY_OPTIONS).filter(([, option]) => predicate(option as Option<unknown>)));

/** The text of each generated block, by marker name. */
export function optionBlocks(): Record<string, string> {
  return {
    options: [
      '### Rule parameters',
      '',
      "These become the Config rule's parameters (`InputParameters`); they can be changed later in the",
      'Config console too, where every value is a string. All are optional; an empty one means the',
      'default. Packaging refuses an unknown name or a malformed value, and so does the function: a',
      'typo never silently falls back to a default.',
      '',
      table(
        'parameter',
        where((option) => option.use !== 'deploy'),
      ),
      '',
      '### Deployment options',
      '',
      table(
        'option',
        where((option) => option.section === 'deployment'),
      ),
    ].join('\n'),
    'organization-options': table(
      'option',
      where((option) => option.section === 'organization'),
    ),
    'remediation-options': table(
      'option',
      where((option) => option.section === 'remediation'),
    ),
  };
}

/** `text` with each marked block replaced by its generated content; unknown or unclosed markers are errors. */
export function withOptionBlocks(text: string, file: string): string {
  const blocks = optionBlocks();
  return text.replace(
    /<!-- ([\w-]+):start -->\n[\s\S]*?(<!-- ([\w-]+):end -->|$)/g,
    (_match, name: string, end: string, endName: string) => {
      if (!end || endName !== name) throw new Error(`${file}: <!-- ${name}:start --> has no <!-- ${name}:end -->`);
      if (!Object.hasOwn(blocks, name))
        throw new Error(`${file}: unknown generated block ${name}; known: ${Object.keys(blocks).join(', ')}`);
      return `<!-- ${name}:start -->\n${blocks[name]}\n<!-- ${name}:end -->`;
    },
  );
}

/** README.md and every docs/*.md, where options tables may be. */
export function documentationFiles(): string[] {
  let docs: string[] = [];
  try {
    docs = readdirSync(join(PROJECT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => join(PROJECT, 'docs', name));
  } catch {
    // no docs/ directory
  }
  return [join(PROJECT, 'README.md'), ...docs];
}

if (require.main === module) {
  for (const file of documentationFiles()) {
    const text = readFileSync(file, 'utf8');
    const updated = withOptionBlocks(text, relative(PROJECT, file));
    if (updated !== text) {
      writeFileSync(file, updated);
      console.log(`updated ${relative(PROJECT, file)}`);
    }
  }
}
