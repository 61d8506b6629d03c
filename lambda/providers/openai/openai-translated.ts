import { replayEvents, type StreamEvent } from '../../canonical/events';
import { DEFAULT_MAX_EVENT_BYTES } from '../../config/gateway-config';
import type { UpstreamResponse } from '../../http/upstream-client';
import type { ProviderCredentials } from '../../secrets/provider-credentials';
import type { Deployment, ProviderRequest, ProviderResult } from '../provider';
import { buildChatBody } from './chat-body';
import { decodeChatJson, decodeChatStream } from './chat-decoder';
import { isEventStream, readJson, secretValues } from '../upstream-post';
import { openAiResponseHeaders, postOpenAi } from './openai-http';
import { buildResponsesBody, decodeResponsesJson, decodeResponsesStream } from './responses';

/**
 * The translated path: the caller speaks another format (Messages, or Responses toward a provider
 * without it), so the provider is called from the canonical request in its own API — Chat Completions,
 * or Responses for models configured with `api: "responses"` — and answers with typed events that the
 * caller's API encodes.
 */

interface UpstreamApi {
  readonly path: string;
  body(request: ProviderRequest, deployment: Deployment): Record<string, unknown>;
  stream(source: AsyncIterable<Uint8Array>, maxEventBytes: number, secrets: readonly string[]): AsyncIterable<StreamEvent>;
  json(body: unknown, secrets: readonly string[]): StreamEvent[];
}

const CHAT: UpstreamApi = {
  path: '/chat/completions',
  body: (request, deployment) => buildChatBody(request.canonical, deployment),
  stream: (source, maxEventBytes, secrets) => decodeChatStream(source, { maxEventBytes, secrets }),
  json: (body, secrets) => decodeChatJson(body, secrets),
};

const RESPONSES: UpstreamApi = {
  path: '/responses',
  body: (request, deployment) => buildResponsesBody(request.canonical, deployment),
  stream: (source, maxEventBytes) => decodeResponsesStream(source, { maxEventBytes }),
  json: (body) => decodeResponsesJson(body),
};

async function events(api: UpstreamApi, deployment: Deployment, request: ProviderRequest, response: UpstreamResponse,
  secrets: readonly string[]): Promise<AsyncIterable<StreamEvent>> {
  if (request.stream && isEventStream(response)) {
    return api.stream(response.body, deployment.provider.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES, secrets);
  }
  // Non-streaming calls, and compatible servers that answer `stream: true` with plain JSON.
  const { parsed } = await readJson(deployment, response);
  return replayEvents(api.json(parsed, secrets));
}

/** Calls the provider from `request.canonical` and returns its answer as events. */
export async function callTranslated(deployment: Deployment, request: ProviderRequest, credentials: ProviderCredentials): Promise<ProviderResult> {
  const api = deployment.model.api === 'responses' ? RESPONSES : CHAT;
  const response = await postOpenAi(deployment, api.path, api.body(request, deployment), request, credentials);
  return {
    kind: 'events',
    status: 200,
    headers: openAiResponseHeaders(response),
    events: await events(api, deployment, request, response, secretValues(credentials)),
  };
}
