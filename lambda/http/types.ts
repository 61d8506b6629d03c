/**
 * The adapter-facing HTTP contract. Adapters (Lambda handler, local server) turn their native request
 * into an InboundRequest and write an OutboundResponse back; nothing below them knows which adapter ran.
 */

/** Header names are lower-case; a repeated header is joined with ", ". */
export type HeaderMap = Readonly<Record<string, string | undefined>>;

export interface InboundRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: HeaderMap;
  /** The whole body; adapters enforce the size limit before building the request. */
  readonly body: Uint8Array;
  /** Aborted when the client disconnects; cancels the upstream call. */
  readonly signal: AbortSignal;
  /** `performance.now()` when the adapter received the request. */
  readonly receivedAt: number;
  /**
   * Who the adapter authenticated, for the admin audit trail: the IAM principal ARN on AWS,
   * `admin-token` locally. Absent on the public API, whose callers are identified by their gateway key.
   */
  readonly identity?: string;
}

/**
 * A streamed body is an async iterable of byte chunks. Each chunk is written to the client the moment
 * it is yielded. The adapter must stop iterating (calling `return()`) when the client goes away, which
 * lets the producer abort the upstream call and finish metering in its `finally`.
 */
export type ResponseBody = Uint8Array | string | AsyncIterable<Uint8Array>;

export interface OutboundResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: ResponseBody;
}

export interface HttpApp {
  handle(request: InboundRequest): Promise<OutboundResponse>;
}

export function isStreamBody(body: ResponseBody): body is AsyncIterable<Uint8Array> {
  return typeof body !== 'string' && !(body instanceof Uint8Array);
}
