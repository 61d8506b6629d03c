import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A server on 127.0.0.1 that can be closed with every connection it holds. */
interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

export interface EgressTrap extends Listening {
  /** Every host (`host:port` for CONNECT, the absolute URL otherwise) a child tried to reach through the proxy. */
  readonly attempts: string[];
}

/**
 * Set as HTTP_PROXY / HTTPS_PROXY / ALL_PROXY for the CLIs (with NO_PROXY=127.0.0.1,localhost): any
 * connection a tool tries to open beyond loopback comes here, is refused with a 403 and is recorded,
 * so a test can assert that telemetry, update checks and plugin fetches are really off.
 */
export async function startEgressTrap(): Promise<EgressTrap> {
  const attempts: string[] = [];
  const server = createServer((req, res) => {
    attempts.push(`${req.method ?? '?'} ${req.url ?? ''}`);
    req.resume();
    res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' }).end('egress refused by the GateLLM tools suite\n');
  });
  server.on('connect', (req, socket: Socket) => {
    attempts.push(`CONNECT ${req.url ?? ''}`);
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  const listening = await listen(server);
  return { ...listening, attempts };
}

/** One request a tool sent to the gateway and what the gateway answered. */
export interface Exchange {
  readonly method: string;
  /** Path and query exactly as the tool sent them. */
  readonly url: string;
  readonly requestHeaders: IncomingHttpHeaders;
  /** Request body as text (first MAX_RECORDED_BYTES). */
  requestBody: string;
  status?: number;
  responseHeaders?: IncomingHttpHeaders;
  /** Response body as sent, undecoded (first MAX_RECORDED_BYTES). */
  responseBody: string;
  error?: string;
}

export interface RecordingProxy extends Listening {
  readonly exchanges: Exchange[];
}

const MAX_RECORDED_BYTES = 256 * 1024;

function appendCapped(current: string, chunk: Buffer): string {
  return current.length >= MAX_RECORDED_BYTES ? current : current + chunk.toString('utf8').slice(0, MAX_RECORDED_BYTES - current.length);
}

/** Request headers the proxy must not copy (hop-by-hop). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/**
 * A transparent recorder between a tool and the gateway: every request and response is copied
 * byte for byte (streams as they arrive) and kept, so a failing test can show exactly what the tool
 * sent and what the gateway answered. A WebSocket upgrade is forwarded as a plain request: the
 * gateway is expected to refuse it, and its answer goes back to the tool.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const exchanges: Exchange[] = [];
  const forward = (req: IncomingMessage, exchange: Exchange, reply: (status: number, headers: IncomingHttpHeaders) => NodeJS.WritableStream): void => {
    const headers: IncomingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
    if (req.headers.upgrade !== undefined) {
      headers.connection = 'upgrade';
      headers.upgrade = req.headers.upgrade;
    }
    const outbound = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (res) => {
      exchange.status = res.statusCode;
      exchange.responseHeaders = res.headers;
      const sink = reply(res.statusCode ?? 502, res.headers);
      res.on('data', (chunk: Buffer) => {
        exchange.responseBody = appendCapped(exchange.responseBody, chunk);
      });
      res.pipe(sink);
    });
    outbound.on('upgrade', (res, socket: Socket) => {
      exchange.status = res.statusCode;
      exchange.responseHeaders = res.headers;
      exchange.error = 'the gateway accepted a protocol upgrade; the recorder closed it';
      socket.destroy();
      reply(502, {}).end();
    });
    outbound.on('error', (error) => {
      exchange.error = error.message;
      reply(502, { 'content-type': 'text/plain' }).end(`recording proxy: ${error.message}`);
    });
    req.on('data', (chunk: Buffer) => {
      exchange.requestBody = appendCapped(exchange.requestBody, chunk);
    });
    req.pipe(outbound);
  };

  const server = createServer((req, res) => {
    const exchange: Exchange = { method: req.method ?? '?', url: req.url ?? '', requestHeaders: req.headers, requestBody: '', responseBody: '' };
    exchanges.push(exchange);
    forward(req, exchange, (status, headers) => {
      const copied: IncomingHttpHeaders = {};
      for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name)) copied[name] = value;
      res.writeHead(status, copied as Record<string, string | string[]>);
      return res;
    });
  });
  server.on('upgrade', (req, socket: Socket) => {
    const exchange: Exchange = { method: req.method ?? '?', url: req.url ?? '', requestHeaders: req.headers, requestBody: '', responseBody: '' };
    exchanges.push(exchange);
    socket.on('error', () => undefined);
    forward(req, exchange, (status, headers) => {
      const lines = [`HTTP/1.1 ${status} Gateway Answer`, 'connection: close'];
      for (const [name, value] of Object.entries(headers)) {
        if (HOP_BY_HOP.has(name) || name === 'content-length' || value === undefined) continue;
        for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
      }
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      return socket;
    });
  });
  const listening = await listen(server);
  return { ...listening, exchanges };
}

/**
 * A JSON body in a few lines: scalar fields as they are, arrays as their length and the `role` / `type`
 * of each element (`messages: 2 [user, system]`), objects as their keys. Other bodies: the first characters.
 */
export function summariseBody(body: string, chars = 600): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.length > chars ? `${body.slice(0, chars)}… (${body.length} chars)` : body;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return body.slice(0, chars);
  const label = (item: unknown): string => {
    if (typeof item !== 'object' || item === null) return typeof item;
    const record = item as Record<string, unknown>;
    const kind = [record['role'], record['type'], record['name']].filter((part) => typeof part === 'string').join(':');
    return kind === '' ? 'object' : kind;
  };
  const fields = Object.entries(parsed as Record<string, unknown>).map(([name, value]) => {
    if (Array.isArray(value)) return `${name}: ${value.length} [${value.map(label).join(', ')}]`;
    if (typeof value === 'object' && value !== null) {
      const text = JSON.stringify(value);
      return `${name}: ${text.length > 200 ? `{${Object.keys(value).join(', ')}}` : text}`;
    }
    return `${name}: ${typeof value === 'string' && value.length > 200 ? `${value.slice(0, 200)}…` : JSON.stringify(value)}`;
  });
  return `(${body.length} chars) ${fields.join('; ')}`;
}

/** A readable account of the exchanges for a failure message: request line, status, headers, bodies (summarised). */
export function describeExchanges(exchanges: readonly Exchange[]): string {
  return exchanges.map((exchange, index) => [
    `#${index + 1} ${exchange.method} ${exchange.url} -> ${exchange.status ?? 'no response'}${exchange.error === undefined ? '' : ` (${exchange.error})`}`,
    `  request headers: ${JSON.stringify(redactHeaders(exchange.requestHeaders))}`,
    `  request body: ${summariseBody(exchange.requestBody)}`,
    `  response headers: ${JSON.stringify(exchange.responseHeaders ?? {})}`,
    `  response body: ${exchange.responseBody.length > 2000 ? `${exchange.responseBody.slice(0, 2000)}… (${exchange.responseBody.length} chars)` : exchange.responseBody}`,
  ].join('\n')).join('\n');
}

/** Gateway keys are test keys, but failure output may be pasted into issues: show only their start. */
function redactHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy: IncomingHttpHeaders = { ...headers };
  for (const name of ['authorization', 'x-api-key', 'api-key']) {
    const value = copy[name];
    if (typeof value === 'string') copy[name] = `${value.slice(0, 16)}…`;
  }
  return copy;
}
