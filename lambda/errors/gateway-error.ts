import { quoteCallerText } from './caller-text';

/**
 * The one error hierarchy of the gateway. Every layer throws these; only the inbound API layer
 * serialises them (in the caller's format: OpenAI or Anthropic). `code` is a stable, documented
 * string that clients may switch on.
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

export interface GatewayErrorOptions {
  readonly param?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

export class GatewayError extends Error {
  readonly param: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly status: number,
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    options: GatewayErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.param = options.param;
    this.headers = options.headers ?? {};
  }
}

/** 400: the request body or parameters are malformed. */
export class InvalidRequestError extends GatewayError {
  constructor(message: string, code = 'invalid_request', options: GatewayErrorOptions = {}) {
    super(400, 'invalid_request_error', code, message, options);
  }
}

/** 401: missing, malformed, unknown, expired or revoked gateway key. */
export class InvalidApiKeyError extends GatewayError {
  constructor(message = 'Invalid or missing gateway API key.') {
    super(401, 'authentication_error', 'invalid_api_key', message);
  }
}

/** 403: the key may not use this model. */
export class ModelNotAllowedError extends GatewayError {
  constructor(model: string) {
    super(403, 'permission_error', 'model_not_allowed', `This key may not use model '${quoteCallerText(model)}'.`, { param: 'model' });
  }
}

/** 404: unknown model or route. */
export class NotFoundError extends GatewayError {
  constructor(message: string, code = 'not_found', options: GatewayErrorOptions = {}) {
    super(404, 'not_found_error', code, message, options);
  }
}

export class MethodNotAllowedError extends GatewayError {
  constructor(method: string, allowed: readonly string[]) {
    super(405, 'invalid_request_error', 'method_not_allowed', `Method ${quoteCallerText(method)} is not allowed here.`, {
      headers: { allow: allowed.join(', ') },
    });
  }
}

export class PayloadTooLargeError extends GatewayError {
  constructor(limitBytes: number) {
    super(413, 'invalid_request_error', 'payload_too_large', `Request body exceeds the limit of ${limitBytes} bytes.`);
  }
}

export class UnsupportedMediaTypeError extends GatewayError {
  constructor(contentType: string | undefined) {
    super(415, 'invalid_request_error', 'unsupported_media_type',
      `Content-Type must be application/json, got '${quoteCallerText(contentType ?? '')}'.`);
  }
}

/** 429: a limit of the gateway or of the upstream provider. */
export class RateLimitedError extends GatewayError {
  constructor(message: string, retryAfterSeconds?: string) {
    super(429, 'rate_limit_error', 'rate_limited', message,
      retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': retryAfterSeconds } });
  }
}

/** 429: a gateway budget has no room for the call; the message names the budget, its limit, period and reset. */
export class BudgetExceededError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(429, 'rate_limit_error', 'budget_exceeded', message, options);
  }
}

/**
 * 400: the prompt holds data the policy does not let leave (a credential, say). The message names the
 * types and counts found, never a value; nothing was sent to any provider.
 */
export class PiiBlockedError extends GatewayError {
  constructor(found: Readonly<Record<string, number>>) {
    const list = Object.entries(found).map(([type, count]) => `${type} (${count})`).join(', ');
    super(400, 'invalid_request_error', 'pii_blocked',
      `The request was not sent: it contains data this gateway's policy does not allow to leave: ${list}. `
      + 'Remove it from the conversation and retry, or ask the gateway administrator about the data-protection policy.');
  }
}

/** 503: a service the gateway depends on to admit a call (managed PII detection) failed; retrying may succeed. */
export class ServiceUnavailableError extends GatewayError {
  constructor(message: string, code: string, options: GatewayErrorOptions = {}) {
    super(503, 'overloaded_error', code, message, options);
  }
}

/** 429: a gateway rate limit (requests or tokens per minute, concurrent requests); headers say when to retry. */
export class GatewayRateLimitError extends GatewayError {
  constructor(message: string, headers: Readonly<Record<string, string>>) {
    super(429, 'rate_limit_error', 'rate_limited', message, { headers });
  }
}

/** 502: the provider failed, could not be reached, or answered with an error we do not pass on. */
export class UpstreamError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(502, 'api_error', 'upstream_error', message, options);
  }
}

/** 502: the provider's answer (one SSE event, or a whole JSON body) is larger than the gateway reads. */
export class UpstreamResponseTooLargeError extends GatewayError {
  constructor(message: string) {
    super(502, 'api_error', 'upstream_response_too_large', message);
  }
}

/** 504: the provider did not answer within the gateway's timeout. */
export class UpstreamTimeoutError extends GatewayError {
  constructor(message: string) {
    super(504, 'api_error', 'upstream_timeout', message);
  }
}

/** 500: a bug or misconfiguration in the gateway itself; the message is safe to show. */
export class InternalError extends GatewayError {
  constructor(message = 'Internal gateway error.', options: GatewayErrorOptions = {}) {
    super(500, 'api_error', 'internal_error', message, options);
  }
}

export function toGatewayError(error: unknown): GatewayError {
  return error instanceof GatewayError ? error : new InternalError(undefined, { cause: error });
}

/** 409: a unique name is taken. */
export class ConflictError extends GatewayError {
  constructor(message: string) {
    super(409, 'invalid_request_error', 'conflict', message);
  }
}
