import type { HeaderMap } from '../http/types';

/**
 * Headers browser clients of the OpenAI and Anthropic SDKs send; wildcards are not valid here, so the
 * `x-stainless-*` headers are listed one by one. API Gateway's preflight (lib/) answers with the same list.
 */
export const CORS_ALLOW_HEADERS: readonly string[] = [
  'authorization', 'x-api-key', 'api-key', 'content-type', 'anthropic-version', 'anthropic-beta',
  'anthropic-dangerous-direct-browser-access', 'openai-organization', 'openai-project', 'x-stainless-arch',
  'x-stainless-lang', 'x-stainless-os', 'x-stainless-package-version', 'x-stainless-retry-count',
  'x-stainless-runtime', 'x-stainless-runtime-version', 'x-stainless-timeout', 'x-stainless-helper-method',
  'x-stainless-async', 'x-stainless-read-timeout',
];

export const CORS_ALLOW_METHODS: readonly string[] = ['GET', 'POST', 'OPTIONS'];

const ALLOWED_HEADERS = CORS_ALLOW_HEADERS.join(', ');

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
    'access-control-allow-methods': CORS_ALLOW_METHODS.join(', '),
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': '86400',
  };
}
