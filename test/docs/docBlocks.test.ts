import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ACCESS_KEY_OPTIONS } from '../../src/iam-user-single-access-key/options';
import { comparable, DOC_BLOCKS, documentationFiles, markedBlocks, optionBlocks, withOptionBlocks } from '../../scripts/docBlocks';
import { buildCli } from '../cli/cliHarness';

const PROJECT = resolve(__dirname, '../..');

/** Every marked block of the documentation, with its file. */
const BLOCKS = documentationFiles().flatMap((file) =>
  [...markedBlocks(readFileSync(file, 'utf8'), relative(PROJECT, file))].map(([name, text]) => ({
    file: relative(PROJECT, file),
    name,
    text,
  })),
);

describe('options tables in the documentation', () => {
  for (const file of documentationFiles()) {
    const name = relative(PROJECT, file);
    it(`are up to date in ${name} (else run npm run docs:options)`, () => {
      const text = readFileSync(file, 'utf8');
      expect(withOptionBlocks(text, name) === text, `${name} is out of date: run npm run docs:options`).to.equal(true);
    });
  }

  it('are in the README', () => {
    expect(readFileSync(resolve(PROJECT, 'README.md'), 'utf8')).to.include('<!-- options:start -->');
  });

  it('list every option, each in a table of its section', () => {
    const text = Object.values(optionBlocks()).join('\n');
    for (const name of Object.keys(ACCESS_KEY_OPTIONS)) expect(text, name).to.include(`| \`${name}\` |`);
  });

  it('refuse a marker they cannot fill', () => {
    expect(() => withOptionBlocks('<!-- nothing:start -->\n<!-- nothing:end -->', 'X.md')).to.throw(
      'X.md: unknown generated block nothing',
    );
    expect(() => withOptionBlocks('<!-- options:start -->\nno end', 'X.md')).to.throw(
      'X.md: <!-- options:start --> has no <!-- options:end -->',
    );
  });
});

describe('the sample output in the documentation', function () {
  this.timeout(120_000);

  before(async () => {
    await buildCli();
  });

  // The demo's (docs/demo.md) is compared in test/demo/demo.test.ts, which runs the demo.
  const samples = BLOCKS.filter(({ name }) => ['cli', 'package'].includes(DOC_BLOCKS[name]!.source));

  it("includes the command line's and the packaging step's", () => {
    expect(samples.map(({ file, name }) => `${file} ${name}`)).to.include.members([
      'README.md cli-audit',
      'docs/cli.md cli-audit',
      'docs/cli.md cli-audit-json',
      'docs/cli.md cli-plan',
      'docs/cli.md cli-plan-count-inactive',
      'docs/cli.md cli-errors',
      'docs/recording-region.md recording-notice',
      'docs/troubleshooting.md package-refusals',
    ]);
  });

  for (const { file, name, text } of samples) {
    it(`is what a run prints now: ${name} in ${file} (else run npm run docs -- ${DOC_BLOCKS[name]!.source})`, async () => {
      // Act
      const fresh = await DOC_BLOCKS[name]!.generate();

      // Assess: the same but for the dates
      expect(comparable(text)).to.equal(comparable(fresh));
    });
  }
});

describe('comparing a sample with a fresh run', () => {
  const cases: [string, string, string, boolean][] = [
    ['a sweep duration in the summary line', 'SweepCompleted 1, SweepDuration 0.2', 'SweepCompleted 1, SweepDuration 0.1', true],
    [
      'an EMF timestamp and duration',
      '{"_aws":{"Timestamp":1796196908324},"SweepDuration":0.2}',
      '{"_aws":{"Timestamp":1796196883529},"SweepDuration":0.1}',
      true,
    ],
    ['a count of the sweep', 'ResourcesJudged 11, SweepDuration 0.2', 'ResourcesJudged 12, SweepDuration 0.2', false],
    ['an EMF count', '{"_aws":{"Timestamp":1},"NonCompliantResources":4}', '{"_aws":{"Timestamp":2},"NonCompliantResources":5}', false],
  ];
  for (const [what, documented, fresh, same] of cases) {
    it(`${same ? 'ignores' : 'tells'} ${what}`, () => {
      expect(comparable(documented) === comparable(fresh)).to.equal(same);
    });
  }
});

describe('the sweep frequency the documentation names', () => {
  /** How the pages say each frequency of a periodic sweep. */
  const WORDS: Record<string, string> = {
    One_Hour: 'hourly',
    Three_Hours: 'three-hourly',
    Six_Hours: 'six-hourly',
    Twelve_Hours: 'twelve-hourly',
    TwentyFour_Hours: 'daily',
  };

  it("is the default of maximumExecutionFrequency wherever a page says how often a sweep runs without naming the option's value", () => {
    // Prepare
    const defaultWord = WORDS[ACCESS_KEY_OPTIONS.maximumExecutionFrequency.default]!;
    const said = new RegExp(`\\b(an?|the|each|every) (${Object.values(WORDS).join('|')}) (periodic )?(sweep|run)`, 'gi');

    // Act
    const others = documentationFiles().flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(said)]
        .filter((match) => match[2]!.toLowerCase() !== defaultWord)
        .map((match) => `${relative(PROJECT, file)}: ${match[0]}`),
    );

    // Assess
    expect(others).to.deep.equal([]);
  });
});
