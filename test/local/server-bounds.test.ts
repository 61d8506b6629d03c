import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { silentLogger } from '../../lambda/logging/logger';
import { startLocalGateway, type LocalGateway } from '../../lambda/local/local-gateway';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import { createMemoryStores, seedKey } from '../support/memory-stores';

/** The local server's own bounds, seen from raw sockets: what Node's parser refuses, slow bodies, the connection cap. */
const BODY_TIMEOUT_MS = 500;
const MAX_CONNECTIONS = 8;
const MAX_BODY_BYTES = 64 * 1024;
let upstream: FakeOpenAi;
let gateway: LocalGateway;
let key: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  upstream = await startFakeOpenAi({ apiKey: 'sk-bounds' });
  const stores = createMemoryStores();
  gateway = await startLocalGateway({
    config: parseGatewayConfig({
      providers: { fake: { type: 'openai', baseUrl: upstream.baseUrl, apiKey: { env: 'UNUSED' } } },
      models: { 'slow-stream': { provider: 'fake', model: 'paced-700', price: { input: 1, output: 1 } } },
      settings: { maxRequestBodyBytes: MAX_BODY_BYTES },
    }),
    stores, secrets: async () => 'sk-bounds', logger: silentLogger, adminToken: 'admin', port: 0,
    requestBodyTimeoutMs: BODY_TIMEOUT_MS, maxConnections: MAX_CONNECTIONS,
  });
  ({ key } = await seedKey(stores));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await gateway.close();
  await upstream.close();
});

function port(): number {
  return Number(new URL(gateway.url).port);
}

async function open(): Promise<Socket> {
  const socket = connect(port(), '127.0.0.1');
  sockets.add(socket);
  await once(socket, 'connect');
  return socket;
}

/** Everything the server sends until it closes the connection (bounded by the test timeout). */
async function untilClosed(socket: Socket): Promise<string> {
  let received = '';
  socket.on('data', (data: Buffer) => {
    received += data.toString();
  });
  await once(socket, 'close');
  return received;
}

interface RawAnswer { status: number; headers: string; body: unknown }

function parseAnswer(raw: string): RawAnswer {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: body === '' ? undefined : JSON.parse(body) };
}

async function sendRaw(request: string): Promise<RawAnswer> {
  const socket = await open();
  const answer = untilClosed(socket);
  socket.write(request);
  return parseAnswer(await answer);
}

const openAiError = (code: string): unknown => ({ error: { message: expect.any(String), type: 'invalid_request_error', param: null, code } });

describe("requests Node's HTTP parser refuses", () => {
  it('a bad chunk size gets a 400 in the OpenAI error shape and the connection closes', async () => {
    const answer = await sendRaw('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.headers).toContain('content-type: application/json');
    expect(answer.headers).toContain('connection: close');
    expect(answer.body).toEqual(openAiError('malformed_http_request'));
  });

  it('Content-Length together with Transfer-Encoding gets a 400 in the OpenAI error shape', async () => {
    const answer = await sendRaw('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(openAiError('malformed_http_request'));
  });

  it('headers over the size limit get a 431 in the OpenAI error shape', async () => {
    const many = Array.from({ length: 400 }, (_, index) => `x-filler-${index}: ${'a'.repeat(60)}\r\n`).join('');
    const answer = await sendRaw(`GET /v1/models HTTP/1.1\r\nHost: x\r\n${many}\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.body).toEqual(openAiError('request_header_fields_too_large'));
  });
});

describe('a body over the limit without a declared length', () => {
  it('gets a 413 in the OpenAI error shape once the limit is passed, and the connection closes', async () => {
    const socket = await open();
    const answer = untilClosed(socket);
    const chunk = 'x'.repeat(16 * 1024);
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    // Five chunks pass the 64 KiB limit; the rest would never be read.
    for (let index = 0; index < 5; index += 1) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const raw = await answer;
    expect(Number(raw.split(' ')[1])).toBe(413);
    expect(raw).toContain('"code":"payload_too_large"');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('request-body timeout and connection cap', () => {
  it('closes a connection whose body does not arrive in time, with a 408 in the OpenAI error shape', async () => {
    const socket = await open();
    const answer = untilClosed(socket);
    const started = Date.now();
    socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"mo');
    const trickle = setInterval(() => socket.write(' '), 100); // a slow-body client keeps sending, too slowly
    try {
      const parsed = parseAnswer(await answer);
      expect(parsed.status).toBe(408);
      expect(parsed.body).toEqual(openAiError('request_timeout'));
    } finally {
      clearInterval(trickle);
    }
    // Node checks its request timers at an interval: allow for it, but it is bounded.
    expect(Date.now() - started).toBeLessThan(BODY_TIMEOUT_MS * 4);
  });

  it('closes connections beyond the cap as they arrive, and serves again once they are gone', async () => {
    const held = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => open()));
    // Let the server register all of them before the one too many arrives.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const extra = await open();
    const extraAnswer = untilClosed(extra);
    extra.write('GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await extraAnswer).toBe('');
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const models = await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
  });

  it('never cuts a streamed answer that lasts far longer than the body timeout', async () => {
    const started = Date.now();
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow-stream', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(Date.now() - started).toBeGreaterThan(BODY_TIMEOUT_MS * 5);
    expect(text).toContain('data: [DONE]');
  }, 15_000);
});
