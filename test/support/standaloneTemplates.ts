import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Template } from './packageTemplate';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const parseYaml = require('serverless/lib/utils/fs/parse') as (path: string, contents: string) => unknown;

const RULES = resolve(__dirname, '../../rules');

/** Templates under rules/ that CloudFormation takes as they are (those with AWSTemplateFormatVersion; the other files are fragments). */
export function standaloneTemplates(directory = RULES): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return standaloneTemplates(path);
    return /\.ya?ml$/.test(entry.name) && /^AWSTemplateFormatVersion:/m.test(readFileSync(path, 'utf8')) ? [path] : [];
  });
}

/** A CloudFormation YAML template, parsed with the schema Serverless uses (short-form tags such as !Sub). */
export function readTemplate(path: string): Template {
  return parseYaml(path, readFileSync(path, 'utf8')) as Template;
}
