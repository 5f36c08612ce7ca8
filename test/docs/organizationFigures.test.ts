import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// docs/organization.md's figures on how many member accounts one function serves, computed by the
// packaging step's own function (the templates' sizes are checked on the packaged template in
// test/organization/stackSetTemplate.test.ts).

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the packaging step's CommonJS module
const { invokeStatement, maxMemberAccounts, MAX_STATEMENT_ID } = require('../../deploy/organization.js') as {
  invokeStatement(sid: string, functionArn: string, sourceAccount: string): unknown;
  maxMemberAccounts(functionName: string, region: string): number;
  MAX_STATEMENT_ID: number;
};

const PAGE = readFileSync(join(__dirname, '../../docs/organization.md'), 'utf8').replace(/\s+/g, ' ');
/** The evaluate function of stage `prod`, as the page's figures assume. */
const FUNCTION_NAME = 'iam-user-single-access-key-prod-evaluate';

describe('docs/organization.md, how many accounts one function serves', () => {
  it('gives the size of one member statement as packaging computes it', () => {
    // Act
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${FUNCTION_NAME}`;
    const bytes = Buffer.byteLength(JSON.stringify(invokeStatement('x'.repeat(MAX_STATEMENT_ID), arn, '000000000000')));

    // Assess
    expect(PAGE).to.include(`a statement is **${bytes} bytes**`);
  });

  it('gives the number of member accounts packaging allows for prod in us-east-1 and in ap-southeast-2', () => {
    // Act
    const [usEast1, apSoutheast2] = ['us-east-1', 'ap-southeast-2'].map((region) => maxMemberAccounts(FUNCTION_NAME, region));

    // Assess
    expect(PAGE).to.include(`room for **${usEast1} member accounts** (stage \`prod\` in \`us-east-1\``);
    expect(PAGE).to.include(`e.g. ${apSoutheast2} in \`ap-southeast-2\``);
  });
});
