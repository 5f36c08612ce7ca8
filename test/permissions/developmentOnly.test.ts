import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { openPromise } from 'yauzl';
import { DEPLOYMENT_MODES } from '../support/deploymentModes';
import { packageInBackground, packageService } from '../support/packageTemplate';

// Every mode, packaged in the background from the moment the test files load (one at a time).
packageInBackground(Object.values(DEPLOYMENT_MODES));

// The permission tests' evaluator, @cloud-copilot/iam-simulate, and its @cloud-copilot/iam-policy
// and iam-utils are AGPL-3.0-or-later: development dependencies only, never shipped
// (docs/development.md, "The permission tests"). This holds for what users run: the Lambda zips
// of every mode and the command line.

const PROJECT = resolve(__dirname, '../..');
const DEVELOPMENT_ONLY = /@cloud-copilot|iam-simulate|iam-policy|iam-utils/;

/** The text of every file of a zip, by name. */
async function zipTexts(path: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const zip = await openPromise(path, { strictFileNames: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (!entry.fileName.endsWith('/')) texts.set(entry.fileName, await text(await zip.openReadStreamPromise(entry)));
    }
  } finally {
    zip.close();
  }
  return texts;
}

describe('development-only packages stay out of what users run', function () {
  this.timeout(600_000);

  it('lists @cloud-copilot packages among the devDependencies only', () => {
    const manifest = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).filter((name) => DEVELOPMENT_ONLY.test(name))).to.deep.equal([]);
    expect(Object.keys(manifest.devDependencies).filter((name) => name.startsWith('@cloud-copilot/'))).to.include(
      '@cloud-copilot/iam-simulate',
    );
  });

  for (const [mode, params] of Object.entries(DEPLOYMENT_MODES)) {
    it(`bundles none of them into a Lambda zip: ${mode}`, async () => {
      // Prepare
      const { directory, zipBytes } = await packageService(params);

      // Act
      const found: string[] = [];
      for (const name of Object.keys(zipBytes)) {
        for (const [file, content] of await zipTexts(join(directory, `${name}.zip`)))
          if (DEVELOPMENT_ONLY.test(file) || DEVELOPMENT_ONLY.test(content)) found.push(`${name}.zip: ${file}`);
      }

      // Assess
      expect(Object.keys(zipBytes)).to.include('evaluate');
      expect(found).to.deep.equal([]);
    });
  }

  // The command line's own libraries are dependencies, loaded by the CLI only (docs/cli.md, "Libraries").
  const CLI_ONLY = /node_modules\/(commander|cli-table3|cli-progress)\//;
  for (const [mode, params] of Object.entries(DEPLOYMENT_MODES)) {
    it(`bundles none of the command line's libraries into a Lambda zip: ${mode}`, async () => {
      // Prepare
      const { directory, zipBytes } = await packageService(params);

      // Act
      const found: string[] = [];
      for (const name of Object.keys(zipBytes)) {
        for (const [file, content] of await zipTexts(join(directory, `${name}.zip`)))
          if (CLI_ONLY.test(file) || CLI_ONLY.test(content)) found.push(`${name}.zip: ${file}`);
      }

      // Assess
      expect(found).to.deep.equal([]);
    });
  }

  it('builds none of them into the command line (dist/cli)', () => {
    const cli = readFileSync(join(PROJECT, 'dist/cli/iam-user-single-access-key.cjs'), 'utf8');
    expect(cli).to.include('require("@aws-sdk/client-config-service")');
    expect(cli).not.to.match(DEVELOPMENT_ONLY);
  });
});
