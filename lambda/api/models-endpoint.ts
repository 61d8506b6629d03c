import type { Gateway } from '../core/gateway';
import { quoteCallerText } from '../errors/caller-text';
import { NotFoundError } from '../errors/gateway-error';
import type { ApiFormat } from '../errors/serialize';
import type { InboundRequest, OutboundResponse } from '../http/types';
import { anthropicModel, anthropicModelList } from './anthropic/models';
import { presentedCredential } from './request-body';

/**
 * Anthropic's SDKs (and Claude Code's model discovery) send `anthropic-version` on every call; OpenAI's
 * never do. The same path answers each in its own list shape.
 */
export function modelsFormat(request: InboundRequest): ApiFormat {
  return request.headers['anthropic-version'] === undefined ? 'openai' : 'anthropic';
}

const openAiModel = (id: string): Record<string, unknown> => ({ id, object: 'model', created: 0, owned_by: 'gatellm' });

/** GET /v1/models and /v1/models/{id}: only what the key can reach, in the caller's list shape. */
export async function listModels(gateway: Gateway, request: InboundRequest, modelId?: string): Promise<OutboundResponse> {
  const principal = await gateway.authenticate(presentedCredential(request.headers));
  const names = gateway.visibleModels(principal);
  const anthropic = modelsFormat(request) === 'anthropic';
  const headers = { 'content-type': 'application/json' };
  if (modelId === undefined) {
    return { status: 200, headers, body: anthropic ? anthropicModelList(names) : JSON.stringify({ object: 'list', data: names.map(openAiModel) }) };
  }
  if (!names.includes(modelId)) {
    throw new NotFoundError(`The model '${quoteCallerText(modelId)}' does not exist.`, 'model_not_found', { param: 'model' });
  }
  return { status: 200, headers, body: anthropic ? anthropicModel(modelId) : JSON.stringify(openAiModel(modelId)) };
}
