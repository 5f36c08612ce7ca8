import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ACCESS_KEY_OPTIONS } from '../src/iam-user-single-access-key/options';
import { defaultText, type Option, type Options } from '../src/options/Option';
import { buildCli, type CliRun, runCli } from '../tools/cli/runCli';
import { FakeAws, type FakeUser } from '../tools/fakeAws';
import { DEFAULT_RECORDER } from '../tools/fakeAws/state';
import { packageRefusal } from '../tools/package/packageRefusal';

// The generated parts of README.md and docs/*.md (npm run docs): each `<!-- NAME:start -->` …
// `<!-- NAME:end -->` block is rewritten from its source: the option definitions, a run of the
// built command line against the local stand-in, or a run of the demo. `npm run docs -- SOURCE…`
// rewrites only the blocks of those sources (`npm run docs:options`: definitions). The tests
// compare each block with a fresh run (test/docs/docBlocks.test.ts; the demo's in
// test/demo/demo.test.ts), leaving out only what changes from run to run (`comparable`).

const PROJECT = resolve(__dirname, '..');

/** Where a block's text comes from. */
export type BlockSource = 'definitions' | 'cli' | 'package' | 'demo';

/** One generated block. */
export interface DocBlock {
  source: BlockSource;
  /** The block's text. */
  generate(): string | Promise<string>;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

function table(heading: string, options: Options): string {
  const rows = Object.entries(options).map(
    ([name, option]) => `| \`${name}\` | ${cell(option.kind.expected)} | ${cell(defaultText(option))} | ${cell(option.doc)} |`,
  );
  return [`| ${heading} | takes | default | meaning |`, '|---|---|---|---|', ...rows].join('\n');
}

const where = (predicate: (option: Option<unknown>) => boolean): Options =>
  Object.fromEntries(Object.entries(ACCESS_KEY_OPTIONS).filter(([, option]) => predicate(option as Option<unknown>)));

/** The text of each block generated from the option definitions, by marker name. */
export function optionBlocks(): Record<string, string> {
  return {
    options: [
      '### Rule parameters',
      '',
      "These become the Config rule's parameters (`InputParameters`); they can be changed later in the",
      'Config console too, where every value is a string. All are optional: leave one out of',
      '`serverless` (or empty in the console) for its default. Packaging refuses an unknown name or a',
      'malformed value, and so does the function: a typo never silently falls back to a default.',
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
    'monitoring-options': table(
      'option',
      where((option) => option.section === 'monitoring'),
    ),
  };
}

const DAY_MS = 86_400_000;

/** The account the command line's samples run against: one user of each result. */
function sampleUsers(now: number): FakeUser[] {
  const ago = (days: number) => new Date(now - days * DAY_MS);
  return [
    {
      userName: 'alice',
      userId: 'AIDASAMPLEALICE000001',
      path: '/team/ops/',
      accessKeys: [
        {
          accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          status: 'Active',
          createDate: ago(400),
          lastUsed: { date: ago(1), serviceName: 's3', region: 'us-east-1' },
        },
        { accessKeyId: 'AKIAI44QH8DHBEXA7XQZ', status: 'Active', createDate: ago(10) },
      ],
    },
    {
      userName: 'bob',
      userId: 'AIDASAMPLEBOB00000002',
      accessKeys: [
        {
          accessKeyId: 'AKIAJ2EXAMPLEBOB3KDA',
          status: 'Active',
          createDate: ago(30),
          lastUsed: { date: ago(2), serviceName: 'ec2', region: 'us-east-1' },
        },
      ],
    },
    {
      userName: 'svc-ci',
      userId: 'AIDASAMPLESVCCI000003',
      tags: { 'cis-exempt': 'true' },
      accessKeys: [
        { accessKeyId: 'AKIAJ2EXAMPLESVC0001', status: 'Active', createDate: ago(200) },
        { accessKeyId: 'AKIAJ2EXAMPLESVC0002', status: 'Active', createDate: ago(100) },
      ],
    },
  ];
}

/**
 * The command line's samples: each the command as a user types it (a table is the default on a
 * terminal; the run asks for it, its stdout being a pipe), and what it printed.
 */
const CLI_SAMPLES: Record<string, { args: string[]; fence: string; columns?: number }> = {
  'cli-audit': { args: ['audit', '--exempt-tag', 'cis-exempt'], fence: 'text', columns: 80 },
  'cli-audit-json': { args: ['audit', '--exempt-tag', 'cis-exempt', '--format', 'json'], fence: 'json' },
  'cli-plan': { args: ['plan', '--exempt-tag', 'cis-exempt'], fence: 'text' },
  'cli-plan-count-inactive': { args: ['plan', '--exempt-tag', 'cis-exempt', '--count-inactive-keys'], fence: 'text' },
};

/** A run of the built command line against the sample account on the local stand-in, set up by `prepare`. */
async function cliRun(
  args: readonly string[],
  options: { columns?: number; prepare?: (fake: FakeAws) => void; endpoint?: string } = {},
): Promise<CliRun> {
  await buildCli();
  const fake = await FakeAws.start({ accountId: '123456789012' });
  try {
    fake.addUsers(sampleUsers(Date.now()));
    options.prepare?.(fake);
    return await runCli(args, options.endpoint ?? fake.url, {
      COLUMNS: options.columns === undefined ? undefined : String(options.columns),
    });
  } finally {
    await fake.close();
  }
}

/** What the built command line prints on stdout for `args`; exit 1 is a finding, which the samples show, anything else a failure. */
async function cliSample(args: readonly string[], columns: number | undefined): Promise<string> {
  const run = await cliRun(args, { columns });
  if (run.status !== 0 && run.status !== 1)
    throw new Error(`iam-user-single-access-key ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

/** A local port nothing listens on. */
const CLOSED_PORT = 'http://127.0.0.1:9';

/** The command line's errors the docs show: each a command and how its run is set up. */
const CLI_ERRORS: { args: string[]; prepare?: (fake: FakeAws) => void; endpoint?: string }[] = [
  { args: ['audit', '--fromat', 'json'] },
  { args: ['audit', '--max-access-keys', 'two'] },
  { args: ['audit', '--max-access-keys'] },
  { args: ['summary'] },
  {
    args: ['audit'],
    prepare: (fake) =>
      fake.failAlways(
        'ListAccessKeys',
        {
          status: 403,
          code: 'AccessDenied',
          message: 'User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: iam:ListAccessKeys on resource: user bob',
        },
        { UserName: 'bob' },
      ),
  },
  {
    args: ['audit', '--role-arn', 'arn:aws:iam::210987654321:role/auditor'],
    prepare: (fake) =>
      fake.failAlways('AssumeRole', {
        status: 403,
        code: 'AccessDenied',
        message:
          'User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role/auditor',
      }),
  },
  { args: ['audit'], endpoint: CLOSED_PORT },
];

/** Each error of CLI_ERRORS as a person sees it: the command, then its one line on stderr. */
async function cliErrors(): Promise<string> {
  const lines: string[] = [];
  for (const { args, ...options } of CLI_ERRORS) {
    const run = await cliRun(args, options);
    if (run.status !== 2) throw new Error(`iam-user-single-access-key ${args.join(' ')} exited ${run.status}, not 2`);
    lines.push(`$ iam-user-single-access-key ${args.join(' ')}`, run.stderr.trimEnd());
  }
  return ['```text', ...lines, '```'].join('\n');
}

/** The line a sweep logs (and `audit` prints) in a region whose recorder leaves out the global IAM types. */
async function recordingNotice(): Promise<string> {
  const run = await cliRun(['audit', '--region', 'eu-west-1', '--format', 'json'], {
    prepare: (fake) =>
      fake.setConfigurationRecorders('eu-west-1', [
        { ...DEFAULT_RECORDER, recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } },
      ]),
  });
  return ['```text', run.stderr.trimEnd(), '```'].join('\n');
}

/** Packaging refusals the docs show: each a set of --param and the lines `serverless package` answers. */
const PACKAGE_REFUSALS: Record<string, string>[] = [{ maxAccesKeys: '2' }, { maxAccessKeys: '0', remediation: 'sometimes' }];

/** Each refusal of PACKAGE_REFUSALS: the command, then the lines of its error. */
async function packageRefusals(): Promise<string> {
  const lines: string[] = [];
  for (const params of PACKAGE_REFUSALS) {
    const flags = Object.entries(params).map(([name, value]) => `--param=${name}=${value}`);
    lines.push(`$ npx serverless package ${flags.join(' ')}`, ...(await packageRefusal(params)));
  }
  return ['```text', ...lines, '```'].join('\n');
}

/** What `npm run demo` printed, run now. */
async function demoOutput(): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(PROJECT, 'scripts/demo/demo.ts')], {
    cwd: PROJECT,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Every generated block, by marker name. */
export const DOC_BLOCKS: Record<string, DocBlock> = {
  ...Object.fromEntries(
    Object.entries(optionBlocks()).map(([name, text]): [string, DocBlock] => [name, { source: 'definitions', generate: () => text }]),
  ),
  ...Object.fromEntries(
    Object.entries(CLI_SAMPLES).map(([name, { args, fence, columns }]): [string, DocBlock] => [
      name,
      {
        source: 'cli',
        generate: async () => {
          const output = await cliSample(args.includes('--format') ? args : [...args, '--format', 'table'], columns);
          return [
            '```sh',
            `node bin/iam-user-single-access-key.js ${args.join(' ')}`,
            '```',
            '',
            `\`\`\`${fence}`,
            output.trimEnd(),
            '```',
          ].join('\n');
        },
      },
    ]),
  ),
  'cli-errors': { source: 'cli', generate: cliErrors },
  'recording-notice': { source: 'cli', generate: recordingNotice },
  'package-refusals': { source: 'package', generate: packageRefusals },
  'demo-output': { source: 'demo', generate: async () => ['```text', (await demoOutput()).trimEnd(), '```'].join('\n') },
};

/**
 * A block's text with what changes from run to run replaced by placeholders, for comparing a
 * documented run with a fresh one: dates and times, ports, process ids, durations, execution ids,
 * generated table names, fingerprints (they cover dates), and the packaging step (which runs
 * only when the package is missing or stale). Zip sizes become `N KiB`; `zipSizes` reads them.
 */
export function comparable(text: string): string {
  return (
    text
      .replace(/^Packaging \(.*\n(?: {2}.*\n)*/m, '')
      .replace(/\((packaged now|up to date, reused)\)/g, '(PACKAGE)')
      .replace(/\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z| \d{2}:\d{2}(:\d{2})?)?/g, 'DATE')
      .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
      .replace(/process \d+/g, 'process PID')
      .replace(/\d+(\.\d+)? s\b/g, 'N s')
      // The sweep's metrics: its duration, and the EMF document's timestamp (milliseconds since the epoch).
      .replace(/SweepDuration("?:? ?)\d+(\.\d+)?/g, 'SweepDuration$1N')
      .replace(/"Timestamp":\d+/g, '"Timestamp":N')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')
      .replace(/RemediationLockTable-[A-Z0-9]+/g, 'RemediationLockTable-ID')
      .replace(/\[fp:[\w-]+\]/g, '[fp:FINGERPRINT]')
      .replace(/(\w+\.zip) \d+ KiB/g, '$1 N KiB')
  );
}

/** The zip sizes a demo's output gives, in KiB, by zip name. */
export function zipSizes(text: string): Record<string, number> {
  return Object.fromEntries([...text.matchAll(/(\w+\.zip) (\d+) KiB/g)].map((match) => [match[1]!, Number(match[2])]));
}

const MARKED = /<!-- ([\w-]+):start -->\n([\s\S]*?)(<!-- ([\w-]+):end -->|$)/g;

/** The marked blocks of a file's text, by name; unknown or unclosed markers are errors. */
export function markedBlocks(text: string, file: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name, content, end, endName] of text.matchAll(MARKED)) {
    if (!end || endName !== name) throw new Error(`${file}: <!-- ${name}:start --> has no <!-- ${name}:end -->`);
    if (!Object.hasOwn(DOC_BLOCKS, name!))
      throw new Error(`${file}: unknown generated block ${name}; known: ${Object.keys(DOC_BLOCKS).join(', ')}`);
    found.set(name!, content!.replace(/\n$/, ''));
  }
  return found;
}

/** `text` with each marked block replaced by its text in `blocks` (the others are left as they are). */
function withBlocks(text: string, file: string, blocks: Readonly<Record<string, string>>): string {
  markedBlocks(text, file);
  return text.replace(MARKED, (match, name: string) =>
    Object.hasOwn(blocks, name) ? `<!-- ${name}:start -->\n${blocks[name]}\n<!-- ${name}:end -->` : match,
  );
}

/** `text` with each block generated from the option definitions rewritten. */
export function withOptionBlocks(text: string, file: string): string {
  return withBlocks(text, file, optionBlocks());
}

/** README.md and every docs/*.md, where generated blocks may be. */
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

/** Rewrites the blocks of `sources` (every source when none is given) in every documentation file. */
async function main(sources: readonly string[]): Promise<void> {
  const known: readonly BlockSource[] = ['definitions', 'cli', 'package', 'demo'];
  const unknown = sources.filter((source) => !known.includes(source as BlockSource));
  if (unknown.length > 0) throw new Error(`unknown source ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const wanted = new Set(sources.length > 0 ? sources : known);
  const files = documentationFiles().map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const used = new Set(files.flatMap(({ file, text }) => [...markedBlocks(text, relative(PROJECT, file)).keys()]));
  const blocks: Record<string, string> = {};
  for (const [name, block] of Object.entries(DOC_BLOCKS)) {
    if (used.has(name) && wanted.has(block.source)) blocks[name] = await block.generate();
  }
  for (const { file, text } of files) {
    const updated = withBlocks(text, relative(PROJECT, file), blocks);
    if (updated !== text) {
      writeFileSync(file, updated);
      console.log(`updated ${relative(PROJECT, file)}`);
    }
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
