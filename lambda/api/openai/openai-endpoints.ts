import { InvalidRequestError, NotFoundError } from '../../errors/gateway-error';
import type { Gateway } from '../../core/gateway';
import type { GatewayCall } from '../../core/types';
import type { InboundRequest, OutboundResponse } from '../../http/types';
import type { WireFormat } from '../../providers/provider';
import { optionalStreamFlag, parseJsonBody, presentedCredential, requireModel } from '../request-body';

type Validator = (body: Readonly<Record<string, unknown>>) => void;

function requireNonEmptyArray(field: string): Validator {
  return (body) => {
    const value = body[field];
    if (!Array.isArray(value) || value.length === 0) {
      throw new InvalidRequestError(`'${field}' must be a non-empty array.`, value === undefined ? 'missing_required_parameter' : 'invalid_type', { param: field });
    }
  };
}

function requirePresent(field: string): Validator {
  return (body) => {
    const value = body[field];
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0) || value === '') {
      throw new InvalidRequestError(`Missing required parameter: '${field}'.`, 'missing_required_parameter', { param: field });
    }
  };
}

const noStreaming: Validator = (body) => {
  if (body.stream === true) throw new InvalidRequestError('This endpoint does not stream.', 'invalid_value', { param: 'stream' });
};

const VALIDATORS: Readonly<Record<WireFormat, readonly Validator[]>> = {
  'openai-chat': [requireNonEmptyArray('messages')],
  'openai-completions': [requirePresent('prompt')],
  'openai-embeddings': [requirePresent('input'), noStreaming],
};

/**
 * Builds the core's call from an OpenAI-shaped request. Only what the gateway must understand is
 * validated (model, stream, the required field); every other field, known or not, is passed on intact.
 */
export function openAiCall(request: InboundRequest, format: WireFormat, requestId: string): GatewayCall {
  const body = parseJsonBody(request.headers, request.body);
  const model = requireModel(body);
  const stream = optionalStreamFlag(body);
  for (const validate of VALIDATORS[format]) validate(body);
  return {
    requestId,
    format,
    apiFormat: 'openai',
    model,
    stream,
    body,
    bodyBytes: request.body.byteLength,
    headers: request.headers,
    credential: presentedCredential(request.headers),
    signal: request.signal,
    receivedAt: request.receivedAt,
  };
}

export async function listModels(gateway: Gateway, request: InboundRequest, modelId?: string): Promise<OutboundResponse> {
  const principal = await gateway.authenticate(presentedCredential(request.headers));
  const names = gateway.visibleModels(principal);
  const entry = (id: string): Record<string, unknown> => ({ id, object: 'model', created: 0, owned_by: 'gatellm' });
  const headers = { 'content-type': 'application/json' };
  if (modelId !== undefined) {
    if (!names.includes(modelId)) {
      throw new NotFoundError(`The model '${modelId}' does not exist.`, 'model_not_found', { param: 'model' });
    }
    return { status: 200, headers, body: JSON.stringify(entry(modelId)) };
  }
  return { status: 200, headers, body: JSON.stringify({ object: 'list', data: names.map(entry) }) };
}
