import { quoteCallerText } from '../../errors/caller-text';
import { NotFoundError } from '../../errors/gateway-error';
import type { Gateway } from '../../core/gateway';
import type { GatewayCall } from '../../core/types';
import type { InboundRequest, OutboundResponse } from '../../http/types';
import type { WireFormat } from '../../providers/provider';
import { optionalStreamFlag, parseJsonBody, presentedCredential, requireModel } from '../request-body';
import type { RouteHandler } from '../route-table';
import { validateOpenAiBody } from './request-validation';

/**
 * Builds the core's call from an OpenAI-shaped request. Known fields are checked for type and range
 * (request-validation.ts); every other field is passed on intact.
 */
function openAiCall(request: InboundRequest, format: WireFormat, requestId: string): GatewayCall {
  const body = parseJsonBody(request.headers, request.body);
  const model = requireModel(body);
  validateOpenAiBody(format, body);
  return {
    requestId,
    format,
    apiFormat: 'openai',
    model,
    stream: optionalStreamFlag(body),
    body,
    bodyBytes: request.body.byteLength,
    headers: request.headers,
    signal: request.signal,
    receivedAt: request.receivedAt,
  };
}

/**
 * A POST endpoint: the key is checked before the body is read, so a caller without a valid key learns
 * nothing about its request (a malformed body from an unknown caller is a 401, not a 400).
 */
export function openAiEndpoint(gateway: Gateway, format: WireFormat): RouteHandler {
  return async (request, requestId) => {
    const principal = await gateway.authenticate(presentedCredential(request.headers));
    return gateway.execute(openAiCall(request, format, requestId), principal);
  };
}

export async function listModels(gateway: Gateway, request: InboundRequest, modelId?: string): Promise<OutboundResponse> {
  const principal = await gateway.authenticate(presentedCredential(request.headers));
  const names = gateway.visibleModels(principal);
  const entry = (id: string): Record<string, unknown> => ({ id, object: 'model', created: 0, owned_by: 'gatellm' });
  const headers = { 'content-type': 'application/json' };
  if (modelId !== undefined) {
    if (!names.includes(modelId)) {
      throw new NotFoundError(`The model '${quoteCallerText(modelId)}' does not exist.`, 'model_not_found', { param: 'model' });
    }
    return { status: 200, headers, body: JSON.stringify(entry(modelId)) };
  }
  return { status: 200, headers, body: JSON.stringify({ object: 'list', data: names.map(entry) }) };
}
