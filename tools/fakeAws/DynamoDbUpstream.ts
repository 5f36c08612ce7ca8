import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import { errorTypeOf, headerOf, type Reply } from './protocols';

/** The request headers a DynamoDB request keeps when sent on. */
const FORWARDED_HEADERS = ['content-type', 'x-amz-target', 'authorization', 'x-amz-date', 'x-amz-security-token'];

/**
 * Another DynamoDB endpoint (moto_server) that answers the stand-in's DynamoDB requests, one at a
 * time: moto_server handles requests in threads, and a conditional write there is a read, a check
 * and a write that two threads can interleave (three runs for one key made two winners in 1 of
 * 400 rounds), where DynamoDB serializes writes to one item.
 */
export class DynamoDbUpstream {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly url: string) {}

  /** The upstream's answer to the request and its error code, once the requests sent before it are answered; 502 when it cannot be reached. */
  send(req: http.IncomingMessage, body: string): Promise<{ reply: Reply; errorCode?: string }> {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = headerOf(req, name);
      if (value !== undefined) headers[name] = value;
    }
    const send = async (): Promise<Reply> => {
      const response = await fetch(`${this.url}/`, { method: 'POST', headers, body });
      const text = await response.text();
      return {
        status: response.status,
        headers: {
          'content-type': response.headers.get('content-type') ?? 'application/x-amz-json-1.0',
          'x-amzn-requestid': response.headers.get('x-amzn-requestid') ?? randomUUID(),
        },
        body: text,
      };
    };
    const reply = this.queue.then(send, send);
    this.queue = reply.catch(() => undefined);
    return reply.then(
      (answer) => ({ reply: answer, ...(answer.status >= 300 ? { errorCode: errorTypeOf(answer.body) } : {}) }),
      (error: unknown) => ({
        reply: {
          status: 502,
          headers: { 'content-type': 'text/plain' },
          body: `fakeAws: DynamoDB upstream ${this.url} failed: ${String(error)}`,
        },
        errorCode: 'UpstreamFailure',
      }),
    );
  }
}
