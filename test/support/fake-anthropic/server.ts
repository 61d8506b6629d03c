import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answerFor, errorFor, FAKE_RETRY_AFTER_SECONDS } from './scenarios';
import { errorJson, messageJson, streamFrames } from './wire';

export interface FakeAnthropicOptions {
  /** When set, every request must carry `x-api-key: <apiKey>` (or `Authorization: Bearer <apiKey>`); others get a 401 authentication_error. */
  readonly apiKey?: string;
}

export interface RecordedAnthropicRequest {
  readonly method: string;
  readonly path: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface FakeAnthropic {
  /** The origin, e.g. `http://127.0.0.1:PORT` (Anthropic base URLs have no `/v1`). */
  readonly baseUrl: string;
  readonly requests: RecordedAnthropicRequest[];
  reset(): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomUUID()}`, ...headers });
  res.end(body);
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Starts a fake Anthropic Messages API on 127.0.0.1 with a random port. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const requests: RecordedAnthropicRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  function streamAnswer(res: ServerResponse, frames: readonly string[], delayMs: number): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': `req_${randomUUID()}` });
    if (delayMs === 0) {
      res.end(frames.join(''));
      return;
    }
    let next = 0;
    const writeNext = (): void => {
      const piece = frames[next++];
      if (piece === undefined || res.destroyed) {
        res.end();
        return;
      }
      res.write(piece);
      const timer = setTimeout(() => {
        timers.delete(timer);
        writeNext();
      }, delayMs);
      timers.add(timer);
    };
    writeNext();
  }

  function respond(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? url;
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      body = undefined;
    }
    requests.push({ method, path, url, headers: req.headers, body });
    // `x-api-key` is Anthropic's header (and what the gateway sends); @anthropic-ai/sdk 1.x sends Bearer.
    if (options.apiKey !== undefined && req.headers['x-api-key'] !== options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      send(res, 401, errorJson('authentication_error', 'invalid x-api-key'));
      return;
    }
    if (typeof req.headers['anthropic-version'] !== 'string') {
      send(res, 400, errorJson('invalid_request_error', 'anthropic-version: header is required'));
      return;
    }
    if (method !== 'POST' || (path !== '/v1/messages' && path !== '/v1/messages/count_tokens')) {
      send(res, 404, errorJson('not_found_error', 'Not found'));
      return;
    }
    if (!isObject(body)) {
      send(res, 400, errorJson('invalid_request_error', 'The request body is not valid JSON.'));
      return;
    }
    const model = typeof body.model === 'string' ? body.model : '';
    if (path === '/v1/messages/count_tokens') {
      if ('max_tokens' in body) {
        send(res, 400, errorJson('invalid_request_error', 'max_tokens: Extra inputs are not permitted'));
        return;
      }
      send(res, 200, JSON.stringify({ input_tokens: Math.ceil(raw.length / 4) }));
      return;
    }
    if (typeof body.max_tokens !== 'number') {
      send(res, 400, errorJson('invalid_request_error', 'max_tokens: Field required'));
      return;
    }
    const failure = errorFor(model);
    if (failure !== undefined) {
      send(res, failure.status, errorJson(failure.type, failure.message), failure.status === 429 ? { 'retry-after': FAKE_RETRY_AFTER_SECONDS } : {});
      return;
    }
    const answer = answerFor(model, body);
    const id = `msg_fake${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    if (body.stream === true) streamAnswer(res, streamFrames(answer, model, id), answer.delayMs);
    else send(res, 200, messageJson(answer, model, id));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => { respond(req, res, Buffer.concat(chunks)); });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    reset() {
      requests.length = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => { resolve(); });
      });
      return closing;
    },
  };
}
