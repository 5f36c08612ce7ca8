import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { FakeAws, type FakeUser } from '../../tools/fakeAws';
import { ACCOUNT_ID, BIN, buildCli, cliEnv, ROOT } from './cliHarness';

// What a person sees: the CLI in a real terminal (a tmux pane, 140 x 45), its progress line while
// it judges, then the table. tmux is typed into (send-keys) and read (capture-pane) like a screen.

const tmux = promisify(execFile);
const COLUMNS = 140;
const DAY_MS = 86_400_000;

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `count` users; every tenth has a second active key. */
function users(count: number): FakeUser[] {
  return Array.from({ length: count }, (_, index) => ({
    userName: `person-${String(index).padStart(3, '0')}`,
    userId: `AIDACLITTY${String(index).padStart(10, '0')}`,
    accessKeys: Array.from({ length: index % 10 === 0 ? 2 : 1 }, (__, key) => ({
      accessKeyId: `AKIACLITTY${String(index).padStart(6, '0')}KEY${key}`,
      status: 'Active' as const,
      createDate: new Date(Date.now() - (50 - key) * DAY_MS),
    })),
  }));
}

const shellQuote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;

describe('CLI in a terminal (tmux)', function () {
  this.timeout(90_000);
  const socket = `iam-cli-test-${process.pid}`;
  let fake: FakeAws;

  before(async function () {
    if (!hasTmux()) {
      console.warn('    tmux is not installed (apt-get install tmux): skipping the terminal test');
      this.skip();
    }
    await buildCli();
    fake = await FakeAws.start({ accountId: ACCOUNT_ID });
    fake.addUsers(users(120));
    // Slow enough answers that the progress line stays on screen for a while.
    fake.latencyMs = 80;
  });

  after(async () => {
    await tmux('tmux', ['-L', socket, 'kill-server']).catch(() => undefined);
    await fake?.close();
  });

  /** The screen and the lines scrolled off it. */
  const screen = async () => (await tmux('tmux', ['-L', socket, 'capture-pane', '-p', '-S', '-', '-t', 'cli'])).stdout;

  it('shows progress on stderr while judging, then a table that fits the terminal, and exits 1', async () => {
    // Prepare: a shell in a 140 x 45 terminal
    await tmux('tmux', [
      '-L',
      socket,
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      'cli',
      '-x',
      String(COLUMNS),
      '-y',
      '45',
      'bash --norc --noprofile',
    ]);
    const env = Object.entries({ ...cliEnv(fake.url), SWEEP_CONCURRENCY: '8' })
      .map(([name, value]) => `${name}=${shellQuote(value)}`)
      .join(' ');
    const command = `cd ${shellQuote(ROOT)} && clear && env ${env} node ${shellQuote(BIN)} audit; echo "EXIT=$?"`;

    // Act: type the command, then read the screen until it has finished
    await tmux('tmux', ['-L', socket, 'send-keys', '-t', 'cli', command, 'Enter']);
    const progressLines: string[] = [];
    let final = '';
    for (const started = Date.now(); Date.now() - started < 60_000;) {
      const text = await screen();
      const progress = text.split('\n').find((line) => line.startsWith('Judging IAM users'));
      if (progress) progressLines.push(progress);
      if (/^EXIT=\d+$/m.test(text)) {
        final = text;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Assess: the progress line, redrawn in place with judged/listed, rate, throttled calls and time left
    expect(progressLines.length, 'progress seen on screen').to.be.greaterThan(0);
    for (const line of progressLines) {
      expect(line).to.match(/^Judging IAM users [█░]{20} \d+\/\d+\+? \| \d+\.\d\/s \| \d+ throttled \| (\?|\d+s|\d+m\d\ds) left\s*$/);
    }
    expect(
      progressLines.some((line) => /\| \d+s left/.test(line)),
      'a time left once ListUsers is done',
    ).to.equal(true);
    // ... then gone, the table in its place, fitted to the terminal's width
    expect(final).not.to.include('Judging IAM users');
    const lines = final.split('\n');
    expect(lines.some((line) => /^│ User\s+│ Result\s+│ Annotation\s+│$/.test(line))).to.equal(true);
    expect(
      lines.some((line) =>
        /^│ person-110 │ NON_COMPLIANT\s+│ 2 active access keys \(limit 1\): \*\*\*\*KEY0, 50d old, never used;/.test(line),
      ),
    ).to.equal(true);
    expect(
      lines.some((line) => /^│ person-119 │ COMPLIANT\s+│ 1 active access key \(limit 1\): \*\*\*\*KEY0, 50d old\.\s+│$/.test(line)),
    ).to.equal(true);
    const tableLines = lines.filter((line) => /^[│┌├└]/.test(line));
    expect(Math.max(...tableLines.map((line) => line.length))).to.equal(COLUMNS);
    expect(final).to.match(/^Account 123456789012: 120 IAM users, 12 NON_COMPLIANT, 108 COMPLIANT, 0 NOT_APPLICABLE\.$/m);
    expect(final).to.match(/^EXIT=1$/m);
  });
});
