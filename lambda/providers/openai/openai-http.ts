import type { UpstreamResponse } from '../../http/upstream-client';
import type { ProviderCredentials } from '../../secrets/provider-credentials';
import type { Deployment, ProviderRequest } from '../provider';
import { pickHeaders, postUpstream } from '../upstream-post';
import { upstreamStatusError } from './upstream-errors';

/** Response headers worth passing back to the caller; hop-by-hop and provider-internal ones are not. */
const FORWARDED_RESPONSE_HEADERS = ['openai-processing-ms', 'x-ratelimit-remaining-requests', 'x-ratelimit-remaining-tokens'];

export function openAiResponseHeaders(response: UpstreamResponse): Record<string, string> {
  return pickHeaders(response, FORWARDED_RESPONSE_HEADERS);
}

/** POSTs to an OpenAI-compatible endpoint: Bearer auth, OpenAI error mapping. */
export function postOpenAi(
  deployment: Deployment,
  path: string,
  body: Readonly<Record<string, unknown>>,
  request: ProviderRequest,
  credentials: ProviderCredentials,
): Promise<UpstreamResponse> {
  return postUpstream({
    deployment, path, body, credentials, stream: request.stream, signal: request.signal, mapError: upstreamStatusError,
    headers: credentials.apiKey === undefined ? {} : { authorization: `Bearer ${credentials.apiKey}` },
  });
}
