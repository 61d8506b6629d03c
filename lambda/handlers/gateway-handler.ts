import middy, { type MiddyfiedHandler } from '@middy/core';
import { executionModeStreamifyResponse } from '@middy/core/StreamifyResponse';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { Readable } from 'node:stream';
import { GatewayError, InternalError } from '../errors/gateway-error';
import { errorFormatForPath, errorResponse } from '../errors/serialize';
import { newRequestId } from '../http/request-id';
import { isStreamBody, type HttpApp, type InboundRequest, type OutboundResponse } from '../http/types';
import type { Logger } from '../logging/logger';
import { toInboundRequest } from './http-event';
import { bufferedBody, readableFromChunks } from './response-body';

/** What the handler returns to middy: the prelude fields plus a body it pipes into the response stream. */
export interface StreamingResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string | Readable;
}

export type GatewayLambdaHandler = MiddyfiedHandler<APIGatewayProxyEvent, StreamingResponse>;

export interface GatewayHandlerOptions {
  /** Bodies above this size are answered 413 without calling the app. */
  readonly maxRequestBodyBytes: number;
  readonly logger: Logger;
  /**
   * Background work still pending (usage writes, budget settlement). Awaited after the response stream
   * has ended and before the invocation returns, because Lambda freezes the sandbox once it does.
   */
  readonly drain?: () => Promise<void>;
  /**
   * Abort the request signal this long before the function's timeout, so the core cancels the upstream
   * call and finishes metering while it still can. @default 2000
   */
  readonly deadlineMarginMs?: number;
}

const DEFAULT_DEADLINE_MARGIN_MS = 2000;

/** Starts a timer that aborts the request before Lambda kills the invocation; returns its cancel. */
function abortBeforeDeadline(context: Context | undefined, controller: AbortController, marginMs: number): () => void {
  const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Number.NaN;
  if (!Number.isFinite(remaining)) return () => undefined;
  const timer = setTimeout(
    () => controller.abort(new DOMException('The Lambda invocation is about to time out.', 'TimeoutError')),
    Math.max(0, remaining - marginMs),
  );
  timer.unref();
  return () => clearTimeout(timer);
}

/**
 * Buffered bodies go to middy as they are; a streamed body becomes a Readable whose early stop aborts
 * the request. `settled` runs once nothing more will be written (now, or when the stream closes).
 */
function present(response: OutboundResponse, controller: AbortController, settled: () => void): StreamingResponse {
  const { status: statusCode, headers } = response;
  if (!isStreamBody(response.body)) {
    settled();
    return { statusCode, headers, body: bufferedBody(response.body) };
  }
  const body = readableFromChunks(response.body, () => controller.abort());
  body.once('close', settled);
  return { statusCode, headers, body };
}

async function respond(
  app: HttpApp,
  options: GatewayHandlerOptions,
  event: APIGatewayProxyEvent,
  context: Context | undefined,
): Promise<StreamingResponse> {
  const receivedAt = performance.now();
  const controller = new AbortController();
  let request: InboundRequest;
  try {
    request = toInboundRequest(event, { maxBodyBytes: options.maxRequestBodyBytes, signal: controller.signal, receivedAt });
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return present(errorResponse(error, errorFormatForPath(event.path), newRequestId()), controller, () => undefined);
  }

  const cancelDeadline = abortBeforeDeadline(context, controller, options.deadlineMarginMs ?? DEFAULT_DEADLINE_MARGIN_MS);
  let response: OutboundResponse;
  try {
    response = await app.handle(request);
  } catch (error) {
    // The app answers its own errors; reaching this is a bug, and the client still gets a JSON 500.
    options.logger.error('gateway app threw', { path: request.path, error: error instanceof Error ? error.message : String(error) });
    response = errorResponse(new InternalError(undefined, { cause: error }), errorFormatForPath(request.path), newRequestId());
  }
  return present(response, controller, cancelDeadline);
}

/**
 * The streaming Lambda entry point for an HttpApp: API Gateway REST event → InboundRequest → app →
 * `{ statusCode, headers, body }`, which middy turns into the runtime's prelude (JSON + 8 NUL bytes)
 * and then pipes chunk by chunk. Build it after `awslambda` exists (the runtime provides it; tests
 * install test/support/lambda-runtime first).
 */
export function createGatewayHandler(app: HttpApp, options: GatewayHandlerOptions): GatewayLambdaHandler {
  return middy<APIGatewayProxyEvent, StreamingResponse>({
    executionMode: executionModeStreamifyResponse,
    // middy awaits requestEnd after the body has been piped out (its `after` middlewares run too early).
    requestEnd: async () => {
      try {
        await options.drain?.();
      } catch (error) {
        // The response is already out; a failed usage write must not turn into a function error.
        options.logger.error('background work failed', { error: error instanceof Error ? error.message : String(error) });
      }
    },
  }).handler(async (event, context) => respond(app, options, event, context));
}
