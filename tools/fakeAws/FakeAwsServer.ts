import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Admission, admit } from './admit';
import { AnswerGates } from './AnswerGates';
import { authorizationOf } from './authorization';
import { configActions } from './config';
import { DynamoDbUpstream } from './DynamoDbUpstream';
import { iamActions } from './iam';
import { headerOf, parseAuthorization, PROTOCOLS, regionOf, type Reply, type SigV4Scope } from './protocols';
import { type Actions, type Route, route } from './route';
import { stsActions } from './sts';
import type { FakeAwsCall } from './types';
import { ApiError } from './wire';
import type { World } from './World';

/** A request as it arrived. */
interface Arrival {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  body: string;
  at: number;
  /** Who signed the request, and what it asks for: worked out once, for the answer gates and the answer. */
  auth: ReturnType<typeof parseAuthorization>;
  request: Route;
}

/**
 * The stand-in's HTTP server on 127.0.0.1: each request routed to its service and action,
 * admitted (credentials, rate limit, faults, hooks), answered in its protocol after `latencyMs`,
 * and recorded; DynamoDB requests sent on to an upstream when there is one.
 */
export class FakeAwsServer {
  /** When answers go out (answerTogether, holdAnswers). */
  readonly gates = new AnswerGates<Arrival>();
  private readonly server: http.Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly actions: Actions;
  private readonly upstream: DynamoDbUpstream | undefined;

  constructor(
    private readonly world: World,
    private readonly onCall: ((call: FakeAwsCall) => void) | undefined,
    dynamoDbEndpoint: string | undefined,
  ) {
    this.upstream = dynamoDbEndpoint ? new DynamoDbUpstream(dynamoDbEndpoint.replace(/\/+$/, '')) : undefined;
    this.actions = {
      query: {
        iam: iamActions,
        sts: stsActions({
          issueCredentials: (roleArn, sessionName, durationSeconds, accountId) => {
            const issued = world.credentials.issue(roleArn, sessionName, durationSeconds, accountId);
            world.assumedRoles.push(roleArn);
            return issued;
          },
          issuedCredentials: (accessKeyId) => world.credentials.get(accessKeyId),
        }),
      },
      config: configActions({
        takeEvaluationRejection: () => world.faults.takeEvaluationRejection(),
        recordPutEvaluations: (record) => world.recordPutEvaluations(record),
        recordRejectedEvaluations: (evaluations) => world.rejectedEvaluations.push(...evaluations),
      }),
    };
    this.server = http.createServer({ keepAlive: true }, (req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 65_000;
  }

  /** Listens at a free port; returns http://127.0.0.1:PORT. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops the server, dropping open connections and pending (delayed) responses. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Answers what a gate held (reset). */
  releaseParked(): void {
    for (const arrival of this.gates.open()) this.answer(arrival);
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const at = Date.now();
    res.once('close', this.world.traffic.started());
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const auth = parseAuthorization(headerOf(req, 'authorization'));
      const arrival: Arrival = { req, res, body, at, auth, request: route(req, body, auth, this.actions) };
      for (const ready of this.gates.arrive(arrival.request.action, arrival)) this.answer(ready);
    });
  }

  private answer(arrival: Arrival): void {
    const internalError = (error: unknown): Reply => {
      console.error('fakeAws: internal error', error);
      return { status: 500, headers: { 'content-type': 'text/plain' }, body: `fakeAws internal error: ${String(error)}` };
    };
    let reply: Reply | Promise<Reply>;
    try {
      reply = this.handle(arrival);
    } catch (error) {
      reply = internalError(error);
    }
    void Promise.resolve(reply)
      .catch(internalError)
      .then((answer) => this.gates.deliver(arrival.request.action, () => this.send(arrival.res, answer)));
  }

  private send(res: http.ServerResponse, reply: Reply): void {
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
      res.end(reply.body);
    };
    if (this.world.latencyMs <= 0) {
      write();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      write();
    }, this.world.latencyMs);
    this.timers.add(timer);
  }

  private handle({ req, body, at, auth, request }: Arrival): Reply | Promise<Reply> {
    const sessionToken = headerOf(req, 'x-amz-security-token');
    if (this.upstream && request.forwardable) return this.forward(this.upstream, req, body, request, auth, sessionToken, at);
    return this.dispatch(request, auth, sessionToken, at);
  }

  /** Admission, the action, recording. */
  private dispatch(request: Route, auth: SigV4Scope | undefined, sessionToken: string | undefined, at: number): Reply {
    const protocol = PROTOCOLS[request.service];
    const requestId = randomUUID();
    const where: Admission = { accountId: this.world.defaultAccountId };
    let reply: Reply;
    let errorCode: string | undefined;
    try {
      const account = admit(this.world, request, auth, sessionToken, where);
      reply = protocol.ok(request.action, requestId, request.run({ account, accessKeyId: auth?.accessKeyId }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      reply = protocol.error(error, requestId);
      errorCode = error.code;
    }
    this.record(request, auth, where, reply.status, errorCode, at);
    return reply;
  }

  /** A DynamoDB request sent on to the upstream once admitted (authentication, fault injection, hooks). */
  private async forward(
    upstream: DynamoDbUpstream,
    req: http.IncomingMessage,
    body: string,
    request: Route,
    auth: SigV4Scope | undefined,
    sessionToken: string | undefined,
    at: number,
  ): Promise<Reply> {
    const where: Admission = { accountId: this.world.defaultAccountId };
    try {
      const account = admit(this.world, request, auth, sessionToken, where);
      // Its key schema stays known here, for the requests' condition keys (dynamodb:LeadingKeys).
      const keySchema = request.params.KeySchema as { AttributeName?: string; KeyType?: string }[] | undefined;
      const hashKey = keySchema?.find((key) => key.KeyType === 'HASH')?.AttributeName;
      if (request.action === 'CreateTable' && hashKey) account.upstreamHashKeys.set(String(request.params.TableName), hashKey);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const reply = PROTOCOLS.dynamodb.error(error, randomUUID());
      this.record(request, auth, where, reply.status, error.code, at);
      return reply;
    }
    const { reply, errorCode } = await upstream.send(req, body);
    this.record(request, auth, where, reply.status, errorCode, at);
    return reply;
  }

  /** Records a request as answered, and tells the onCall listener. */
  private record(
    { service, action, params }: Route,
    auth: SigV4Scope | undefined,
    where: Admission,
    status: number,
    errorCode: string | undefined,
    at: number,
  ): void {
    const accessKeyId = auth?.accessKeyId;
    const assumedRole = accessKeyId === undefined ? undefined : this.world.credentials.get(accessKeyId)?.roleArn;
    const call: FakeAwsCall = {
      service,
      action,
      params,
      ...(accessKeyId === undefined ? {} : { accessKeyId }),
      accountId: where.accountId,
      ...(auth === undefined ? {} : { region: regionOf(auth) }),
      ...(assumedRole === undefined ? {} : { assumedRole }),
      // Refused before its account was known (a bad token): as IAM would see it in the default account.
      authorization:
        where.authorization ??
        authorizationOf(service, action, { params, account: this.world.account(where.accountId), region: regionOf(auth) }),
      status,
      ...(errorCode === undefined ? {} : { errorCode }),
      at,
    };
    this.world.calls.push(call);
    this.onCall?.(call);
  }
}
