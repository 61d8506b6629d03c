import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { collectBody } from './collect-body';
import { GatewayError, UpstreamError, UpstreamResponseTooLargeError, UpstreamTimeoutError } from '../errors/gateway-error';

/**
 * Upstream calls over node:http with keep-alive agents. Global fetch costs ~4x the CPU per request
 * on this path (see research/performance.md), so the hot path never uses it.
 */
export interface UpstreamRequest {
  /** Absolute http(s) URL, without credentials (the configuration refuses `user:password@`). */
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Aborts the call (client went away). */
  readonly signal: AbortSignal;
  /** Milliseconds until response headers arrive. */
  readonly firstByteTimeoutMs: number;
  /** Milliseconds the response body may stay silent. */
  readonly idleTimeoutMs: number;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body as it arrives, chunk by chunk. Stopping iteration early destroys the connection. */
  readonly body: AsyncIterable<Uint8Array>;
  /**
   * Reads the whole body (for JSON responses). Past `maxBytes` it stops reading, closes the connection and
   * rejects with 502 `upstream_response_too_large`, so one runaway answer cannot exhaust memory.
   */
  readAll(maxBytes: number): Promise<Buffer>;
  /** Ends the call and frees the socket; safe to call more than once. */
  close(): void;
}

/**
 * 502 `upstream_response_too_large`: the provider sent more than the gateway reads (one SSE event past
 * `maxEventBytes`, a JSON answer past `maxResponseBytes`).
 */
/**
 * No cap on sockets per host: every streamed answer holds its socket for the whole generation, so a
 * cap queues the requests past it until they time out (256 made 44 of 300 six-second streams fail with
 * 504 while the provider was healthy). The gateway's own concurrency limits belong in front of it (the
 * local server's connection cap, Lambda's concurrency), not here. Idle sockets kept for reuse are
 * bounded so a burst does not leave hundreds of file descriptors open.
 */
const agentOptions = { keepAlive: true, keepAliveMsecs: 15_000, maxSockets: Infinity, maxFreeSockets: 256, scheduling: 'lifo' as const };
const httpAgent = new http.Agent(agentOptions);
const httpsAgent = new https.Agent(agentOptions);

/** Where a URL's requests go, parsed once: providers are few, and their paths fewer. */
interface Target {
  readonly isHttps: boolean;
  readonly hostname: string;
  readonly port: string;
  readonly path: string;
  /** The Host header: the URL's host, with the port only when it is not the scheme's default. */
  readonly host: string;
}

const MAX_TARGETS = 256;
const targets = new Map<string, Target>();

function targetOf(url: string): Target {
  const known = targets.get(url);
  if (known !== undefined) return known;
  const parsed = new URL(url);
  const target: Target = {
    isHttps: parsed.protocol === 'https:',
    // An IPv6 literal is bracketed in a URL and bare in a socket address.
    hostname: parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname,
    port: parsed.port,
    path: `${parsed.pathname}${parsed.search}`,
    host: parsed.host,
  };
  // Paths may carry model names (Azure deployments): bounded, forgotten wholesale when full.
  if (targets.size >= MAX_TARGETS) targets.clear();
  targets.set(url, target);
  return target;
}

/**
 * The request's header lines as Node's flat [name, value, …] array: Node then writes them as they are
 * (still validated) instead of storing each with setHeader, which with parsing the URL every time cost
 * about a quarter of a small call's client-side CPU. Host is written here because Node adds it only to
 * headers given as an object.
 */
function headerLines(target: Target, request: UpstreamRequest): string[] {
  // One line per name, the last spelling winning, as setHeader did (configured headers may differ in case).
  const byName: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) byName[name.toLowerCase()] = value;
  byName.host = target.host;
  if (request.body === undefined) delete byName['content-length'];
  else byName['content-length'] = String(Buffer.byteLength(request.body));
  const lines: string[] = [];
  for (const [name, value] of Object.entries(byName)) lines.push(name, value);
  return lines;
}

function wrapResponse(response: IncomingMessage, idleTimeoutMs: number, onClose: () => void): UpstreamResponse {
  // Idle timeout between body chunks: a provider that stops mid-stream must not hold the gateway (and, on
  // Lambda, the bill) open for the full 15 minutes.
  response.setTimeout(idleTimeoutMs, () => {
    response.destroy(new UpstreamTimeoutError(`Provider sent nothing for ${idleTimeoutMs} ms.`));
  });
  return {
    status: response.statusCode ?? 502,
    headers: response.headers,
    body: response,
    readAll(maxBytes) {
      const declared = Number(response.headers['content-length']);
      if (declared > maxBytes) {
        response.destroy();
        return Promise.reject(tooLarge(maxBytes));
      }
      return collectBody(response, {
        maxBytes, destroyWhenTooLarge: true, tooLarge: () => tooLarge(maxBytes),
        failed: (error) => (error === undefined ? new UpstreamError('Provider connection closed before the answer was complete.') : asUpstreamError(error)),
      });
    },
    close() {
      if (!response.complete) response.destroy();
      onClose();
    },
  };
}

function tooLarge(maxBytes: number): GatewayError {
  return new UpstreamResponseTooLargeError(`Provider answer exceeds the gateway's limit of ${maxBytes} bytes (maxResponseBytes).`);
}

function asUpstreamError(error: unknown): Error {
  if (error instanceof GatewayError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError(`Provider connection failed: ${message}`, { cause: error });
}

/**
 * A keep-alive socket the provider closed while it sat idle fails at once with ECONNRESET on reuse,
 * before the provider saw the request. That one case is safe to send again, on a fresh socket.
 */
function isStaleSocket(outgoing: http.ClientRequest, error: unknown): boolean {
  return outgoing.reusedSocket && typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ECONNRESET';
}

/** Sends one request; resolves when the response headers arrive. Rejects with UpstreamError / UpstreamTimeoutError. */
export function sendUpstream(request: UpstreamRequest): Promise<UpstreamResponse> {
  return attempt(request, true);
}

function attempt(request: UpstreamRequest, mayRetryStaleSocket: boolean): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    if (request.signal.aborted) {
      reject(new UpstreamError('Request aborted before the provider was called.'));
      return;
    }
    const target = targetOf(request.url);
    const outgoing = (target.isHttps ? https : http).request({
      protocol: target.isHttps ? 'https:' : 'http:',
      hostname: target.hostname,
      ...(target.port === '' ? {} : { port: target.port }),
      path: target.path,
      method: request.method,
      headers: headerLines(target, request),
      agent: target.isHttps ? httpsAgent : httpAgent,
    });
    let settled = false;
    const firstByteTimer = setTimeout(() => {
      outgoing.destroy(new UpstreamTimeoutError(`Provider did not answer within ${request.firstByteTimeoutMs} ms.`));
    }, request.firstByteTimeoutMs);
    const onAbort = (): void => {
      outgoing.destroy(new UpstreamError('Client disconnected.'));
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => {
      clearTimeout(firstByteTimer);
      request.signal.removeEventListener('abort', onAbort);
    };
    outgoing.on('response', (response) => {
      clearTimeout(firstByteTimer);
      settled = true;
      // Keep the abort listener until the body is done: a disconnect mid-stream must cut the provider call.
      response.once('close', cleanup);
      resolve(wrapResponse(response, request.idleTimeoutMs, cleanup));
    });
    outgoing.on('error', (error) => {
      cleanup();
      if (settled) return;
      settled = true;
      if (mayRetryStaleSocket && isStaleSocket(outgoing, error)) {
        resolve(attempt(request, false));
        return;
      }
      reject(asUpstreamError(error));
    });
    outgoing.end(request.body);
  });
}
