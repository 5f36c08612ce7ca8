import { expect } from 'chai';
import { InvalidRemediationRequestError } from '../../../src/iam-user-single-access-key/remediation/errors';
import { parseRemediationRequest } from '../../../src/iam-user-single-access-key/remediation/RemediationRequest';
import { ALICE } from './fixtures';

describe('parseRemediationRequest', () => {
  const accepted: { name: string; payload: unknown; expected: object }[] = [
    {
      name: 'takes the payload the document renders, every value a string',
      payload: {
        IAMResourceId: ALICE.userId,
        MaxAccessKeys: '2',
        Action: 'Delete',
        DryRun: 'true',
        AutomationExecutionId: '4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab',
      },
      expected: {
        iamResourceId: ALICE.userId,
        maxAccessKeys: 2,
        action: 'Delete',
        dryRun: true,
        automationExecutionId: '4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab',
      },
    },
    {
      name: 'takes JSON numbers and booleans from a hand-made payload',
      payload: { IAMResourceId: ALICE.userId, MaxAccessKeys: 1, Action: 'Deactivate', DryRun: false },
      expected: { iamResourceId: ALICE.userId, maxAccessKeys: 1, action: 'Deactivate', dryRun: false },
    },
    {
      name: 'takes a boolean string in any case',
      payload: { IAMResourceId: ALICE.userId, DryRun: 'True' },
      expected: { dryRun: true },
    },
  ];
  for (const { name, payload, expected } of accepted) {
    it(name, () => {
      expect(parseRemediationRequest(payload)).to.deep.include(expected);
    });
  }

  const followingTheRule: { name: string; payload: unknown }[] = [
    { name: 'an empty MaxAccessKeys (the document default)', payload: { IAMResourceId: ALICE.userId, MaxAccessKeys: '' } },
    { name: 'no MaxAccessKeys at all', payload: { IAMResourceId: ALICE.userId } },
  ];
  for (const { name, payload } of followingTheRule) {
    it(`follows the rule's parameters for ${name}: no limit of its own, Deactivate, not a dry run`, () => {
      expect(parseRemediationRequest(payload)).to.deep.equal({ iamResourceId: ALICE.userId, action: 'Deactivate', dryRun: false });
    });
  }

  const rejected: { name: string; payload: unknown; field: string }[] = [
    { name: 'a payload that is not an object', payload: '{"IAMResourceId":"x"}', field: '(payload)' },
    { name: 'a missing IAMResourceId', payload: {}, field: 'IAMResourceId' },
    { name: 'a user name instead of an id', payload: { IAMResourceId: 'alice' }, field: 'IAMResourceId' },
    { name: 'a role id', payload: { IAMResourceId: 'AROAJQABLZS4A3QDU576Q' }, field: 'IAMResourceId' },
    { name: 'an id with a quote in it', payload: { IAMResourceId: 'AIDAJQABLZS4A3QDU576Q", "DryRun": "false' }, field: 'IAMResourceId' },
    { name: 'a MaxAccessKeys of 0', payload: { IAMResourceId: ALICE.userId, MaxAccessKeys: '0' }, field: 'MaxAccessKeys' },
    { name: 'a fractional MaxAccessKeys', payload: { IAMResourceId: ALICE.userId, MaxAccessKeys: 1.5 }, field: 'MaxAccessKeys' },
    { name: 'an unknown Action', payload: { IAMResourceId: ALICE.userId, Action: 'deactivate' }, field: 'Action' },
    { name: 'a DryRun that is not a boolean', payload: { IAMResourceId: ALICE.userId, DryRun: 'yes' }, field: 'DryRun' },
    {
      name: 'a misspelt field (Dryrun must not mean a live run)',
      payload: { IAMResourceId: ALICE.userId, Dryrun: 'true' },
      field: 'Dryrun',
    },
    {
      name: 'a malformed AutomationExecutionId',
      payload: { IAMResourceId: ALICE.userId, AutomationExecutionId: '{{ automation:EXECUTION_ID }}' },
      field: 'AutomationExecutionId',
    },
  ];
  for (const { name, payload, field } of rejected) {
    it(`rejects ${name}, naming the field`, () => {
      // Act
      let error: unknown;
      try {
        parseRemediationRequest(payload);
      } catch (caught) {
        error = caught;
      }

      // Assess
      expect(error).to.be.instanceOf(InvalidRemediationRequestError);
      expect((error as InvalidRemediationRequestError).field).to.equal(field);
      expect((error as Error).message)
        .to.include(`"${field}"`)
        .and.to.include('Nothing was changed');
    });
  }
});
