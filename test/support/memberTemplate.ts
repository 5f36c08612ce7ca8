import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Packaged, resourcesOfType, type Template } from './packageTemplate';

/** The StackSet's member template (its TemplateBody, parsed) in a packaged organization=stackset template. */
export function memberTemplateOf(template: Template): Template {
  const [id, ...others] = resourcesOfType(template, 'AWS::CloudFormation::StackSet');
  if (!id || others.length > 0)
    throw new Error(`expected one AWS::CloudFormation::StackSet, found ${[id, ...others].filter(Boolean).length}`);
  return JSON.parse(template.Resources[id].Properties!.TemplateBody as string) as Template;
}

/** The member template written beside the packaged one, as the StackSet holds it, for tools that read files (cfn-lint). */
export function memberTemplatePath(packaged: Packaged): string {
  const [id] = resourcesOfType(packaged.template, 'AWS::CloudFormation::StackSet');
  const path = join(packaged.directory, 'stackset-member-template.json');
  writeFileSync(path, packaged.template.Resources[id].Properties!.TemplateBody as string);
  return path;
}
