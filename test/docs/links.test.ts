import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const PROJECT = resolve(__dirname, '../..');

/**
 * Pages other branches add (docs/benchmarks.md is generated from bench/results.json). A link to
 * one of them passes while the page is absent; once it exists, it is checked like any other.
 */
const PAGES_FROM_OTHER_BRANCHES = new Set(['docs/benchmarks.md', 'docs/cli.md', 'docs/demo.md']);

/** README.md, CHANGELOG.md and every Markdown page under docs/, relative to the project. */
function markdownFiles(): string[] {
  const docs = readdirSync(join(PROJECT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', 'CHANGELOG.md', ...docs];
}

/** The text of a page without fenced code blocks and inline code, where links are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The `#anchor` GitHub gives a heading (github-slugger: lower case, punctuation dropped, spaces to hyphens). */
export function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a page offers: its headings' slugs (duplicates numbered as GitHub does) and explicit ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const [, id] of withoutCode.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(id);
  return anchors;
}

/** The relative link targets of a page: `[text](target)`, images included, URLs left out. */
function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map(([, target]) => target)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** Why a link from `file` does not resolve, or undefined when it does. */
function brokenReason(file: string, target: string): string | undefined {
  const [path, anchor] = target.split('#', 2) as [string, string | undefined];
  const targetFile = path === '' ? file : relative(PROJECT, resolve(PROJECT, dirname(file), decodeURIComponent(path)));
  const absolute = join(PROJECT, targetFile);
  if (!existsSync(absolute)) return PAGES_FROM_OTHER_BRANCHES.has(targetFile) ? undefined : `no file ${targetFile}`;
  if (anchor === undefined) return undefined;
  if (statSync(absolute).isDirectory() || !targetFile.endsWith('.md')) return `#${anchor} on ${targetFile}, which has no headings`;
  return anchorsOf(readFileSync(absolute, 'utf8')).has(anchor) ? undefined : `no heading #${anchor} in ${targetFile}`;
}

describe('documentation links', () => {
  it('slugs headings as GitHub does', () => {
    const cases: [string, string][] = [
      ['What you see in Config', 'what-you-see-in-config'],
      ['Permissions in organization mode', 'permissions-in-organization-mode'],
      ['The `remediate` function, step by step', 'the-remediate-function-step-by-step'],
      ['Scale: sweep time, memory, timeout', 'scale-sweep-time-memory-timeout'],
      ['max_access_keys (1.13 / 1.12)', 'max_access_keys-113--112'],
    ];
    for (const [heading, expected] of cases) expect(slug(heading), heading).to.equal(expected);
  });

  it('finds the pages to check: README.md, CHANGELOG.md and docs/', () => {
    const files = markdownFiles();
    expect(files).to.include.members(['README.md', 'CHANGELOG.md', 'docs/organization.md', 'docs/remediation.md', 'docs/scale.md']);
  });

  for (const file of markdownFiles()) {
    it(`resolves every relative link and #anchor in ${file}`, () => {
      const markdown = readFileSync(join(PROJECT, file), 'utf8');
      const broken = relativeLinks(markdown)
        .map((target) => [target, brokenReason(file, target)] as const)
        .filter(([, reason]) => reason !== undefined)
        .map(([target, reason]) => `${target}: ${reason}`);
      expect(broken).to.deep.equal([]);
    });
  }

  it('reports a missing page and a missing heading as broken', () => {
    expect(brokenReason('README.md', 'docs/no-such-page.md')).to.equal('no file docs/no-such-page.md');
    expect(brokenReason('README.md', '#no-such-heading')).to.equal('no heading #no-such-heading in README.md');
    expect(brokenReason('docs/scale.md', '../README.md#deploy')).to.equal(undefined);
  });
});

describe('README.md', () => {
  const readme = () => readFileSync(join(PROJECT, 'README.md'), 'utf8');

  it('stays the short page: under 10 KB', () => {
    expect(Buffer.byteLength(readme())).to.be.below(10 * 1024);
  });

  it('links every page under docs/', () => {
    const linked = new Set(relativeLinks(readme()).map((target) => target.split('#')[0]));
    const pages = markdownFiles().filter((file) => file.startsWith('docs/'));
    expect(pages.filter((page) => !linked.has(page))).to.deep.equal([]);
  });

  it('holds the options tables between one options:start and one options:end marker, in that order', () => {
    const text = readme();
    const start = text.split('<!-- options:start -->').length - 1;
    const end = text.split('<!-- options:end -->').length - 1;
    expect([start, end]).to.deep.equal([1, 1]);
    const between = text.slice(text.indexOf('<!-- options:start -->'), text.indexOf('<!-- options:end -->'));
    expect(between).to.include('| `maxAccessKeys` |').and.to.include('| `sweepConcurrency` |');
  });
});
