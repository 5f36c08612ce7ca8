import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PARAMETER_OPTIONS } from '../../src/iam-user-single-access-key/parameters';
import type { Option } from '../../src/options/Option';
import { buildCli, ROOT, runCli } from './cliHarness';

// What a newcomer reads first: each command's help, with every option it takes and each rule
// flag's values and default, and the version.

/** The options every command takes. */
const GLOBAL_OPTIONS = ['--format', '--profile', '--region', '--role-arn', '--exit-zero', '--debug', '--version'];
/** A port nothing listens on: help and version call no endpoint. */
const NO_ENDPOINT = 'http://127.0.0.1:9';

/** The help's text with its line wrapping undone. */
const unwrapped = (text: string) => text.replace(/\s+/g, ' ');
const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
const plain = (markdown: string) => markdown.replace(/`/g, '');

const helps = new Map<string, ReturnType<typeof runCli>>();
/** `command --help`, run once per command. */
const helpOf = (command: string) => {
  if (!helps.has(command)) helps.set(command, runCli([command, '--help'], NO_ENDPOINT));
  return helps.get(command)!;
};

describe('CLI help and version (subprocess)', function () {
  this.timeout(60_000);

  before(async () => {
    await buildCli();
  });

  for (const command of ['audit', 'plan', 'summary']) {
    it(`lists the options every command takes in ${command} --help`, async () => {
      // Act
      const run = await helpOf(command);

      // Assess
      expect(run.stdout).to.match(new RegExp(`^Usage: iam-user-single-access-key ${command} \\[options\\]`));
      for (const flag of GLOBAL_OPTIONS) expect(run.stdout, flag).to.match(new RegExp(`^\\s+(-V, )?${flag} `, 'm'));
      expect(run.stderr).to.equal('');
      expect(run.status).to.equal(0);
    });
  }

  for (const command of ['audit', 'plan']) {
    for (const [name, definition] of Object.entries(PARAMETER_OPTIONS as Record<string, Option<unknown>>)) {
      it(`gives the values and default of --${kebab(name)} in ${command} --help, from the rule's definition`, async () => {
        // Act
        const run = await helpOf(command);

        // Assess
        const help = unwrapped(run.stdout);
        const entry = help.slice(help.indexOf(` --${kebab(name)} `)).split(/ --[a-z]/)[1]!;
        const defaultText = definition.defaultDoc ?? (definition.default === '' ? 'none' : definition.default);
        expect(entry).to.include(plain(definition.doc));
        expect(entry).to.include(`Takes ${definition.kind.expected}`);
        expect(entry).to.include(`default: ${plain(defaultText)}.`);
      });
    }
  }

  for (const flag of ['--version', '-V']) {
    it(`prints the package's version on ${flag} and exits 0`, async () => {
      // Prepare
      const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

      // Act
      const run = await runCli([flag], NO_ENDPOINT);

      // Assess
      expect(run.stdout).to.equal(`${version}\n`);
      expect(run.stderr).to.equal('');
      expect(run.status).to.equal(0);
    });
  }
});
