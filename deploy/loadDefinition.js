'use strict';

// Loads a rule's option definition (TypeScript under src/, the file the function's parameter
// parser is bundled from) with tsx's CommonJS loader, scoped to this one require: the packaging
// step then checks each value with the very code the function runs, not a copy of it. (A JSON
// definition could not carry the parsers; a second JavaScript copy would drift.) tsx is a
// development dependency, as serverless itself is.

const { resolve } = require('node:path');
const tsx = require('tsx/cjs/api');

const PROJECT = resolve(__dirname, '..');
const cache = new Map();

/**
 * `{ definition, checkDeployOptions }`: the export `name` of `file` (relative to the project),
 * a DeployDefinition, and the checker of src/options.
 */
function loadDefinition(file, name) {
  const key = `${file}#${name}`;
  if (!cache.has(key)) {
    const module = tsx.require(resolve(PROJECT, file), __filename);
    if (!module[name]) throw new Error(`${file} exports no ${name}`);
    const { checkDeployOptions } = tsx.require(resolve(PROJECT, 'src/options/checkDeployOptions.ts'), __filename);
    cache.set(key, { definition: module[name], checkDeployOptions });
  }
  return cache.get(key);
}

let given;

/** Records the names of the options given to this run (the plugin does, before any resolver runs). */
function rememberGivenOptions(names) {
  given = new Set(names);
}

/** The names of the options given to this run, as the plugin recorded them. */
function givenOptionNames() {
  if (!given) throw new Error('deploy/configRuleOptionsPlugin.js must be listed in serverless.yml plugins: it checks the deploy options');
  return given;
}

module.exports = { loadDefinition, rememberGivenOptions, givenOptionNames, PROJECT };
