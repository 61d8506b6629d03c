import type { ServerResponse } from 'node:http';
import type { Scenario } from './scenario';
import { FAKE_STREAM_PIECES, type ErrorReply } from './wire';

/** What response writers need from the server: cancellable timers and deliberate connection drops. */
export interface ResponseHost {
  /** `setTimeout` that `close()` cancels. */
  schedule(callback: () => void, delayMs: number): void;
  /** Destroys the connection on purpose; not counted as a client abort. */
  drop(res: ServerResponse): void;
}

/**
 * A streamed answer as ready-made SSE text: `head` is the first event(s) (the role chunk), `pieces` are the
 * content events (paced individually), `tail` is everything after the content (finish, usage, `[DONE]`).
 */
export interface StreamPlan {
  readonly head: string;
  readonly pieces: readonly string[];
  readonly tail: string;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  requestId: string,
  extraHeaders?: Readonly<Record<string, string>>,
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    ...extraHeaders,
  });
  res.end(body);
}

export function sendError(res: ServerResponse, reply: ErrorReply, requestId: string): void {
  sendJson(res, reply.status, reply.body, requestId, reply.headers);
}

/** Sends a complete JSON answer, shaped by the scenario (delay, hang, truncation). */
export function deliverJson(host: ResponseHost, res: ServerResponse, requestId: string, scenario: Scenario, body: string): void {
  switch (scenario.kind) {
    case 'paced':
      host.schedule(() => {
        if (!res.destroyed) sendJson(res, 200, body, requestId);
      }, scenario.delayMs * FAKE_STREAM_PIECES.length);
      return;
    case 'hang-after-first':
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': requestId });
      res.flushHeaders();
      return;
    case 'drop-mid-stream': {
      const bytes = Buffer.from(body);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length, 'x-request-id': requestId });
      res.write(bytes.subarray(0, bytes.length >> 1), () => host.drop(res));
      return;
    }
    default:
      sendJson(res, 200, body, requestId);
  }
}

function writeStreamHead(res: ServerResponse, requestId: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': requestId });
}

/** Sends an SSE answer, shaped by the scenario (pacing, hang after the first event, mid-stream drop). */
export function deliverStream(host: ResponseHost, res: ServerResponse, requestId: string, scenario: Scenario, plan: StreamPlan): void {
  writeStreamHead(res, requestId);
  switch (scenario.kind) {
    case 'paced':
      res.write(plan.head);
      if (plan.pieces.length === 0) res.end(plan.tail);
      else pace(host, res, plan, scenario.delayMs);
      return;
    case 'hang-after-first':
      res.write(plan.head);
      return;
    case 'drop-mid-stream':
      res.write(plan.head + (plan.pieces[0] ?? '') + (plan.pieces[1] ?? ''), () => host.drop(res));
      return;
    case 'slow-end':
      res.write(plan.head + plan.pieces.join('') + plan.tail);
      host.schedule(() => res.end(), scenario.delayMs);
      return;
    default:
      // One write for the whole stream: the cheapest path, which is what benchmarks use.
      res.end(plan.head + plan.pieces.join('') + plan.tail);
  }
}

/** Writes one content event per delay (each flushed on its own), then the tail right after the last one. */
function pace(host: ResponseHost, res: ServerResponse, plan: StreamPlan, delayMs: number): void {
  let next = 0;
  const step = (): void => {
    if (res.destroyed) return;
    const piece = plan.pieces[next];
    next += 1;
    if (piece === undefined) {
      res.end(plan.tail);
      return;
    }
    res.write(piece);
    if (next === plan.pieces.length) res.end(plan.tail);
    else host.schedule(step, delayMs);
  };
  host.schedule(step, delayMs);
}
