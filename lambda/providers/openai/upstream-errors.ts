import type { IncomingHttpHeaders } from 'node:http';
import {
  GatewayError,
  RateLimitedError,
  UpstreamError,
  type ErrorType,
} from '../../errors/gateway-error';
import { redactSecrets } from '../redact-secrets';
import { MAX_ERROR_BODY } from '../upstream-post';

/** Longest provider error text passed on to the caller. */
const MAX_DETAIL = 2000;

interface OpenAiErrorBody {
  readonly message?: string;
  readonly type?: string;
  readonly code?: string;
  readonly param?: string;
}

function parseErrorBody(text: string): OpenAiErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const error = (parsed).error;
      if (typeof error === 'object' && error !== null) return error;
      if (typeof error === 'string') return { message: error };
    }
  } catch {
    // Not JSON: fall through with the raw text.
  }
  return { message: text };
}

/** A provider-supplied string as the caller may see it: credentials removed first, then shortened. */
function callerSafe(value: unknown, secrets: readonly string[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  return redactSecrets(value, secrets).slice(0, MAX_DETAIL);
}

/** Provider errors the caller can act on (a bad parameter) pass through with their status. */
const CALLER_ERRORS: Readonly<Record<number, ErrorType>> = {
  400: 'invalid_request_error',
  404: 'not_found_error',
  409: 'invalid_request_error',
  413: 'invalid_request_error',
  422: 'invalid_request_error',
};

/**
 * Maps a provider's non-2xx answer to the gateway's hierarchy:
 *  - 429 → 429 rate_limited with the provider's retry-after (SDKs honour it);
 *  - 401/403 → 502: the provider rejected the *gateway's* credentials; the caller's key is fine;
 *  - caller-fixable 4xx → same status, provider message, so a bad parameter reads as one;
 *  - anything else → 502 upstream_error.
 * Every provider-supplied string (message, code, param) is passed through `redactSecrets` with
 * `secrets` — the API key and secret header values this call was sent with — before it is used.
 */
export function upstreamStatusError(
  status: number,
  headers: IncomingHttpHeaders,
  bodyText: string,
  providerName: string,
  secrets: readonly string[],
): GatewayError {
  const raw = parseErrorBody(bodyText.slice(0, MAX_ERROR_BODY));
  const body: OpenAiErrorBody = definedOnly({
    message: callerSafe(raw.message, secrets),
    code: callerSafe(raw.code, secrets),
    param: callerSafe(raw.param, secrets),
  });
  const detail = body.message ?? `HTTP ${status}`;
  if (status === 429) {
    const retryAfter = headers['retry-after'];
    return new RateLimitedError(`Provider '${providerName}' is rate limiting: ${detail}`, typeof retryAfter === 'string' ? retryAfter : undefined);
  }
  if (status === 401 || status === 403) {
    return new UpstreamError(`Provider '${providerName}' rejected the gateway's credentials (HTTP ${status}).`);
  }
  const callerType = CALLER_ERRORS[status];
  if (callerType !== undefined) {
    return new GatewayError(status, callerType, body.code ?? 'upstream_invalid_request', detail,
      body.param === undefined ? {} : { param: body.param });
  }
  return new UpstreamError(`Provider '${providerName}' failed with HTTP ${status}: ${detail}`);
}

function definedOnly(fields: Record<'message' | 'code' | 'param', string | undefined>): OpenAiErrorBody {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

