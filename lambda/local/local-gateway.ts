import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminApp } from '../admin/admin-app';
import { createGatewayApp, type GatewayApp } from '../api/gateway-app';
import { bearerToken } from '../api/request-body';
import { gatewaySettings, type GatewayConfig } from '../config/gateway-config';
import { KeyAuthenticator } from '../core/key-authenticator';
import { InvalidApiKeyError } from '../errors/gateway-error';
import { errorResponse } from '../errors/serialize';
import { newRequestId } from '../http/request-id';
import { hashKey, keyMatchesHash } from '../keys/gateway-key';
import type { HttpApp, InboundRequest, OutboundResponse } from '../http/types';
import type { Logger } from '../logging/logger';
import type { SecretResolver } from '../secrets/secret-resolver';
import type { GatewayStores } from '../stores/store';
import { answerClientError } from './client-errors';
import { DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_BODY_TIMEOUT_MS } from './local-settings';
import { createNodeHandler } from './node-http-adapter';
import { InFlight } from './in-flight';
import { createGovernanceStages } from '../governance';
import { createManagedDetector } from '../pii/managed';
import { defaultProviderRegistry } from '../providers/registry';

export interface LocalGatewayOptions {
  readonly config: GatewayConfig;
  readonly stores: GatewayStores;
  readonly secrets: SecretResolver;
  readonly logger: Logger;
  /** Bearer token for /admin/v1. */
  readonly adminToken: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Longest a client may take to send a request (head and body); a response is never cut by it. @default 30000 */
  readonly requestBodyTimeoutMs?: number;
  /** Open client connections at most; more are closed as they arrive. @default 2048 */
  readonly maxConnections?: number;
  /** On close, how long requests in progress (long streams) may go on before they are cut. @default 10000 */
  readonly shutdownGraceMs?: number;
  /** The clock budgets' periods and rate windows follow; for tests. @default Date.now */
  readonly now?: () => number;
}

export interface LocalGateway {
  /** e.g. `http://127.0.0.1:8787` — OpenAI SDKs use `${url}/v1`, Anthropic SDKs use `url`. */
  readonly url: string;
  readonly app: GatewayApp;
  readonly server: Server;
  /**
   * Stops accepting connections, lets requests in progress finish (cut after the grace period, and
   * metered as client_aborted), then writes every pending usage record.
   */
  close(): Promise<void>;
}

/** After the grace period, cut streams get this long to record their usage. */
const CUT_SETTLE_MS = 5_000;

/** The admin bearer token, compared as gateway keys are: SHA-256, then constant time. */
function adminAuthorised(request: InboundRequest, expectedHash: string): boolean {
  const token = bearerToken(request.headers);
  return token !== undefined && keyMatchesHash(token, expectedHash);
}

/**
 * Bounds on what clients may hold: a whole request must arrive within the timeout (Node's request
 * timer stops once the body is in, so a long streamed answer is never cut), and connections are capped.
 */
function boundedServer(options: LocalGatewayOptions, handler: http.RequestListener): Server {
  const requestTimeout = options.requestBodyTimeoutMs ?? DEFAULT_REQUEST_BODY_TIMEOUT_MS;
  const server = http.createServer({
    noDelay: true,
    keepAliveTimeout: 65_000,
    requestTimeout,
    headersTimeout: Math.min(30_000, requestTimeout),
    // Node checks the request timers at this interval (default 30 s, far coarser than a short timeout).
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(requestTimeout / 4))),
  }, handler);
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.on('clientError', answerClientError);
  return server;
}

/**
 * A long-running server batches usage records longer than Lambda can: each store call costs the SDK
 * about as much CPU as a whole proxied request, so 100 records share four BatchWriteItem calls and one
 * roll-up update instead of paying for them every 20. Records are in the store within 100 ms, and the
 * admin API flushes first, so usage read right after a response still includes it.
 */
const LOCAL_USAGE_BATCHING = { maxBatch: 100, maxDelayMs: 100 } as const;

/** Composes the gateway and admin apps behind one node:http server; the local composition root calls this. */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const settings = gatewaySettings(options.config);
  // One authenticator for both apps: a key revoked through the admin API stops working at once.
  const authenticator = new KeyAuthenticator(options.stores, settings.keyCacheSeconds * 1000);
  const managed = options.config.pii?.managed;
  // Managed detection locally uses the standard AWS credential chain, like the CLI.
  const managedPii = managed === undefined ? undefined : createManagedDetector(managed, { defaultRegion: process.env.AWS_REGION });
  const governance = createGovernanceStages({ stores: options.stores, config: options.config, logger: options.logger, ...(managedPii === undefined ? {} : { managedPii }) });
  const app = createGatewayApp({
    ...options, authenticator, stages: governance.stages, providers: defaultProviderRegistry(), usageBatching: LOCAL_USAGE_BATCHING,
  });
  // Usage read right after a response includes it: the admin app flushes the pending batch first.
  // A budget or limit changed here applies to the next request: the admin app tells the policy cache.
  const admin: HttpApp = createAdminApp({
    config: options.config, stores: options.stores, logger: options.logger, authenticator, flushUsage: () => app.drain(),
    policyChanged: (scope, scopeId) => governance.policies.invalidate(scope, scopeId),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const adminTokenHash = hashKey(options.adminToken);
  // Whoever holds the admin token: that is all the local audit trail can say about the actor.
  const authorisedAdmin: HttpApp = { handle: (request) => admin.handle({ ...request, identity: 'admin-token' }) };
  const route = (request: InboundRequest): HttpApp | OutboundResponse => {
    if (!request.path.startsWith('/admin/')) return app;
    if (adminAuthorised(request, adminTokenHash)) return authorisedAdmin;
    return errorResponse(new InvalidApiKeyError('Missing or wrong admin token.'), 'openai', newRequestId());
  };
  const inFlight = new InFlight();
  const server = boundedServer(options, createNodeHandler({
    maxRequestBodyBytes: settings.maxRequestBodyBytes,
    route,
    onError: (error) => options.logger.error('unhandled adapter error', { error: error instanceof Error ? error.message : String(error) }),
    track: (handling) => inFlight.add(handling),
  }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Keep-alive connections whose request ends meanwhile are closed as they go idle.
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    try {
      if (!await inFlight.settled(options.shutdownGraceMs ?? 10_000)) {
        server.closeAllConnections(); // each cut stream aborts its upstream call and meters as client_aborted
        await inFlight.settled(CUT_SETTLE_MS);
      }
    } finally {
      clearInterval(idleSweep);
    }
    server.closeAllConnections();
    await closed;
    await app.drain();
    // Counter leases go back now rather than when the store's reservation lifetime runs out; if the store
    // is gone, they go back then anyway, so a failure here must not stop the shutdown.
    await governance.leases.releaseAll().catch((error: unknown) => {
      options.logger.warn('counter leases not returned; they are released after the reservation lifetime', {
        error: error instanceof Error ? error.message : String(error),
      });
    });
  };
  return {
    url: `http://${host}:${address.port}`,
    app,
    server,
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}
