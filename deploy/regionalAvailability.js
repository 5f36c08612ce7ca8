'use strict';

// Resource types CloudFormation does not offer in every region, and the options that leave them
// out. Source: cfn-lint 1.51.0's region data (rule E3006, `cfn-lint --regions ALL_REGIONS`);
// test/deployment/cfnLint.test.ts derives the same list from cfn-lint, so the two cannot drift.
const UNAVAILABLE = {
  'AWS::Config::RemediationConfiguration': {
    regions: [
      'af-south-1',
      'ap-east-1',
      'ap-east-2',
      'ap-south-2',
      'ap-southeast-3',
      'ap-southeast-4',
      'ap-southeast-5',
      'ap-southeast-6',
      'ap-southeast-7',
      'ca-central-1',
      'ca-west-1',
      'cn-northwest-1',
      'eu-central-2',
      'eu-north-1',
      'eu-south-1',
      'eu-south-2',
      'il-central-1',
      'mx-central-1',
      'us-gov-east-1',
      'us-gov-west-1',
    ],
    leftOutBy: '--param remediation=off',
  },
};

/** One line for each resource of `resources` that `region` does not offer; empty when all can be created. */
function unavailableResources(resources, region) {
  return Object.entries(resources ?? {})
    .filter(([, resource]) => UNAVAILABLE[resource.Type]?.regions.includes(region))
    .map(
      ([id, resource]) =>
        `Region ${region} does not offer ${resource.Type} (${id}; cfn-lint 1.51.0 region data): deploy with ${UNAVAILABLE[resource.Type].leftOutBy} or to another region`,
    );
}

/** The partition of a region: aws-cn for China, aws-us-gov for GovCloud, else aws. */
function partitionOf(region) {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

module.exports = { UNAVAILABLE, unavailableResources, partitionOf };
