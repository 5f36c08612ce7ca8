'use strict';

// organization=stackset: the StackSet's member template is derived from the packaged template, so
// every member account runs exactly what single-account mode deploys (the same functions, zips,
// roles, rule and remediation), not a hand-kept copy. Called after Serverless has compiled the
// functions and merged the resources (configRuleOptionsPlugin.js), it:
// - takes every resource but the administrator's own (the deployment bucket and its policy, Lambda
//   versions, and the fragments deployment.js names: the StackSet, the aggregator) into the member
//   template; the functions' code stays where this deploy uploads it (Code.S3Key, a new key each
//   deploy), the bucket comes in as the StackSet parameter DeploymentBucket;
// - puts it into the StackSet's TemplateBody (at most 51,200 bytes) with the capabilities it needs;
// - lets principals of the organization read the functions' zips (s3:GetObject, nothing else):
//   Lambda reads the code of a function it creates with the caller's access, and in a member
//   account the caller is the StackSet's execution role. The bucket must be in the same region
//   (it is: the StackSet deploys to this region only) and may be in another account.
//   https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCode.html (S3Bucket)
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
//   The statement does not name that role: stacksets-exec-* by default, but a custom one can replace it.
//   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-custom-execution-role.html
// - with callAs=DELEGATED_ADMIN, removes the rule from this stack: the administrator is a member
//   account and gets the rule, of the same name, from the StackSet if it is in the targets (the
//   management account gets none: deploy/organization.js organizationCoverage says so when packaging).

// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html (TemplateBody)
const TEMPLATE_BODY_LIMIT = 51_200;
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html (StackSetName)
const STACK_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
const BUCKET = 'ServerlessDeploymentBucket';
const BUCKET_POLICY = 'ServerlessDeploymentBucketPolicy';
const BUCKET_PARAMETER = 'DeploymentBucket';
const STACK_SET_TYPE = 'AWS::CloudFormation::StackSet';
// The name each IAM resource type can be given; one given needs CAPABILITY_NAMED_IAM (an
// AWS::IAM::RolePolicy's RoleName names the role it attaches to, not a new resource).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html (Capabilities)
const IAM_NAMES = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
};

/** The logical ids `value` refers to (Ref, Fn::GetAtt, ${Name} of Fn::Sub); pseudo parameters left out. */
function referencesOf(value, found = new Set()) {
  if (Array.isArray(value)) {
    for (const item of value) referencesOf(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') found.add(inner);
      else if (key === 'Fn::GetAtt') found.add(Array.isArray(inner) ? inner[0] : String(inner).split('.')[0]);
      else if (key === 'Fn::Sub') {
        const [text, variables] = Array.isArray(inner) ? inner : [inner, {}];
        for (const [, name] of String(text).matchAll(/\$\{([^!}][^}]*)\}/g))
          if (!Object.hasOwn(variables ?? {}, name)) found.add(name.split('.')[0]);
        referencesOf(variables, found);
      } else referencesOf(inner, found);
    }
  }
  for (const name of found) if (name.startsWith('AWS::')) found.delete(name);
  return found;
}

/** A copy of `value` with every `{ Ref: from }` replaced by `{ Ref: to }`. */
function replaceRef(value, from, to) {
  if (Array.isArray(value)) return value.map((item) => replaceRef(item, from, to));
  if (!value || typeof value !== 'object') return value;
  if (Object.keys(value).length === 1 && value.Ref === from) return { Ref: to };
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, replaceRef(inner, from, to)]));
}

/** Whether a resource is the administrator's: Serverless's bucket, its policy, a Lambda version, or one of `administratorOnly`. */
const isAdministrators = (id, resource, administratorOnly) =>
  id === BUCKET || id === BUCKET_POLICY || resource.Type === 'AWS::Lambda::Version' || administratorOnly.includes(id);

/**
 * The member template of `template` (a compiled Serverless template): every resource but the
 * administrator's, the bucket as parameter DeploymentBucket, and the outputs of those resources.
 * `errors` names each reference from a member resource to one it does not hold.
 */
function memberTemplateOf(template, administratorOnly) {
  const errors = [];
  const ids = Object.keys(template.Resources).filter((id) => !isAdministrators(id, template.Resources[id], administratorOnly));
  const resources = {};
  for (const id of ids) {
    const resource = replaceRef(template.Resources[id], BUCKET, BUCKET_PARAMETER);
    for (const name of [...referencesOf(resource), ...[resource.DependsOn ?? []].flat()]) {
      if (name !== BUCKET_PARAMETER && !ids.includes(name))
        errors.push(`organization=stackset: ${id} refers to ${name}, which a member account's stack does not hold`);
    }
    resources[id] = resource;
  }
  const outputs = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if ([...referencesOf(output.Value)].every((id) => ids.includes(id)))
      outputs[name] = { Description: output.Description, Value: output.Value };
  }
  const member = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `${template.Description ?? 'Serverless application'}: the stack the StackSet deploys in each member account`,
    Parameters: {
      [BUCKET_PARAMETER]: { Type: 'String', Description: "The administrator account's deployment bucket, which holds the functions' code" },
    },
    Resources: resources,
    Outputs: outputs,
  };
  return { member, ids, errors: [...new Set(errors)] };
}

/** The capabilities a StackSet needs to create `resources`. */
function capabilitiesOf(resources) {
  const iam = Object.values(resources).filter((resource) => resource.Type.startsWith('AWS::IAM::'));
  if (iam.some((resource) => Object.hasOwn(IAM_NAMES, resource.Type) && resource.Properties?.[IAM_NAMES[resource.Type]] !== undefined))
    return ['CAPABILITY_NAMED_IAM'];
  return iam.length > 0 ? ['CAPABILITY_IAM'] : [];
}

/** The bucket policy statement that lets principals of `organizationId` read the zips of `functions` (AWS::Lambda::Function resources). */
function organizationReadStatement(functions, organizationId) {
  // <deploymentPrefix>/<service>/<stage>/<artifact directory of this deploy>/<name>.zip: every
  // deploy's zip of these functions (a rollback needs the previous one), no other object.
  const keys = [...new Set(functions.map((resource) => resource.Properties.Code.S3Key.replace(/[^/]+(\/[^/]+)$/, '*$1')))].sort();
  return {
    Sid: 'OrganizationReadsRuleCode',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: keys.map((key) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::\${${BUCKET}}/${key}` })),
    Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
  };
}

/** One line for each way the deployment bucket could not serve member accounts. */
function bucketErrors(template) {
  const bucket = template.Resources[BUCKET];
  const policy = template.Resources[BUCKET_POLICY];
  if (!bucket || !policy)
    return ['organization=stackset needs the deployment bucket Serverless creates, with its policy: remove provider.deploymentBucket'];
  const errors = [];
  // Objects under the AWS-managed aws/s3 key cannot be read from another account.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption.html
  const encryption = bucket.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration ?? [];
  if (!encryption.every((rule) => rule.ServerSideEncryptionByDefault?.SSEAlgorithm === 'AES256')) {
    errors.push(
      'organization=stackset: the deployment bucket must encrypt with SSE-S3 (AES256), which member accounts can read through; not KMS',
    );
  }
  const tlsOnly = (policy.Properties.PolicyDocument.Statement ?? []).some(
    (statement) =>
      statement.Effect === 'Deny' &&
      [statement.Action].flat().includes('s3:*') &&
      statement.Condition?.Bool?.['aws:SecureTransport'] === false,
  );
  if (!tlsOnly)
    errors.push("organization=stackset: the deployment bucket's policy must deny requests without TLS (aws:SecureTransport false)");
  return errors;
}

/**
 * Derives the StackSet of `template` (a compiled Serverless template, changed in place) as the top
 * comment says. `settings`: `{ organizationId, ruleHere, administratorOnly }` (deployment.js
 * `stackSet`). Returns one line per error (nothing changed then) and the sizes in bytes.
 */
function deriveStackSet(template, settings) {
  const { organizationId, ruleHere, administratorOnly } = settings;
  const stackSets = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === STACK_SET_TYPE);
  if (stackSets.length !== 1)
    return { errors: [`organization=stackset: expected one ${STACK_SET_TYPE} in the template, found ${stackSets.length}`] };
  const stackSet = template.Resources[stackSets[0]];
  const errors = bucketErrors(template);
  const name = stackSet.Properties.StackSetName;
  if (!STACK_SET_NAME.test(name))
    errors.push(
      `organization=stackset: the StackSet name ${JSON.stringify(name)} (<service>-<stage>) must be a letter and then letters, digits or -, 128 at most: choose another --stage`,
    );
  const { member, ids, errors: referenceErrors } = memberTemplateOf(template, administratorOnly);
  errors.push(...referenceErrors);
  const body = JSON.stringify(member);
  const memberBytes = Buffer.byteLength(body);
  if (memberBytes > TEMPLATE_BODY_LIMIT)
    errors.push(
      `organization=stackset: the member template takes ${memberBytes} bytes, more than the ${TEMPLATE_BODY_LIMIT} a StackSet's TemplateBody takes`,
    );
  if (errors.length > 0) return { errors };

  stackSet.Properties.TemplateBody = body;
  stackSet.Properties.Capabilities = capabilitiesOf(member.Resources);
  const functions = Object.values(member.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');
  template.Resources[BUCKET_POLICY].Properties.PolicyDocument.Statement.push(organizationReadStatement(functions, organizationId));
  if (!ruleHere) {
    // The functions' versions go with them: Serverless's, of functions this stack no longer holds.
    const removed = [...ids, ...Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::Lambda::Version')];
    for (const id of removed) delete template.Resources[id];
    for (const [outputName, output] of Object.entries(template.Outputs ?? {})) {
      if ([...referencesOf(output.Value)].some((id) => removed.includes(id))) delete template.Outputs[outputName];
    }
  }
  return { errors: [], memberBytes, administratorBytes: Buffer.byteLength(JSON.stringify(template)) };
}

module.exports = { deriveStackSet, memberTemplateOf, referencesOf, TEMPLATE_BODY_LIMIT, BUCKET_PARAMETER };
