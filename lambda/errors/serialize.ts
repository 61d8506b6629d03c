import type { OutboundResponse } from '../http/types';
import { type GatewayError, toGatewayError } from './gateway-error';

/** The inbound API family a caller speaks; errors are answered in its shape. */
export type ApiFormat = 'openai' | 'anthropic';

/** The error shape for a path, where no route says otherwise: Anthropic's own paths get Anthropic's shape. */
export function errorFormatForPath(path: string): ApiFormat {
  return path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}

/** OpenAI: `{ error: { message, type, param, code } }`. */
function openAiErrorBody(error: GatewayError): string {
  return JSON.stringify({ error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code } });
}

/** Anthropic: `{ type: "error", error: { type, message } }`; the stable code rides along for tools that log it. */
function anthropicErrorBody(error: GatewayError, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type: error.type, message: error.message, code: error.code }, request_id: requestId });
}

/** The single place where errors become HTTP responses. */
export function errorResponse(error: unknown, format: ApiFormat, requestId: string): OutboundResponse {
  const gatewayError = toGatewayError(error);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-request-id': requestId,
    ...gatewayError.headers,
  };
  if (format === 'anthropic') headers['request-id'] = requestId;
  const body = format === 'anthropic' ? anthropicErrorBody(gatewayError, requestId) : openAiErrorBody(gatewayError);
  return { status: gatewayError.status, headers, body };
}

/** An error that happens after a stream has started: sent as one more SSE event in the caller's shape. */
export function streamErrorEvent(error: unknown, format: ApiFormat, requestId: string): string {
  const gatewayError = toGatewayError(error);
  if (format === 'anthropic') return `event: error\ndata: ${anthropicErrorBody(gatewayError, requestId)}\n\n`;
  return `data: ${openAiErrorBody(gatewayError)}\n\n`;
}
