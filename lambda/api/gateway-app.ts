import type { GatewayConfig } from '../config/gateway-config';
import { Gateway } from '../core/gateway';
import type { KeyAuthenticator } from '../core/key-authenticator';
import type { HttpApp } from '../http/types';
import type { UsageSinkOptions } from '../core/usage-sink';
import type { Logger } from '../logging/logger';
import type { RequestLog } from '../logging/request-log';
import type { ProviderType } from '../config/gateway-config';
import type { ProviderAdapter } from '../providers/provider';
import { defaultProviderRegistry } from '../providers/registry';
import type { SecretResolver } from '../secrets/secret-resolver';
import type { GatewayStores } from '../stores/store';
import { corsHeaders, preflightHeaders } from './cors';
import { countTokensEndpoint } from './count-tokens-endpoint';
import { CHAT_COMPLETIONS, EMBEDDINGS, LEGACY_COMPLETIONS, MESSAGES, RESPONSES } from './inbound-apis';
import { inboundEndpoint } from './inbound-endpoint';
import { listModels, modelsFormat } from './models-endpoint';
import { createRoutedApp, type Route, type RouteHandler } from './route-table';
import { GATELLM_VERSION } from './version';
import type { Stage } from '../core/stage';

export interface GatewayAppDeps {
  readonly config: GatewayConfig;
  readonly stores: GatewayStores;
  readonly secrets: SecretResolver;
  readonly logger: Logger;
  /** Per-request log line and metrics. @default an info log line */
  readonly requestLog?: RequestLog;
  /** Share one with the admin app in a single process so revocations apply at once. */
  readonly authenticator?: KeyAuthenticator;
  /** Provider adapters by configuration `type`. @default defaultProviderRegistry() */
  readonly providers?: ReadonlyMap<ProviderType, ProviderAdapter>;
  /** Governance stages, in order (the composition roots build budgets and rate limits). @default none */
  readonly stages?: readonly Stage[];
  /**
   * How finished requests' usage records are batched into store calls. @default 25 records or 20 ms,
   * whichever comes first (see UsageSink)
   */
  readonly usageBatching?: UsageSinkOptions;
  /** The clock periods and windows are computed from. @default Date.now */
  readonly now?: () => number;
}

export interface GatewayApp extends HttpApp {
  readonly gateway: Gateway;
  /** Resolves when usage writes of finished requests are done. */
  drain(): Promise<void>;
}

const HEALTH_BODY = JSON.stringify({ status: 'ok', version: GATELLM_VERSION });

/** Liveness for load balancers and people: no key needed, and it touches no store and no secret. */
const health: RouteHandler = async () => ({ status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: HEALTH_BODY });

export function createGatewayApp(deps: GatewayAppDeps): GatewayApp {
  const gateway = new Gateway({ ...deps, providers: deps.providers ?? defaultProviderRegistry() });
  const models: RouteHandler = (request, _id, [model]) => listModels(gateway, request, model);
  // Paths are matched without the query string, so Claude Code's `/v1/messages?beta=true` lands here too.
  const routes: readonly Route[] = [
    { pattern: /^\/health\/?$/, format: 'openai', methods: { GET: health } },
    { pattern: /^\/v1\/chat\/completions\/?$/, format: 'openai', methods: { POST: inboundEndpoint(gateway, CHAT_COMPLETIONS) } },
    // GET (Codex's WebSocket upgrade attempt) gets an immediate 405, and Codex falls back to POST.
    { pattern: /^\/v1\/responses\/?$/, format: 'openai', methods: { POST: inboundEndpoint(gateway, RESPONSES) } },
    { pattern: /^\/v1\/messages\/?$/, format: 'anthropic', methods: { POST: inboundEndpoint(gateway, MESSAGES) } },
    { pattern: /^\/v1\/messages\/count_tokens\/?$/, format: 'anthropic', methods: { POST: countTokensEndpoint(gateway, MESSAGES) } },
    { pattern: /^\/v1\/embeddings\/?$/, format: 'openai', methods: { POST: inboundEndpoint(gateway, EMBEDDINGS) } },
    { pattern: /^\/v1\/completions\/?$/, format: 'openai', methods: { POST: inboundEndpoint(gateway, LEGACY_COMPLETIONS) } },
    { pattern: /^\/v1\/models\/?$/, format: modelsFormat, methods: { GET: models } },
    { pattern: /^\/v1\/models\/(.+)$/, format: modelsFormat, methods: { GET: models } },
  ];
  const app = createRoutedApp(routes, { logger: deps.logger, preflight: preflightHeaders, responseHeaders: (request) => corsHeaders(request.headers) });
  return { gateway, drain: () => gateway.drain(), handle: (request) => app.handle(request) };
}
