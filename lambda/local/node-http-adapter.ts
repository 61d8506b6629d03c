import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { PayloadTooLargeError } from '../errors/gateway-error';
import { collectBody } from '../http/collect-body';
import { newRequestId } from '../http/request-id';
import { errorFormatForPath, errorResponse } from '../errors/serialize';
import { isStreamBody, type HeaderMap, type HttpApp, type InboundRequest, type OutboundResponse } from '../http/types';

/** Reads the body up to `limit` bytes; a larger one is refused without reading it all. */
function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new PayloadTooLargeError(limit));
  return collectBody(request, {
    maxBytes: limit, destroyWhenTooLarge: false, tooLarge: () => new PayloadTooLargeError(limit),
    failed: (error) => error ?? new Error('The client closed the connection before sending the whole body.'),
  });
}

function headerMap(request: IncomingMessage): HeaderMap {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

/**
 * Waits until a slow client has taken the buffered bytes, or has gone. The listener that did not fire is
 * removed: a long stream to a slow client waits here many times, and leftover listeners would pile up
 * on the response (a leak, and Node's MaxListenersExceededWarning).
 */
async function drainedOrClosed(res: ServerResponse): Promise<void> {
  const settled = new AbortController();
  try {
    await Promise.race([once(res, 'drain', { signal: settled.signal }), once(res, 'close', { signal: settled.signal })]);
  } finally {
    settled.abort();
  }
}

async function writeResponse(response: OutboundResponse, res: ServerResponse, clientGone: () => boolean): Promise<void> {
  if (!isStreamBody(response.body)) {
    // The length is known: say so, rather than send the answer in chunked encoding (Node adds the
    // header itself only when end() is called without writeHead).
    res.writeHead(response.status, { ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) });
    res.end(response.body);
    return;
  }
  res.writeHead(response.status, response.headers);
  // Send the headers now: a streaming client should see the response start before the first token.
  res.flushHeaders();
  // `for await` calls return() on the iterator when we stop early, which aborts the upstream call
  // and lets the core finish metering.
  for await (const chunk of response.body) {
    if (clientGone()) break;
    if (!res.write(chunk)) {
      await drainedOrClosed(res);
      if (clientGone()) break;
    }
  }
  res.end();
}

export interface NodeAdapterOptions {
  readonly maxRequestBodyBytes: number;
  /** Picks the app for a request (gateway or admin); may return a response directly (e.g. 401 for admin). */
  readonly route: (request: InboundRequest) => HttpApp | OutboundResponse;
  readonly onError: (error: unknown) => void;
  /** Told of each request's whole handling (until its usage is metered), so shutdown can wait for it. */
  readonly track?: (handling: Promise<void>) => void;
}

/** The node:http adapter: IncomingMessage → InboundRequest → app → ServerResponse. */
export function createNodeHandler(options: NodeAdapterOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const receivedAt = performance.now();
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const clientGone = (): boolean => controller.signal.aborted;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handle = async (): Promise<void> => {
      let response: OutboundResponse;
      try {
        const body = await readBody(req, options.maxRequestBodyBytes);
        const request: InboundRequest = {
          method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: headerMap(req), body,
          signal: controller.signal, receivedAt,
        };
        const target = options.route(request);
        response = 'handle' in target ? await target.handle(request) : target;
      } catch (error) {
        response = errorResponse(error, errorFormatForPath(url.pathname), newRequestId());
        if (error instanceof PayloadTooLargeError) res.shouldKeepAlive = false;
      }
      await writeResponse(response, res, clientGone);
    };
    const handling = handle().catch((error: unknown) => {
      options.onError(error);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'Internal gateway error.', type: 'api_error', param: null, code: 'internal_error' } }));
      } else {
        res.destroy();
      }
    });
    options.track?.(handling);
  };
}
