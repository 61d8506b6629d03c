import { InvalidRequestError, MethodNotAllowedError, NotFoundError } from '../errors/gateway-error';
import { capText, quoteCallerText } from '../errors/caller-text';
import { errorFormatForPath, errorResponse, type ApiFormat } from '../errors/serialize';
import { newRequestId } from '../http/request-id';
import type { HttpApp, InboundRequest, OutboundResponse } from '../http/types';
import type { Logger } from '../logging/logger';

export type RouteHandler = (request: InboundRequest, requestId: string, params: readonly string[]) => Promise<OutboundResponse>;

export interface Route {
  readonly pattern: RegExp;
  readonly methods: Readonly<Record<string, RouteHandler>>;
  /**
   * The error shape callers of this route understand, fixed or told by the request (GET /v1/models
   * serves both SDK families). @default by path (errorFormatForPath)
   */
  readonly format?: ApiFormat | ((request: InboundRequest) => ApiFormat);
}

export interface RouteTableOptions {
  readonly logger: Logger;
  /** Answers OPTIONS on known routes (CORS preflight); without it OPTIONS is a 405 like any other method. */
  readonly preflight?: () => Record<string, string>;
  /** Extra headers for every response of a request (e.g. CORS). */
  readonly responseHeaders?: (request: InboundRequest) => Record<string, string>;
}

/**
 * An HttpApp over a route table: path → route (404 `unknown_route`), method → handler (405 with Allow),
 * every error answered in the route's shape, and every response carrying its request id — the one
 * place both the gateway and the admin API do this.
 */
function decodePathParam(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    throw new InvalidRequestError('The path is not valid percent-encoding.', 'invalid_path');
  }
}

export function createRoutedApp(routes: readonly Route[], options: RouteTableOptions): HttpApp {
  const dispatch = async (request: InboundRequest, requestId: string, route: Route | undefined, params: readonly string[]): Promise<OutboundResponse> => {
    if (route === undefined) throw new NotFoundError(`Unknown route: ${quoteCallerText(`${request.method} ${request.path}`)}`, 'unknown_route');
    if (request.method === 'OPTIONS' && options.preflight !== undefined) return { status: 204, headers: options.preflight(), body: '' };
    const handler = route.methods[request.method];
    if (handler === undefined) throw new MethodNotAllowedError(request.method, Object.keys(route.methods));
    return handler(request, requestId, params.map(decodePathParam));
  };

  return {
    async handle(request) {
      const requestId = newRequestId();
      let route: Route | undefined;
      let params: string[] = [];
      for (const candidate of routes) {
        const found = candidate.pattern.exec(request.path);
        if (found === null) continue;
        route = candidate;
        params = found.slice(1);
        break;
      }
      const routeFormat = route?.format;
      const format = typeof routeFormat === 'function' ? routeFormat(request) : routeFormat ?? errorFormatForPath(request.path);
      let response: OutboundResponse;
      try {
        response = await dispatch(request, requestId, route, params);
      } catch (error) {
        response = errorResponse(error, format, requestId);
        if (response.status >= 500) {
          options.logger.error('request failed', { requestId, path: capText(request.path), status: response.status,
            error: error instanceof Error ? error.message : String(error) });
        }
      }
      return {
        ...response,
        headers: {
          ...response.headers,
          ...options.responseHeaders?.(request),
          'x-request-id': requestId,
          ...(format === 'anthropic' ? { 'request-id': requestId } : {}),
        },
      };
    },
  };
}
