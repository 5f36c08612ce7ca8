import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ACCESS_KEY_OPTIONS } from '../../src/iam-user-single-access-key/options';
import { documentationFiles, optionBlocks, withOptionBlocks } from '../../scripts/optionsDocs';

const PROJECT = resolve(__dirname, '../..');

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
