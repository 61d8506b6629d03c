import type { Gateway } from '../core/gateway';
import type { GatewayCall } from '../core/types';
import type { InboundRequest } from '../http/types';
import type { InboundApi } from './inbound-api';
import { parseJsonBody, presentedCredential, requireModel } from './request-body';
import type { RouteHandler } from './route-table';

/** Builds the core's call: the caller's body, its canonical form, and how to encode a translated answer. */
export function inboundCall(api: InboundApi, request: InboundRequest, requestId: string): GatewayCall {
  const body = parseJsonBody(request.headers, request.body);
  const model = requireModel(body);
  const canonical = api.parse(body, model);
  return {
    requestId,
    format: api.format,
    apiFormat: api.errorFormat,
    model,
    stream: canonical.stream,
    body,
    canonical,
    ...(api.encoder === undefined ? {} : { encoder: api.encoder }),
    ...(api.outputLimitField === undefined ? {} : { outputLimitField: api.outputLimitField }),
    bodyBytes: request.body.byteLength,
    headers: request.headers,
    signal: request.signal,
    receivedAt: request.receivedAt,
  };
}

/**
 * A POST endpoint of an inbound API. The key is checked before the body is read, so a caller without a
 * valid key learns nothing about its request (a malformed body from an unknown caller is a 401, not a 400).
 */
export function inboundEndpoint(gateway: Gateway, api: InboundApi): RouteHandler {
  return async (request, requestId) => {
    const principal = await gateway.authenticate(presentedCredential(request.headers));
    return gateway.execute(inboundCall(api, request, requestId), principal);
  };
}
