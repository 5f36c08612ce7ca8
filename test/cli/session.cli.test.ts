import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeAws } from '../../tools/fakeAws';
import { ACCOUNT_ID, buildCli, fixtureUsers, runCli } from './cliHarness';

// Where the calls go: the region a run uses when none is given (IAM is global), and what a run
// says when an endpoint answers with something that is not the API's response.

describe('CLI region and endpoint (subprocess)', function () {
  this.timeout(60_000);
  let fake: FakeAws;
  let dir: string;

  before(async () => {
    await buildCli();
    fake = await FakeAws.start({ accountId: ACCOUNT_ID });
    fake.addUsers(fixtureUsers(Date.now()));
    dir = mkdtempSync(join(tmpdir(), 'cli-region-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n\n[profile audit]\nregion = ap-south-1\n');
    writeFileSync(join(dir, 'credentials'), '[audit]\naws_access_key_id = AKIDCLITESTONLY\naws_secret_access_key = cli-test-only\n');
  });

  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: { name: string; args: string[]; env: Record<string, string | undefined>; debug: string }[] = [
    {
      name: 'no region anywhere: us-east-1, saying so',
      args: ['audit'],
      env: { AWS_REGION: undefined },
      debug:
        'debug: region us-east-1 (the default: no --region, AWS_REGION or region in profile default; IAM is global, any region reaches it)',
    },
    {
      name: "the profile's region",
      args: ['plan'],
      env: { AWS_REGION: undefined, AWS_CONFIG_FILE: 'CONFIG' },
      debug: 'debug: region eu-west-1 (the region of profile default)',
    },
    {
      name: 'the region of the profile given by AWS_PROFILE',
      args: ['audit'],
      env: {
        AWS_REGION: undefined,
        AWS_CONFIG_FILE: 'CONFIG',
        AWS_SHARED_CREDENTIALS_FILE: 'CREDENTIALS',
        AWS_PROFILE: 'audit',
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
      },
      debug: 'debug: region ap-south-1 (the region of profile audit)',
    },
    { name: 'AWS_REGION', args: ['audit'], env: { AWS_REGION: 'eu-central-1' }, debug: 'debug: region eu-central-1 (AWS_REGION)' },
    { name: '--region', args: ['audit', '--region', 'sa-east-1'], env: {}, debug: 'debug: region sa-east-1 (--region)' },
  ];
  for (const { name, args, env, debug } of cases) {
    it(`runs with ${name}, and says which region with --debug`, async () => {
      // Prepare
      const files: Record<string, string> = { CONFIG: join(dir, 'config'), CREDENTIALS: join(dir, 'credentials') };
      const withFiles = Object.fromEntries(Object.entries(env).map(([key, value]) => [key, (value && files[value]) ?? value]));

      // Act
      const run = await runCli([...args, '--format', 'json', '--debug'], fake.url, withFiles);

      // Assess
      // (audit then says on stderr whether the region records IAM users: not the business of this test)
      expect(run.stderr.split('\n').slice(0, 2)).to.deep.equal([debug, `debug: account ${ACCOUNT_ID}`]);
      expect(JSON.parse(run.stdout)).to.have.property('accountId', ACCOUNT_ID);
      expect(run.status).to.equal(1);
    });
  }

  it("refuses summary without a region, the aggregator's, saying where to set one", async () => {
    // Act
    const run = await runCli(['summary', '--aggregator', 'org'], fake.url, { AWS_REGION: undefined });

    // Assess
    expect(run.stderr).to.equal(
      'error: no region: pass --region, set AWS_REGION, or set region in profile default of the shared config file\n',
    );
    expect(run.stdout).to.equal('');
    expect(run.status).to.equal(2);
  });

  describe('against an endpoint that answers with a web page', () => {
    let page: Server;
    let pageUrl: string;

    before(async () => {
      page = createServer((_request, response) => {
        response.writeHead(404, { 'content-type': 'text/html' });
        response.end('<html><body><h1>Not Found</h1></body></html>');
      });
      await new Promise<void>((listening) => page.listen(0, '127.0.0.1', listening));
      pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    });

    after(async () => {
      await new Promise((closed) => page.close(closed));
    });

    it("says which API failed, what came back and which endpoint to check, without the SDK's advice on hidden fields", async () => {
      // Act: STS at the stand-in, Config at the page
      const run = await runCli(['summary', '--aggregator', 'org'], fake.url, { AWS_ENDPOINT_URL_CONFIG_SERVICE: pageUrl });

      // Assess
      expect(run.stderr).to.equal(
        `error: config:DescribeAggregateComplianceByConfigRules failed for aggregator org in account ${ACCOUNT_ID}: ` +
          `the endpoint's answer (HTTP 404, text/html) is not a response of this API (SyntaxError: Unexpected token '<', "<html><bod"... is not valid JSON): ` +
          `check that the endpoint in use (AWS_ENDPOINT_URL=${fake.url}, AWS_ENDPOINT_URL_CONFIG_SERVICE=${pageUrl}) serves config:DescribeAggregateComplianceByConfigRules\n`,
      );
      expect(run.stdout).to.equal('');
      expect(run.status).to.equal(2);
    });
  });
});
