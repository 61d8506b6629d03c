import { newRequestId } from '../http/request-id';
import type { GatewayConfig } from '../config/gateway-config';
import { Gateway } from '../core/gateway';
import type { KeyAuthenticator } from '../core/key-authenticator';
import { MethodNotAllowedError, NotFoundError } from '../errors/gateway-error';
import { errorResponse, type ApiFormat } from '../errors/serialize';
import type { HttpApp, InboundRequest, OutboundResponse } from '../http/types';
import type { Logger } from '../logging/logger';
import type { RequestLog } from '../logging/request-log';
import { createOpenAiProvider } from '../providers/openai/openai-provider';
import type { ProviderAdapter } from '../providers/provider';
import type { SecretResolver } from '../secrets/secret-resolver';
import type { GatewayStores } from '../stores/store';
import { corsHeaders, preflightHeaders } from './cors';
import { listModels, openAiCall } from './openai/openai-endpoints';

export interface GatewayAppDeps {
  readonly config: GatewayConfig;
  readonly stores: GatewayStores;
  readonly secrets: SecretResolver;
  readonly logger: Logger;
  /** Per-request log line and metrics. @default an info log line */
  readonly requestLog?: RequestLog;
  /** Share one with the admin app in a single process so revocations apply at once. */
  readonly authenticator?: KeyAuthenticator;
}

export interface GatewayApp extends HttpApp {
  readonly gateway: Gateway;
  /** Resolves when usage writes of finished requests are done. */
  drain(): Promise<void>;
}

type RouteHandler = (request: InboundRequest, requestId: string, params: readonly string[]) => Promise<OutboundResponse>;

interface Route {
  readonly pattern: RegExp;
  readonly methods: Readonly<Record<string, RouteHandler>>;
  readonly format: ApiFormat;
}

/** Provider adapters by `type`; OpenAI-compatible endpoints are the openai adapter with another base URL. */
function defaultProviders(): ReadonlyMap<string, ProviderAdapter> {
  return new Map([['openai', createOpenAiProvider()]]);
}

export function createGatewayApp(deps: GatewayAppDeps): GatewayApp {
  const gateway = new Gateway({ ...deps, providers: defaultProviders() });
  const routes: readonly Route[] = [
    { pattern: /^\/v1\/chat\/completions\/?$/, format: 'openai', methods: { POST: (req, id) => gateway.execute(openAiCall(req, 'openai-chat', id)) } },
    { pattern: /^\/v1\/embeddings\/?$/, format: 'openai', methods: { POST: (req, id) => gateway.execute(openAiCall(req, 'openai-embeddings', id)) } },
    { pattern: /^\/v1\/completions\/?$/, format: 'openai', methods: { POST: (req, id) => gateway.execute(openAiCall(req, 'openai-completions', id)) } },
    { pattern: /^\/v1\/models\/?$/, format: 'openai', methods: { GET: (req, id) => listModels(gateway, req, id) } },
    { pattern: /^\/v1\/models\/(.+)$/, format: 'openai', methods: { GET: (req, id, params) => listModels(gateway, req, id, decodeURIComponent(params[0] ?? '')) } },
  ];

  function match(path: string): { route: Route; params: string[] } | undefined {
    for (const route of routes) {
      const found = route.pattern.exec(path);
      if (found !== null) return { route, params: found.slice(1) };
    }
    return undefined;
  }

  async function dispatch(request: InboundRequest, requestId: string, matched: ReturnType<typeof match>): Promise<OutboundResponse> {
    if (matched === undefined) throw new NotFoundError(`Unknown route: ${request.method} ${request.path}`, 'unknown_route');
    if (request.method === 'OPTIONS') return { status: 204, headers: { ...preflightHeaders(), 'x-request-id': requestId }, body: '' };
    const handler = matched.route.methods[request.method];
    if (handler === undefined) throw new MethodNotAllowedError(request.method, Object.keys(matched.route.methods));
    return handler(request, requestId, matched.params);
  }

  return {
    gateway,
    drain: () => gateway.drain(),
    async handle(request: InboundRequest): Promise<OutboundResponse> {
      const requestId = newRequestId();
      const matched = match(request.path);
      let response: OutboundResponse;
      try {
        response = await dispatch(request, requestId, matched);
      } catch (error) {
        response = errorResponse(error, matched?.route.format ?? 'openai', requestId);
        if (response.status >= 500) {
          deps.logger.error('request failed', { requestId, path: request.path, status: response.status,
            error: error instanceof Error ? error.message : String(error) });
        }
      }
      const cors = corsHeaders(request.headers);
      return Object.keys(cors).length === 0 ? response : { ...response, headers: { ...response.headers, ...cors } };
    },
  };
}
