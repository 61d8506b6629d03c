import { DEFAULT_ANTHROPIC_VERSION } from '../../config/gateway-config';
import type { UpstreamResponse } from '../../http/upstream-client';
import type { ProviderCredentials } from '../../secrets/provider-credentials';
import type { Deployment, ProviderRequest } from '../provider';
import { pickHeaders, postUpstream } from '../upstream-post';
import { anthropicStatusError } from './errors';

/** Anthropic response headers worth passing on to the caller; never content-type or its request-id. */
const FORWARDED_RESPONSE_HEADERS = [
  'anthropic-ratelimit-requests-remaining',
  'anthropic-ratelimit-tokens-remaining',
  'anthropic-ratelimit-input-tokens-remaining',
  'anthropic-ratelimit-output-tokens-remaining',
];

export function anthropicResponseHeaders(response: UpstreamResponse): Record<string, string> {
  return pickHeaders(response, FORWARDED_RESPONSE_HEADERS);
}

/**
 * Anthropic's own headers for one call. `anthropic-version`: a native caller's own header (never checked
 * against a list; Anthropic validates it), else the provider's `anthropicVersion`, else the default.
 * `anthropic-beta` only from native callers: it names features of the caller's own body.
 */
function anthropicHeaders(deployment: Deployment, request: ProviderRequest, credentials: ProviderCredentials): Record<string, string> {
  const provider = deployment.provider;
  const native = request.format === 'anthropic-messages';
  const configured = provider.type === 'anthropic' ? provider.anthropicVersion : undefined;
  const callerVersion = native ? request.clientHeaders['anthropic-version'] : undefined;
  const headers: Record<string, string> = { 'anthropic-version': callerVersion ?? configured ?? DEFAULT_ANTHROPIC_VERSION };
  const beta = native ? request.clientHeaders['anthropic-beta'] : undefined;
  if (beta !== undefined) headers['anthropic-beta'] = beta;
  if (credentials.apiKey !== undefined) headers['x-api-key'] = credentials.apiKey;
  return headers;
}

/** POSTs to Anthropic (`/v1/messages` or its count_tokens) and resolves once a 2xx response has started. */
export function postToAnthropic(
  deployment: Deployment,
  request: ProviderRequest,
  credentials: ProviderCredentials,
  path: '/v1/messages' | '/v1/messages/count_tokens',
  body: Readonly<Record<string, unknown>>,
  stream: boolean,
): Promise<UpstreamResponse> {
  return postUpstream({
    deployment, path, body, credentials, stream, signal: request.signal, mapError: anthropicStatusError,
    headers: anthropicHeaders(deployment, request, credentials),
  });
}
