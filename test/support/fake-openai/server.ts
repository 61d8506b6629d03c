import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { chatCompletionJson, chatCompletionStream } from './chat';
import { textCompletionJson, textCompletionStream } from './completions';
import { embeddingsJson } from './embeddings';
import { hugeEventStream, hugeJson } from './huge';
import { isJsonObject, type JsonObject } from './json';
import { deliverJson, deliverStream, sendError, sendJson, type ResponseHost } from './respond';
import { respondResponses } from './responses';
import { scenarioFor, type Scenario } from './scenario';
import { MODELS_LIST_JSON, badRequest, errorReply, fakeId, invalidApiKey, modelObject, openAiErrorJson, type ErrorReply } from './wire';

export interface FakeOpenAiOptions {
  /** When set, every request must carry `Authorization: Bearer <apiKey>`; others get a 401 in OpenAI's error shape. */
  readonly apiKey?: string;
}

interface RecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** Path and query string exactly as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when there was no body or it was not valid JSON. */
  readonly body: unknown;
}

export interface FakeOpenAi {
  /** e.g. `http://127.0.0.1:PORT/v1` */
  readonly baseUrl: string;
  /** Every request received while recording is on, in arrival order (after its body was read). */
  readonly requests: RecordedRequest[];
  /** Clears `requests` (in place), `abortedRequests` and `connections`. */
  reset(): void;
  /** Stops listening and destroys every open connection, hanging ones included. Idempotent. */
  close(): Promise<void>;
  /** Count of requests whose client connection closed before the response ended. */
  readonly abortedRequests: number;
  /** Count of TCP connections accepted: a client that keeps its connections alive opens few. */
  readonly connections: number;
  /** Recording is on by default; benchmarks turn it off. */
  setRecording(on: boolean): void;
  /**
   * Holds every paced write (content pieces and the tail) until the returned release is called, so a
   * test can observe what arrived before them without timing assumptions.
   */
  holdPacing(): () => void;
}

const V1 = '/v1';

function ignoreError(): void {}

// Captured at load so a test that fakes timers later does not stall pacing or close().
const realSetTimeout = setTimeout;
const realClearTimeout = clearTimeout;
const realSetImmediate = setImmediate;

function nextCheck(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/** The reply of an `error-*` scenario: a bare 429 drops `retry-after`; an echo puts the request headers in the message. */
function errorReplyFor(scenario: Extract<Scenario, { kind: 'error' }>, model: string, requestHeaders: IncomingHttpHeaders): ErrorReply {
  const reply = errorReply(scenario.status, model);
  if (scenario.retryAfter === false) return { status: reply.status, body: reply.body };
  if (scenario.echoHeaders === true) {
    // What a careless provider does: quote the request back, credentials and all.
    return { ...reply, body: openAiErrorJson(`Unsupported request headers: ${JSON.stringify(requestHeaders)}`, 'invalid_request_error', null) };
  }
  return reply;
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const expectedAuthorization = options.apiKey === undefined ? undefined : `Bearer ${options.apiKey}`;
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const droppedOnPurpose = new WeakSet<ServerResponse>();
  let recording = true;
  let aborted = 0;
  let connections = 0;
  let closing: Promise<void> | undefined;
  /** While pacing is held, due paced writes wait here. */
  let held: Array<() => void> | undefined;

  const host: ResponseHost = {
    schedule(callback, delayMs) {
      const timer = realSetTimeout(() => {
        timers.delete(timer);
        if (held === undefined) callback();
        else held.push(callback);
      }, delayMs);
      timers.add(timer);
    },
    drop(res) {
      droppedOnPurpose.add(res);
      res.destroy();
    },
  };

  function onResponseClose(this: ServerResponse): void {
    if (!this.writableFinished && closing === undefined && !droppedOnPurpose.has(this)) aborted += 1;
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    res.on('close', onResponseClose);
    req.on('error', ignoreError);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      respond(req, res, raw);
    });
  }

  function respond(req: IncomingMessage, res: ServerResponse, raw: Buffer | undefined): void {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    let body: unknown;
    let invalidJson = false;
    if (raw !== undefined && raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        invalidJson = true;
      }
    }
    if (recording) requests.push({ method, path, url, headers: req.headers, body });
    const requestId = fakeId('req_');

    if (expectedAuthorization !== undefined && req.headers.authorization !== expectedAuthorization) {
      sendError(res, invalidApiKey(), requestId);
      return;
    }
    if (method === 'GET') {
      if (path === `${V1}/models`) {
        sendJson(res, 200, MODELS_LIST_JSON, requestId);
        return;
      }
      if (path.startsWith(`${V1}/models/`) && path.length > V1.length + 8) {
        sendJson(res, 200, JSON.stringify(modelObject(decodeURIComponent(path.slice(V1.length + 8)))), requestId);
        return;
      }
    } else if (method === 'POST') {
      if (path === `${V1}/responses`) return respondResponses(host, res, requestId, body, invalidJson);
      if (path === `${V1}/chat/completions` || path === `${V1}/embeddings` || path === `${V1}/completions`) {
        if (invalidJson) {
          sendError(res, badRequest('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)'), requestId);
          return;
        }
        if (!isJsonObject(body)) {
          sendError(res, badRequest('The request body must be a JSON object.'), requestId);
          return;
        }
        postEndpoint(res, requestId, path, body, req.headers);
        return;
      }
    }
    sendError(
      res,
      { status: 404, body: openAiErrorJson(`Invalid URL (${method} ${path})`, 'invalid_request_error', null) },
      requestId,
    );
  }

  function postEndpoint(res: ServerResponse, requestId: string, path: string, body: JsonObject, requestHeaders: IncomingHttpHeaders): void {
    const model = body['model'];
    if (typeof model !== 'string' || model.length === 0) {
      sendError(res, badRequest('you must provide a model parameter', 'model'), requestId);
      return;
    }
    const scenario = scenarioFor(model);
    if (scenario.kind === 'error') {
      sendError(res, errorReplyFor(scenario, model, requestHeaders), requestId);
      return;
    }
    if (scenario.kind === 'hang') return; // never answered; the client or close() ends it
    if (scenario.kind === 'huge-event') {
      hugeEventStream(res, requestId, scenario.mebibytes);
      return;
    }
    if (scenario.kind === 'huge-json') {
      hugeJson(res, requestId, scenario.mebibytes);
      return;
    }
    const stream = body['stream'] === true;
    if (path === `${V1}/chat/completions`) {
      if (stream) deliverStream(host, res, requestId, scenario, chatCompletionStream(body, model, scenario));
      else deliverJson(host, res, requestId, scenario, chatCompletionJson(body, model, scenario));
    } else if (path === `${V1}/completions`) {
      if (stream) deliverStream(host, res, requestId, scenario, textCompletionStream(body, model, scenario));
      else deliverJson(host, res, requestId, scenario, textCompletionJson(body, model, scenario));
    } else {
      const result = embeddingsJson(body, model, scenario);
      if ('error' in result) sendError(res, result.error, requestId);
      else deliverJson(host, res, requestId, scenario, result.body);
    }
  }

  const server = createServer(handle);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Outlive typical client keep-alive pools so a reused idle socket is not reset under a benchmark.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  /** Resolves once the listener and every connection are gone, so no handle outlives the call. */
  async function shutDown(): Promise<void> {
    for (const timer of timers) realClearTimeout(timer);
    timers.clear();
    const socketsClosed = Array.from(sockets, (socket) => new Promise((resolve) => socket.once('close', resolve)));
    const serverClosed = new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error))));
    for (const socket of sockets) socket.destroy();
    await Promise.all([serverClosed, ...socketsClosed]);
    // libuv releases closed handles in its close phase, which runs after this turn's check phase.
    await nextCheck();
    await nextCheck();
  }

  return {
    baseUrl: `http://127.0.0.1:${port}${V1}`,
    requests,
    get abortedRequests() {
      return aborted;
    },
    get connections() {
      return connections;
    },
    reset() {
      requests.length = 0;
      aborted = 0;
      connections = 0;
    },
    setRecording(on) {
      recording = on;
    },
    holdPacing() {
      const queue: Array<() => void> = [];
      held = queue;
      return () => {
        if (held === queue) held = undefined;
        for (const callback of queue.splice(0)) callback();
      };
    },
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
