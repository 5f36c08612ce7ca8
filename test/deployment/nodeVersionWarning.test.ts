import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// `npx serverless deploy` on Node 20 printed the AWS SDK's seven-line notice that its releases
// after January 2027 need Node 22 before anything useful. The README names the Node to deploy
// with; the project's plugin keeps the notice out of Serverless's commands.

const PROJECT = resolve(__dirname, '../..');
/** A local port nothing listens on: the command fails at its first call, after making its clients. */
const CLOSED = 'http://127.0.0.1:9';

/** What `serverless info` prints against a closed endpoint, with the notice left on unless the project turns it off. */
function serverlessInfo(): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    AWS_ACCESS_KEY_ID: 'AKIDDEPLOYTESTONLY',
    AWS_SECRET_ACCESS_KEY: 'deploy-test-only',
    AWS_ENDPOINT_URL: CLOSED,
    AWS_MAX_ATTEMPTS: '1',
    AWS_CONFIG_FILE: join(PROJECT, 'test', 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(PROJECT, 'test', 'no-such-aws-credentials'),
  };
  const bin = join(PROJECT, 'node_modules', 'serverless', 'bin', 'serverless.js');
  const child = spawn(process.execPath, [bin, 'info', '--stage', 'dev', '--region', 'us-east-1'], {
    cwd: PROJECT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', () => done(output));
  });
}

describe('the Node version the project deploys with', function () {
  this.timeout(120_000);

  it("is the functions' runtime, named in the README's Set up section", () => {
    // Prepare
    const runtime = /^\s+runtime: nodejs(\d+)\.x$/m.exec(readFileSync(join(PROJECT, 'serverless.yml'), 'utf8'))?.[1];
    const setUp = /^## Set up\n([^]*?)\n## /m.exec(readFileSync(join(PROJECT, 'README.md'), 'utf8'))?.[1] ?? '';

    // Assess
    expect(setUp).to.match(new RegExp(`^Node\\.js ${runtime} to deploy with `, 'm'));
  });

  it("keeps the AWS SDK's Node version notice out of a serverless command", async function () {
    if (Number(process.versions.node.split('.')[0]) >= 22) this.skip(); // the SDK gives it on Node < 22 only

    // Act
    const output = await serverlessInfo();

    // Assess: the command got as far as a call (so its clients were made), without the notice
    expect(output).to.include('ECONNREFUSED');
    expect(output).not.to.include('NodeVersionSupportWarning');
  });
});
