import {
  DEFAULT_FIRST_BYTE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_NON_STREAMING_TIMEOUT_MS,
  type ProviderConfig,
} from '../../config/gateway-config';
import { UpstreamError } from '../../errors/gateway-error';
import { sendUpstream, type UpstreamResponse } from '../../http/upstream-client';
import type { ProviderCredentials } from '../../secrets/provider-credentials';
import type { Deployment, ProviderAdapter, ProviderRequest, ProviderResult, StreamHooks, WireFormat } from '../provider';
import { tapOpenAiChatStream } from './chat-stream';
import { encodeEmbeddingsAsBase64 } from './embeddings-encoding';
import { upstreamStatusError, MAX_ERROR_BODY } from './upstream-errors';
import { parseOpenAiUsage } from './usage';

const PATHS: Readonly<Record<WireFormat, string>> = {
  'openai-chat': '/chat/completions',
  'openai-embeddings': '/embeddings',
  'openai-completions': '/completions',
};

/** Response headers worth passing back to the caller; hop-by-hop and provider-internal ones are not. */
const FORWARDED_RESPONSE_HEADERS = ['openai-processing-ms', 'x-ratelimit-remaining-requests', 'x-ratelimit-remaining-tokens'];

interface PreparedBody {
  readonly body: Record<string, unknown>;
  /** The caller asked for base64 embeddings that the provider cannot produce: encode them here. */
  readonly encodeBase64Here: boolean;
  /** The caller did not ask for stream usage; the gateway did, so the usage chunk is removed again. */
  readonly stripUsageChunk: boolean;
}

function prepareBody(deployment: Deployment, request: ProviderRequest): PreparedBody {
  const body: Record<string, unknown> = { ...request.body, model: deployment.model.model };
  let encodeBase64Here = false;
  let stripUsageChunk = false;
  if (request.format === 'openai-embeddings' && body.encoding_format === 'base64' && deployment.provider.supportsBase64Embeddings === false) {
    body.encoding_format = 'float';
    encodeBase64Here = true;
  }
  if (request.stream && deployment.provider.supportsStreamUsage !== false) {
    const callerOptions = typeof body.stream_options === 'object' && body.stream_options !== null ? body.stream_options : {};
    stripUsageChunk = (callerOptions as { include_usage?: unknown }).include_usage !== true;
    // Metering needs the provider's own token counts; ask for them even when the caller did not.
    body.stream_options = { ...callerOptions, include_usage: true };
  }
  return { body, encodeBase64Here, stripUsageChunk };
}

function pickHeaders(response: UpstreamResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = response.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

async function readErrorText(response: UpstreamResponse): Promise<string> {
  let text = '';
  try {
    for await (const chunk of response.body) {
      text += Buffer.from(chunk).toString('utf8');
      if (text.length > MAX_ERROR_BODY) break;
    }
  } catch {
    // A broken error body still yields the status-based error.
  } finally {
    response.close();
  }
  return text;
}

/**
 * Headers for one call: the fixed ones, the configuration's literal headers, the secret ones and the key.
 * Secret values come from `credentials` (resolved at call time); the configuration holds only where they live.
 */
function upstreamHeaders(provider: ProviderConfig, stream: boolean, credentials: ProviderCredentials): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
    'user-agent': 'gatellm/0.1',
  };
  for (const [name, value] of Object.entries(provider.headers ?? {})) {
    if (typeof value === 'string') headers[name] = value;
  }
  Object.assign(headers, credentials.headers);
  if (credentials.apiKey !== undefined) headers.authorization = `Bearer ${credentials.apiKey}`;
  return headers;
}

/** Every credential value this call carries: none of them may appear in what the caller sees. */
function secretValues(credentials: ProviderCredentials): string[] {
  const values = Object.values(credentials.headers);
  return credentials.apiKey === undefined ? values : [credentials.apiKey, ...values];
}

function jsonResult(deployment: Deployment, response: UpstreamResponse, raw: Buffer, encodeBase64Here: boolean): ProviderResult {
  const headers = { ...pickHeaders(response), 'content-type': 'application/json' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new UpstreamError(`Provider '${deployment.providerName}' returned invalid JSON.`, { cause: error });
  }
  const usage = typeof parsed === 'object' && parsed !== null ? parseOpenAiUsage((parsed as { usage?: unknown }).usage) : undefined;
  if (encodeBase64Here && typeof parsed === 'object' && parsed !== null) {
    encodeEmbeddingsAsBase64(parsed);
    return { kind: 'json', status: response.status, headers, body: JSON.stringify(parsed), usage };
  }
  // Pass the provider's bytes through untouched: unknown fields survive and nothing is re-serialised.
  return { kind: 'json', status: response.status, headers, body: raw, usage };
}

/** OpenAI and every OpenAI-compatible endpoint: same code, different `baseUrl` and key. */
export function createOpenAiProvider(): ProviderAdapter {
  return {
    formats: new Set<WireFormat>(['openai-chat', 'openai-embeddings', 'openai-completions']),
    async call(deployment: Deployment, request: ProviderRequest, credentials: ProviderCredentials, hooks: StreamHooks): Promise<ProviderResult> {
      const prepared = prepareBody(deployment, request);
      const response = await sendUpstream({
        url: new URL(`${deployment.provider.baseUrl}${PATHS[request.format]}`),
        method: 'POST',
        headers: upstreamHeaders(deployment.provider, request.stream, credentials),
        body: JSON.stringify(prepared.body),
        signal: request.signal,
        firstByteTimeoutMs: request.stream
          ? deployment.provider.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS
          : deployment.provider.nonStreamingTimeoutMs ?? DEFAULT_NON_STREAMING_TIMEOUT_MS,
        idleTimeoutMs: deployment.provider.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      });
      if (response.status < 200 || response.status >= 300) {
        const errorText = await readErrorText(response);
        throw upstreamStatusError(response.status, response.headers, errorText, deployment.providerName, secretValues(credentials));
      }
      const contentType = response.headers['content-type'] ?? '';
      if (!request.stream || !contentType.includes('text/event-stream')) {
        const raw = await response.readAll(deployment.provider.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
        return jsonResult(deployment, response, raw, prepared.encodeBase64Here);
      }
      const tap = tapOpenAiChatStream(response.body, {
        maxEventBytes: deployment.provider.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
        secrets: secretValues(credentials),
        stripUsageChunk: prepared.stripUsageChunk,
        onUsage: (usage) => hooks.onUsage(usage),
        beforeDone: () => hooks.trailer(),
      });
      return {
        kind: 'stream',
        status: 200,
        headers: { ...pickHeaders(response), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
        stream: tap.stream,
        outputChars: () => tap.stats().outputChars,
      };
    },
  };
}
