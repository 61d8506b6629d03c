import type { Gateway } from '../core/gateway';
import { estimateInputTokens } from './anthropic/count-tokens';
import { parseCountTokensRequest } from './anthropic/messages-request';
import type { InboundApi } from './inbound-api';
import { inboundCall } from './inbound-endpoint';
import { presentedCredential } from './request-body';
import type { RouteHandler } from './route-table';

/**
 * POST /v1/messages/count_tokens for every model: the provider's own count where it has one (Anthropic),
 * the gateway's documented estimate otherwise. Claude Code falls back to dozens of tiny Messages calls
 * when this fails, and never compacts when it lies, so it always answers with a real number.
 */
export function countTokensEndpoint(gateway: Gateway, messages: InboundApi): RouteHandler {
  // count_tokens bodies are Messages bodies without `max_tokens` (and without `stream`).
  const api: InboundApi = { ...messages, parse: (body) => parseCountTokensRequest(body) };
  return async (request, requestId) => {
    const principal = await gateway.authenticate(presentedCredential(request.headers));
    const call = inboundCall(api, request, requestId);
    const counted = await gateway.countTokens(call, principal);
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input_tokens: counted ?? estimateInputTokens(call.canonical) }),
    };
  };
}
