import type { GatewayConfig } from '../config/gateway-config';
import { Gateway } from '../core/gateway';
import type { KeyAuthenticator } from '../core/key-authenticator';
import type { HttpApp } from '../http/types';
import type { Logger } from '../logging/logger';
import type { RequestLog } from '../logging/request-log';
import { createOpenAiProvider } from '../providers/openai/openai-provider';
import type { ProviderAdapter, WireFormat } from '../providers/provider';
import type { SecretResolver } from '../secrets/secret-resolver';
import type { GatewayStores } from '../stores/store';
import { corsHeaders, preflightHeaders } from './cors';
import { listModels, openAiEndpoint } from './openai/openai-endpoints';
import { createRoutedApp, type Route, type RouteHandler } from './route-table';
import { GATELLM_VERSION } from './version';

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

/** Provider adapters by `type`; OpenAI-compatible endpoints are the openai adapter with another base URL. */
function defaultProviders(): ReadonlyMap<string, ProviderAdapter> {
  return new Map([['openai', createOpenAiProvider()]]);
}

const HEALTH_BODY = JSON.stringify({ status: 'ok', version: GATELLM_VERSION });

/** Liveness for load balancers and people: no key needed, and it touches no store and no secret. */
const health: RouteHandler = async () => ({ status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: HEALTH_BODY });

export function createGatewayApp(deps: GatewayAppDeps): GatewayApp {
  const gateway = new Gateway({ ...deps, providers: defaultProviders() });
  const execute = (format: WireFormat): RouteHandler => openAiEndpoint(gateway, format);
  const routes: readonly Route[] = [
    { pattern: /^\/health\/?$/, format: 'openai', methods: { GET: health } },
    { pattern: /^\/v1\/chat\/completions\/?$/, format: 'openai', methods: { POST: execute('openai-chat') } },
    { pattern: /^\/v1\/embeddings\/?$/, format: 'openai', methods: { POST: execute('openai-embeddings') } },
    { pattern: /^\/v1\/completions\/?$/, format: 'openai', methods: { POST: execute('openai-completions') } },
    { pattern: /^\/v1\/models\/?$/, format: 'openai', methods: { GET: (request) => listModels(gateway, request) } },
    { pattern: /^\/v1\/models\/(.+)$/, format: 'openai', methods: { GET: (request, _id, [model]) => listModels(gateway, request, model) } },
  ];
  const app = createRoutedApp(routes, { logger: deps.logger, preflight: preflightHeaders, responseHeaders: (request) => corsHeaders(request.headers) });
  return { gateway, drain: () => gateway.drain(), handle: (request) => app.handle(request) };
}
