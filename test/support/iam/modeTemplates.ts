import { memberTemplateOf } from '../memberTemplate';
import { packageService, resourcesOfType } from '../packageTemplate';
import { PlacedTemplate, type Placement } from './placement';

/** A template placed in an account, with a label for messages ("<mode>: StackSet member template"). */
export interface LabelledTemplate {
  label: string;
  placed: PlacedTemplate;
}

/** The stage `packageService` packages with, and so the stack name. */
const STACK_NAME = 'iam-user-single-access-key-test';

/** A placement in `accountId` of us-east-1 (where the tests package) in the aws partition. */
export const placementIn = (accountId: string, stackName = STACK_NAME, parameters: Record<string, string> = {}): Placement => ({
  partition: 'aws',
  region: 'us-east-1',
  accountId,
  stackName,
  parameters,
});

/**
 * The templates a deploy mode creates, each placed: the stack's in `administrator`, and with
 * organization=stackset the StackSet's member template in `member` (its stack named as
 * StackSets name them, its DeploymentBucket the administrator's bucket).
 */
export async function templatesOfMode(
  mode: string,
  params: Record<string, string>,
  accounts: { administrator: string; member: string },
): Promise<LabelledTemplate[]> {
  const { template } = await packageService(params);
  const stack = new PlacedTemplate(template, placementIn(accounts.administrator));
  const templates: LabelledTemplate[] = [{ label: `${mode}: the stack`, placed: stack }];
  if (resourcesOfType(template, 'AWS::CloudFormation::StackSet').length > 0) {
    const bucket = stack.ref('ServerlessDeploymentBucket');
    const member = placementIn(accounts.member, `StackSet-${STACK_NAME}-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`, {
      DeploymentBucket: bucket,
    });
    templates.push({ label: `${mode}: StackSet member template`, placed: new PlacedTemplate(memberTemplateOf(template), member) });
  }
  return templates;
}
