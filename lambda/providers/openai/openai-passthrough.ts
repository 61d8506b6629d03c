import { DEFAULT_MAX_EVENT_BYTES } from '../../config/gateway-config';
import type { UpstreamResponse } from '../../http/upstream-client';
import type { ProviderCredentials } from '../../secrets/provider-credentials';
import type { PassThroughTap } from '../pass-through-tap';
import type { Deployment, ProviderRequest, ProviderResult, StreamHooks, WireFormat } from '../provider';
import type { TokenUsage } from '../../canonical/usage';
import { tapOpenAiChatStream } from './chat-stream';
import { encodeEmbeddingsAsBase64 } from './embeddings-encoding';
import { isEventStream, readJson, secretValues } from '../upstream-post';
import { openAiResponseHeaders, postOpenAi } from './openai-http';
import { parseResponsesUsage, tapResponsesStream } from './responses';
import { parseOpenAiUsage } from './usage';

/**
 * The same-format fast path: the caller speaks the provider's own API, so its body goes up with only
 * the model id swapped (and usage requested), and the provider's bytes come back untouched, tapped for
 * usage. Embeddings may be re-encoded as base64 for providers that only return floats.
 */

/** The formats this path serves, and where each is posted. */
export const NATIVE_PATHS: Readonly<Partial<Record<WireFormat, string>>> = {
  'openai-chat': '/chat/completions',
  'openai-embeddings': '/embeddings',
  'openai-completions': '/completions',
  'openai-responses': '/responses',
};

interface PreparedBody {
  readonly body: Record<string, unknown>;
  /** The caller asked for base64 embeddings that the provider cannot produce: encode them here. */
  readonly encodeBase64Here: boolean;
  /** The caller did not ask for stream usage; the gateway did, so the usage chunk is removed again. */
  readonly stripUsageChunk: boolean;
}

function prepareBody(deployment: Deployment, request: ProviderRequest): PreparedBody {
  const body: Record<string, unknown> = { ...request.body, model: deployment.model.model };
  const provider = deployment.provider;
  let encodeBase64Here = false;
  let stripUsageChunk = false;
  if (provider.type === 'anthropic') return { body, encodeBase64Here, stripUsageChunk };
  if (request.format === 'openai-embeddings' && body.encoding_format === 'base64' && provider.supportsBase64Embeddings === false) {
    body.encoding_format = 'float';
    encodeBase64Here = true;
  }
  // Responses streams always end with usage (response.completed); only Chat and legacy completions need asking.
  const asksForUsage = request.format === 'openai-chat' || request.format === 'openai-completions';
  if (asksForUsage && request.stream && provider.supportsStreamUsage !== false) {
    const callerOptions = typeof body.stream_options === 'object' && body.stream_options !== null ? body.stream_options : {};
    stripUsageChunk = (callerOptions as { include_usage?: unknown }).include_usage !== true;
    // Metering needs the provider's own token counts; ask for them even when the caller did not.
    body.stream_options = { ...callerOptions, include_usage: true };
  }
  return { body, encodeBase64Here, stripUsageChunk };
}

function usageOf(format: WireFormat, parsed: unknown): TokenUsage | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const usage = (parsed as { usage?: unknown }).usage;
  return format === 'openai-responses' ? parseResponsesUsage(usage) : parseOpenAiUsage(usage);
}

async function jsonResult(deployment: Deployment, request: ProviderRequest, response: UpstreamResponse, encodeBase64Here: boolean): Promise<ProviderResult> {
  const { raw, parsed } = await readJson(deployment, response);
  const headers = { ...openAiResponseHeaders(response), 'content-type': 'application/json' };
  const usage = usageOf(request.format, parsed);
  if (encodeBase64Here && typeof parsed === 'object' && parsed !== null) {
    encodeEmbeddingsAsBase64(parsed);
    return { kind: 'json', status: response.status, headers, body: JSON.stringify(parsed), usage };
  }
  // Pass the provider's bytes through untouched: unknown fields survive and nothing is re-serialised.
  return { kind: 'json', status: response.status, headers, body: raw, usage };
}

function tapStream(deployment: Deployment, request: ProviderRequest, response: UpstreamResponse, prepared: PreparedBody,
  credentials: ProviderCredentials, hooks: StreamHooks): PassThroughTap {
  const maxEventBytes = deployment.provider.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  const secrets = secretValues(credentials);
  if (request.format === 'openai-responses') {
    return tapResponsesStream(response.body, { maxEventBytes, secrets, onUsage: (usage) => hooks.onUsage(usage), trailer: () => hooks.trailer() });
  }
  return tapOpenAiChatStream(response.body, {
    maxEventBytes,
    secrets,
    stripUsageChunk: prepared.stripUsageChunk,
    onUsage: (usage) => hooks.onUsage(usage),
    beforeDone: () => hooks.trailer(),
  });
}

/** Calls the provider in the caller's own format (one of NATIVE_PATHS). */
export async function callNative(deployment: Deployment, request: ProviderRequest, credentials: ProviderCredentials, hooks: StreamHooks): Promise<ProviderResult> {
  const path = NATIVE_PATHS[request.format] ?? '/chat/completions';
  const prepared = prepareBody(deployment, request);
  const response = await postOpenAi(deployment, path, prepared.body, request, credentials);
  if (!request.stream || !isEventStream(response)) return jsonResult(deployment, request, response, prepared.encodeBase64Here);
  const tap = tapStream(deployment, request, response, prepared, credentials, hooks);
  return {
    kind: 'stream',
    status: 200,
    headers: { ...openAiResponseHeaders(response), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    stream: tap.stream,
    outputChars: () => tap.outputChars(),
  };
}
