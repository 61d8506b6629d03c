import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError, RateLimitedError, UpstreamError, type ErrorType } from '../../errors/gateway-error';
import { MAX_ERROR_BODY } from '../upstream-post';
import { redactSecrets } from '../redact-secrets';

/** Longest provider error text passed on to the caller. */
const MAX_DETAIL = 2000;

interface AnthropicErrorBody {
  readonly type?: string;
  readonly message?: string;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{type:'error', error:{type, message}}` → its inner object; anything else → the raw text as message. */
export function parseAnthropicErrorBody(text: string): AnthropicErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed) && isRecord(parsed.error)) {
      const { type, message } = parsed.error;
      return {
        ...(typeof type === 'string' ? { type } : {}),
        ...(typeof message === 'string' ? { message } : {}),
      };
    }
  } catch {
    // Not JSON: fall through with the raw text.
  }
  return { message: text };
}

function callerSafe(value: string | undefined, secrets: readonly string[]): string | undefined {
  return value === undefined ? undefined : redactSecrets(value, secrets).slice(0, MAX_DETAIL);
}

/** Provider errors the caller can act on pass through with their status. */
const CALLER_ERRORS: Readonly<Record<number, ErrorType>> = {
  400: 'invalid_request_error',
  404: 'not_found_error',
  413: 'invalid_request_error',
};

/**
 * 529 (and an `overloaded_error` body): Claude Code retries it up to 10× keyed on the body's
 * `overloaded_error` type, so it keeps its status and type. Retriable for the core's fallback like any 5xx.
 */
export function overloadedError(providerName: string, detail: string): GatewayError {
  return new GatewayError(529, 'overloaded_error', 'upstream_overloaded', `Provider '${providerName}' is overloaded: ${detail}`);
}

/**
 * Maps Anthropic's non-2xx answer to the gateway's hierarchy (same rules as the OpenAI adapter):
 *  - 429 → 429 rate_limit_error with the provider's retry-after;
 *  - 401/403 → 502: Anthropic refused the *gateway's* key, the caller's key is fine;
 *  - 529 / `overloaded_error` → 529 overloaded_error (what Claude Code retries on);
 *  - 400/404/413 → same status with Anthropic's message, credentials scrubbed;
 *  - anything else → 502 upstream_error.
 */
export function anthropicStatusError(
  status: number,
  headers: IncomingHttpHeaders,
  bodyText: string,
  providerName: string,
  secrets: readonly string[],
): GatewayError {
  const raw = parseAnthropicErrorBody(bodyText.slice(0, MAX_ERROR_BODY));
  const detail = callerSafe(raw.message, secrets) ?? `HTTP ${status}`;
  if (status === 429) {
    const retryAfter = headers['retry-after'];
    return new RateLimitedError(`Provider '${providerName}' is rate limiting: ${detail}`, typeof retryAfter === 'string' ? retryAfter : undefined);
  }
  if (status === 401 || status === 403) {
    return new UpstreamError(`Provider '${providerName}' rejected the gateway's credentials (HTTP ${status}).`);
  }
  if (status === 529 || raw.type === 'overloaded_error') return overloadedError(providerName, detail);
  const callerType = CALLER_ERRORS[status];
  if (callerType !== undefined) return new GatewayError(status, callerType, 'upstream_invalid_request', detail);
  return new UpstreamError(`Provider '${providerName}' failed with HTTP ${status}: ${detail}`);
}

/**
 * A mid-stream `event: error` from Anthropic, as the error the decoder throws. Its `error.type` decides:
 * overloaded → 529, rate_limit → 429, anything else → 502; the message is scrubbed.
 */
export function anthropicStreamError(data: string, providerName: string, secrets: readonly string[]): GatewayError {
  const raw = parseAnthropicErrorBody(data);
  const detail = callerSafe(raw.message, secrets) ?? 'stream error';
  if (raw.type === 'overloaded_error') return overloadedError(providerName, detail);
  if (raw.type === 'rate_limit_error') return new RateLimitedError(`Provider '${providerName}' is rate limiting: ${detail}`);
  return new UpstreamError(`Provider '${providerName}' failed mid-stream: ${detail}`);
}
