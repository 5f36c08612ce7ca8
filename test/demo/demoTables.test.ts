import { expect } from 'chai';
import { demoTables } from '../../scripts/demo/demoTables';
import type { Template } from '../support/packageTemplate';

// The DynamoDB tables the demo creates in its stand-in, as CloudFormation would create them.

const PROPERTIES = {
  BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [{ AttributeName: 'resourceId', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'resourceId', AttributeType: 'S' }],
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
};

describe('demo: demoTables', () => {
  it('names a table without a TableName as CloudFormation does (<stack>-<logical id>-<suffix>) and keeps its properties', () => {
    // Prepare
    const template: Template = {
      Resources: {
        RemediationLockTable: { Type: 'AWS::DynamoDB::Table', Properties: PROPERTIES },
        RemediateFunctionRole: { Type: 'AWS::IAM::Role', Properties: {} },
      },
    };

    // Act
    const tables = demoTables(template, 'svc-demo');

    // Assess
    expect(tables).to.have.length(1);
    expect(tables[0]!.logicalId).to.equal('RemediationLockTable');
    expect(tables[0]!.definition.TableName).to.match(/^svc-demo-RemediationLockTable-[A-Z0-9]{12}$/);
    expect(tables[0]!.definition).to.deep.include(PROPERTIES);
  });

  it('keeps the TableName a template gives', () => {
    // Prepare
    const template: Template = {
      Resources: { Named: { Type: 'AWS::DynamoDB::Table', Properties: { ...PROPERTIES, TableName: 'fixed-name' } } },
    };

    // Act
    const [table] = demoTables(template, 'svc-demo');

    // Assess
    expect(table!.definition.TableName).to.equal('fixed-name');
  });
});
