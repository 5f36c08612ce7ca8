import type { RecordingGroup } from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import { groupRecords } from '../../src/config/recordingRegion';

// Every recording-group shape AWS documents, for the global type AWS::IAM::User and a regional one.
// https://docs.aws.amazon.com/config/latest/APIReference/API_RecordingGroup.html

const USER = 'AWS::IAM::User';

describe('groupRecords', () => {
  const cases: [string, RecordingGroup | undefined, string, boolean][] = [
    ['no recording group (the default: all supported types without the global IAM types)', undefined, USER, false],
    ['all supported types without the global IAM types', { allSupported: true, includeGlobalResourceTypes: false }, USER, false],
    ['all supported types, includeGlobalResourceTypes left out', { allSupported: true }, USER, false],
    ['all supported types with the global IAM types', { allSupported: true, includeGlobalResourceTypes: true }, USER, true],
    [
      'ALL_SUPPORTED_RESOURCE_TYPES with the global IAM types',
      { allSupported: true, includeGlobalResourceTypes: true, recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' } },
      USER,
      true,
    ],
    [
      'ALL_SUPPORTED_RESOURCE_TYPES without them',
      { allSupported: true, includeGlobalResourceTypes: false, recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' } },
      USER,
      false,
    ],
    [
      'all supported types, includeGlobalResourceTypes false but the type listed (listed types are recorded regardless)',
      { allSupported: true, includeGlobalResourceTypes: false, resourceTypes: [USER] },
      USER,
      true,
    ],
    [
      'INCLUSION_BY_RESOURCE_TYPES listing the type',
      { allSupported: false, resourceTypes: ['AWS::S3::Bucket', USER], recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' } },
      USER,
      true,
    ],
    [
      'INCLUSION_BY_RESOURCE_TYPES without it',
      { allSupported: false, resourceTypes: ['AWS::IAM::Role'], recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' } },
      USER,
      false,
    ],
    ['specific types without a strategy, the type listed', { allSupported: false, resourceTypes: [USER] }, USER, true],
    ['specific types without a strategy, none listed', { allSupported: false, resourceTypes: [] }, USER, false],
    [
      'EXCLUSION_BY_RESOURCE_TYPES excluding the type',
      {
        allSupported: false,
        exclusionByResourceTypes: { resourceTypes: [USER] },
        recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
      },
      USER,
      false,
    ],
    [
      'EXCLUSION_BY_RESOURCE_TYPES excluding others',
      {
        allSupported: false,
        exclusionByResourceTypes: { resourceTypes: ['AWS::IAM::Role'] },
        recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
      },
      USER,
      true,
    ],
    [
      'EXCLUSION_BY_RESOURCE_TYPES with includeGlobalResourceTypes false (the exclusions override it)',
      {
        allSupported: false,
        includeGlobalResourceTypes: false,
        exclusionByResourceTypes: { resourceTypes: [] },
        recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
      },
      USER,
      true,
    ],
    [
      'a regional type under all supported types without the global IAM types',
      { allSupported: true, includeGlobalResourceTypes: false },
      'AWS::S3::Bucket',
      true,
    ],
  ];
  for (const [shape, group, resourceType, records] of cases) {
    it(`${records ? 'records' : 'does not record'} ${resourceType} with ${shape}`, () => {
      // Act
      const result = groupRecords(group, resourceType);

      // Assess
      expect(result.records).to.equal(records);
      expect(result.detail).to.be.a('string').and.not.equal('');
    });
  }
});
