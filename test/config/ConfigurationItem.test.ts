import { expect } from 'chai';
import {
  type ApiConfigurationItem,
  fromApiConfigurationItem,
  parseEventConfigurationItem,
  unjudgeableStatusReason,
} from '../../src/config/ConfigurationItem';
import { MalformedEventError } from '../../src/config/errors';
import { apiShapeItem, eventShapeItem } from '../fixtures/events';
import rdkSample from '../fixtures/rdk-example-ci-AWS_IAM_User.json';

describe('ConfigurationItem', () => {
  it('converts the API shape to the same item as the event shape', () => {
    // Prepare
    const fromEvent = parseEventConfigurationItem(eventShapeItem());

    // Act
    const fromApi = fromApiConfigurationItem(apiShapeItem() as ApiConfigurationItem);

    // Assess
    expect(fromApi).to.deep.equal(fromEvent);
    expect(fromApi).to.deep.include({
      awsAccountId: '123456789012',
      configurationItemCaptureTime: '2026-11-20T08:15:00.123Z',
      resourceId: 'AIDAJQABLZS4A3QDU576Q',
      resourceName: 'alice',
      ARN: 'arn:aws:iam::123456789012:user/team/ops/alice',
    });
    expect(fromApi.configuration).to.include({ path: '/team/ops/', userName: 'alice' });
  });

  it("reads AWS's RDK sample item, whose account field has the API's name, only as an API item", () => {
    // The RDK sample mixes the shapes: as an event item it lacks awsAccountId.
    expect(() => parseEventConfigurationItem(structuredClone(rdkSample))).to.throw(MalformedEventError, /awsAccountId/);
    const item = fromApiConfigurationItem({
      ...structuredClone(rdkSample),
      arn: rdkSample.ARN,
      configurationItemCaptureTime: new Date(rdkSample.configurationItemCaptureTime),
      configuration: JSON.stringify(rdkSample.configuration),
    } as ApiConfigurationItem);
    expect(item).to.deep.include({ awsAccountId: '112233445566', resourceId: 'AIDAILEDWOGIPJFAKOJKW', resourceName: 'johndoe' });
    expect(item.configuration).to.include({ userName: 'johndoe', userId: 'AIDAILEDWOGIPJFAKOJKW' });
  });

  it('rejects an API item whose configuration is not JSON, naming the field', () => {
    const item = { ...apiShapeItem(), configuration: '{not json' } as ApiConfigurationItem;
    expect(() => fromApiConfigurationItem(item)).to.throw(MalformedEventError, /configurationItems\[0\]\.configuration is not valid JSON/);
  });

  it('rejects tags that are not strings', () => {
    const item = { ...eventShapeItem(), tags: { team: 7 } };
    expect(() => parseEventConfigurationItem(item)).to.throw(MalformedEventError, /configurationItem\.tags\.team must be a string/);
  });

  const statuses: [string, boolean][] = [
    ['OK', true],
    ['ResourceDiscovered', true],
    ['ResourceDeleted', false],
    ['ResourceDeletedNotRecorded', false],
    ['ResourceNotRecorded', false],
  ];
  for (const [status, judgeable] of statuses) {
    it(`${judgeable ? 'judges' : 'does not judge'} an item in status ${status}`, () => {
      expect(unjudgeableStatusReason(status) === undefined).to.equal(judgeable);
    });
  }
});
