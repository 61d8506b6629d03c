import { GatewayError, InvalidRequestError, RateLimitedError, UpstreamError } from '../../../errors/gateway-error';
import type { FinishReason } from '../../../canonical/events';
import { redactSecrets } from '../../redact-secrets';

/** Longest provider error text passed on to the caller. */
const MAX_DETAIL = 2000;

/** Codes that mean the request itself cannot succeed as sent: the caller must change it. */
const CALLER_CODES: ReadonlySet<string> = new Set(['context_length_exceeded', 'invalid_prompt', 'invalid_request_error', 'invalid_image']);

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(record: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A provider's in-stream failure (`response.failed`'s `response.error`, or a top-level `error` event)
 * as the gateway's error. The decoder is given no credentials, so provider text goes through the
 * key-shape scrub of redactSecrets before it can reach a caller.
 */
export function responsesFailure(error: unknown): GatewayError {
  const record = isRecord(error) ? error : {};
  const code = stringField(record, 'code') ?? stringField(record, 'type') ?? 'upstream_error';
  const message = redactSecrets(stringField(record, 'message') ?? 'The provider reported a failure.', []).slice(0, MAX_DETAIL);
  if (code === 'rate_limit_exceeded') return new RateLimitedError(message);
  if (CALLER_CODES.has(code) || code.startsWith('invalid_')) {
    const param = stringField(record, 'param');
    return new InvalidRequestError(message, code, param === undefined ? {} : { param });
  }
  return new UpstreamError(`The provider failed: ${message}`);
}

/**
 * The finish reason of a finished Response object: `incomplete` is cut short (output budget or filter),
 * and any turn that called a tool ends in `tool_calls`, whatever else the provider said.
 */
export function finishReasonOf(response: Readonly<Record<string, unknown>>, madeToolCalls: boolean): FinishReason {
  if (response.status === 'incomplete') {
    const details = response.incomplete_details;
    return isRecord(details) && details.reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return madeToolCalls ? 'tool_calls' : 'stop';
}
