import { InvalidRequestError, UnsupportedMediaTypeError } from '../errors/gateway-error';
import type { HeaderMap } from '../http/types';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';

/** Longest model name accepted; longer ones are refused, never echoed, recorded or logged. */
export const MAX_MODEL_NAME_LENGTH = 256;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON object body; wrong content type → 415, bad JSON or a non-object → 400. */
export function parseJsonBody(headers: HeaderMap, body: Uint8Array): Record<string, unknown> {
  const contentType = headers['content-type'];
  // Media type match ignoring parameters (charset) and case; `application/*+json` is JSON too.
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json' && !(mediaType?.startsWith('application/') === true && mediaType.endsWith('+json'))) {
    throw new UnsupportedMediaTypeError(contentType);
  }
  if (nestsDeeperThan(body)) {
    throw new InvalidRequestError(`The request body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels.`, 'invalid_json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(body));
  } catch {
    throw new InvalidRequestError('The request body is not valid JSON.', 'invalid_json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidRequestError('The request body must be a JSON object.', 'invalid_json');
  }
  return parsed as Record<string, unknown>;
}

export function requireModel(body: Readonly<Record<string, unknown>>): string {
  const model = body.model;
  if (model === undefined || model === null || model === '') {
    throw new InvalidRequestError("Missing required parameter: 'model'.", 'missing_model', { param: 'model' });
  }
  if (typeof model !== 'string') throw new InvalidRequestError("'model' must be a string.", 'invalid_type', { param: 'model' });
  if (model.length > MAX_MODEL_NAME_LENGTH) {
    throw new InvalidRequestError(`'model' is longer than ${MAX_MODEL_NAME_LENGTH} characters.`, 'invalid_value', { param: 'model' });
  }
  return model;
}

/** The token of an `Authorization: Bearer` header, if there is one. */
export function bearerToken(headers: HeaderMap): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization?.trim() ?? '');
  return match?.[1]?.trim();
}

/** The gateway key from `Authorization: Bearer`, `x-api-key` or `api-key` (tools differ in which they send). */
export function presentedCredential(headers: HeaderMap): string | undefined {
  return bearerToken(headers) ?? headers['x-api-key']?.trim() ?? headers['api-key']?.trim();
}
