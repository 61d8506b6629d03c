import type { HeaderMap } from '../http/types';

/** Headers browser clients of the OpenAI and Anthropic SDKs send; wildcards are not valid here. */
const ALLOWED_HEADERS = [
  'authorization', 'content-type', 'x-api-key', 'api-key', 'anthropic-version', 'anthropic-beta',
  'anthropic-dangerous-direct-browser-access', 'openai-organization', 'openai-project', 'x-stainless-arch',
  'x-stainless-lang', 'x-stainless-os', 'x-stainless-package-version', 'x-stainless-retry-count',
  'x-stainless-runtime', 'x-stainless-runtime-version', 'x-stainless-timeout', 'x-stainless-helper-method',
  'x-stainless-async', 'x-stainless-read-timeout',
].join(', ');

const EXPOSED_HEADERS = 'x-request-id, request-id, x-gatellm-cost-usd, retry-after';

/** CORS headers for a response; empty for non-browser callers (no Origin header). */
export function corsHeaders(requestHeaders: HeaderMap): Record<string, string> {
  const origin = requestHeaders.origin;
  if (origin === undefined) return {};
  // Keys, not cookies, authorise requests, so any origin may call; credentials are never allowed.
  return { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED_HEADERS };
}

export function preflightHeaders(): Record<string, string> {
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': '86400',
  };
}
