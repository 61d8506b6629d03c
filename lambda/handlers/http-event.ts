import type { APIGatewayProxyEvent } from 'aws-lambda';
import { PayloadTooLargeError } from '../errors/gateway-error';
import type { HeaderMap, InboundRequest } from '../http/types';

/**
 * Pure conversion of an API Gateway REST proxy event (payload format 1.0) into the adapter-neutral
 * InboundRequest. No I/O, no Lambda runtime: both entry points and their tests use it as is.
 */

export interface InboundRequestOptions {
  /** Largest decoded body accepted; larger ones throw PayloadTooLargeError before anything is decoded. */
  readonly maxBodyBytes: number;
  /** Aborted by the handler when the client goes away (or the invocation nears its deadline). */
  readonly signal: AbortSignal;
  /** `performance.now()` when the invocation started. @default performance.now() */
  readonly receivedAt?: number;
}

/**
 * Lower-case header names; repeated headers joined with ", " (cookies with "; ", as RFC 6265 wants).
 * `multiValueHeaders` holds every value, `headers` only the last one, so the former wins where both exist.
 */
export function eventHeaders(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>): HeaderMap {
  const headers: Record<string, string> = {};
  const add = (name: string, values: readonly string[]): void => {
    const key = name.toLowerCase();
    const separator = key === 'cookie' ? '; ' : ', ';
    const existing = headers[key];
    const joined = values.join(separator);
    // Names differing only in case are the same header.
    headers[key] = existing === undefined ? joined : `${existing}${separator}${joined}`;
  };
  const multi = event.multiValueHeaders ?? {};
  for (const [name, values] of Object.entries(multi)) {
    if (values !== undefined && values.length > 0) add(name, values);
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value === undefined || headers[name.toLowerCase()] !== undefined) continue;
    add(name, [value]);
  }
  return headers;
}

/** API Gateway has already URL-decoded the parameters; every value of a repeated one is kept. */
export function eventQuery(
  event: Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'>,
): URLSearchParams {
  const query = new URLSearchParams();
  const multi = event.multiValueQueryStringParameters;
  if (multi !== null && multi !== undefined && Object.keys(multi).length > 0) {
    for (const [name, values] of Object.entries(multi)) {
      for (const value of values ?? []) query.append(name, value);
    }
    return query;
  }
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) query.append(name, value);
  }
  return query;
}

/**
 * The decoded body. The size is measured first (Buffer.byteLength computes a base64 string's decoded
 * length without decoding it), so an oversized body is refused before it is copied.
 */
export function eventBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>, maxBodyBytes: number): Uint8Array {
  const { body } = event;
  if (body === null || body === undefined || body.length === 0) return new Uint8Array(0);
  const encoding = event.isBase64Encoded ? 'base64' : 'utf8';
  if (Buffer.byteLength(body, encoding) > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes);
  return Buffer.from(body, encoding);
}

/**
 * The request path. On the execute-api URL, REST APIs give `path` without the stage prefix (the stage
 * is only in `requestContext.path`). Behind a custom domain with a non-empty base path mapping, `path`
 * carries that base path too, so routes would not match: map the API at the domain root (empty base path).
 */
export function eventPath(event: Pick<APIGatewayProxyEvent, 'path'>): string {
  return event.path.length === 0 ? '/' : event.path;
}

/** Throws PayloadTooLargeError (413) for an oversized body; everything else is infallible. */
export function toInboundRequest(event: APIGatewayProxyEvent, options: InboundRequestOptions): InboundRequest {
  return {
    method: event.httpMethod.toUpperCase(),
    path: eventPath(event),
    query: eventQuery(event),
    headers: eventHeaders(event),
    body: eventBody(event, options.maxBodyBytes),
    signal: options.signal,
    receivedAt: options.receivedAt ?? performance.now(),
  };
}

