import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { FakeUser } from '../tools/fakeAws';

/** What the stand-in saw since its last reset, as bench/fakeServer.ts reports it. */
export interface FakeStats {
  iamCalls: number;
  configCalls: number;
  dynamodbCalls: number;
  throttled: number;
  /** Requests answered with an injected error. */
  injected: number;
  /** Evaluations the fake Config accepted (recorded). */
  evaluations: number;
  distinctResources: number;
  putTimes: number[];
  iamTimes: { first?: number; last?: number };
  byAction?: Record<string, number>;
}

/** The local stand-in of AWS in a process of its own (bench/fakeServer.ts), driven over IPC. */
export class FakeProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (message: { id: number; result: unknown }) => this.waiting.get(message.id)?.(message.result));
  }

  /** Starts the stand-in's process and waits for its URL. */
  static async start(): Promise<FakeProcess> {
    const child = fork(join(__dirname, 'fakeServer.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const { url } = await new Promise<{ url: string }>((done) =>
      child.once('message', (message: { result: { url: string } }) => done(message.result)),
    );
    return new FakeProcess(child, url);
  }

  /** Sends one command (bench/fakeServer.ts lists them) and waits for its result. */
  request<T = unknown>(command: string, fields: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise((done) => {
      this.waiting.set(id, (result) => {
        this.waiting.delete(id);
        done(result as T);
      });
      this.child.send({ id, command, ...fields });
    });
  }

  /** Replaces the account's IAM users. */
  async setUsers(users: FakeUser[]): Promise<void> {
    await this.request('clearUsers');
    await this.request('addUsers', { users });
  }

  /** What the stand-in saw since its last reset. */
  stats(): Promise<FakeStats> {
    return this.request<FakeStats>('stats');
  }

  stop(): void {
    this.child.disconnect();
  }
}
