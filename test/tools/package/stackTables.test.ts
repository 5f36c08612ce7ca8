import { expect } from 'chai';
import { stackTables } from '../../../tools/package/stackTables';
import type { Template } from '../../../tools/package/Template';

// The DynamoDB tables the demo creates in its stand-in, as CloudFormation would create them.

const PROPERTIES = {
  BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [{ AttributeName: 'resourceId', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'resourceId', AttributeType: 'S' }],
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
};

describe('tools: stackTables', () => {
  it('names a table without a TableName as CloudFormation does (<stack>-<logical id>-<suffix>) and keeps its properties', () => {
    // Prepare
    const template: Template = {
      Resources: {
        RemediationLockTable: { Type: 'AWS::DynamoDB::Table', Properties: PROPERTIES },
        RemediateFunctionRole: { Type: 'AWS::IAM::Role', Properties: {} },
      },
    };

    // Act
    const tables = stackTables(template, 'svc-demo');

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
    const [table] = stackTables(template, 'svc-demo');

    // Assess
    expect(table!.definition.TableName).to.equal('fixed-name');
  });
});
