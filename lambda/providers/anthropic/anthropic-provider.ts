import { replayEvents } from '../../canonical/events';
import { DEFAULT_MAX_EVENT_BYTES } from '../../config/gateway-config';
import { UpstreamError } from '../../errors/gateway-error';
import type { ProviderCredentials } from '../../secrets/provider-credentials';
import type { Deployment, ProviderAdapter, ProviderRequest, ProviderResult, StreamHooks, WireFormat } from '../provider';
import { decodeMessagesJson } from './json-decoder';
import { buildMessagesBody } from './request-body';
import { decodeMessagesStream } from './stream-decoder';
import { tapMessagesStream } from './stream-tap';
import { isEventStream, readJson, secretValues } from '../upstream-post';
import { anthropicResponseHeaders, postToAnthropic } from './upstream-call';
import { parseAnthropicUsage } from './usage';

/** Formats an Anthropic deployment serves: its own natively, Chat and Responses by translation. */
const SERVED: ReadonlySet<WireFormat> = new Set<WireFormat>(['anthropic-messages', 'openai-chat', 'openai-responses']);

/** Fields of a Messages body that `count_tokens` does not accept ("Extra inputs are not permitted"). */
const NOT_COUNTED: ReadonlySet<string> = new Set(['max_tokens', 'stream', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'metadata', 'service_tier', 'container']);

function isNative(request: ProviderRequest): boolean {
  return request.format === 'anthropic-messages';
}

/** The body sent to Anthropic: the caller's own (model swapped) or one built from the canonical request. */
function messagesBody(deployment: Deployment, request: ProviderRequest): Record<string, unknown> {
  if (isNative(request)) return { ...request.body, model: deployment.model.model };
  return buildMessagesBody(request.canonical, deployment);
}

/** The Anthropic Messages API (`POST {baseUrl}/v1/messages`, `x-api-key`, `anthropic-version`). */
export function createAnthropicProvider(): ProviderAdapter {
  return {
    serves(_deployment: Deployment, format: WireFormat): boolean {
      return SERVED.has(format);
    },

    isNative(_deployment: Deployment, format: WireFormat): boolean {
      return format === 'anthropic-messages';
    },

    async call(deployment: Deployment, request: ProviderRequest, credentials: ProviderCredentials, hooks: StreamHooks): Promise<ProviderResult> {
      const body = messagesBody(deployment, request);
      const response = await postToAnthropic(deployment, request, credentials, '/v1/messages', body, request.stream);
      const headers = anthropicResponseHeaders(response);
      const maxEventBytes = deployment.provider.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
      const secrets = secretValues(credentials);
      const streamed = request.stream && isEventStream(response);
      if (streamed && isNative(request)) {
        const tap = tapMessagesStream(response.body, { onUsage: (usage) => hooks.onUsage(usage), trailer: () => hooks.trailer(), maxEventBytes, secrets });
        return {
          kind: 'stream',
          status: 200,
          headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
          stream: tap.stream,
          outputChars: tap.outputChars,
        };
      }
      if (streamed) {
        return { kind: 'events', status: 200, headers, events: decodeMessagesStream(response.body, { maxEventBytes, providerName: deployment.providerName, secrets }) };
      }
      const { raw, parsed } = await readJson(deployment, response);
      if (isNative(request)) {
        const usage = typeof parsed === 'object' && parsed !== null ? parseAnthropicUsage((parsed as { usage?: unknown }).usage) : undefined;
        // The provider's bytes, untouched: unknown fields survive and nothing is re-serialised.
        return { kind: 'json', status: response.status, headers: { ...headers, 'content-type': 'application/json' }, body: raw, usage };
      }
      return { kind: 'events', status: 200, headers, events: replayEvents(decodeMessagesJson(parsed)) };
    },

    async countTokens(deployment: Deployment, request: ProviderRequest, credentials: ProviderCredentials): Promise<number> {
      const body = Object.fromEntries(Object.entries(messagesBody(deployment, request)).filter(([name]) => !NOT_COUNTED.has(name)));
      const response = await postToAnthropic(deployment, request, credentials, '/v1/messages/count_tokens', body, false);
      const { parsed } = await readJson(deployment, response);
      const count = typeof parsed === 'object' && parsed !== null ? (parsed as { input_tokens?: unknown }).input_tokens : undefined;
      if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
        throw new UpstreamError(`Provider '${deployment.providerName}' returned no token count.`);
      }
      return count;
    },
  };
}
