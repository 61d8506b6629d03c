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
import { createNodeHandler } from './node-http-adapter';

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
}

export interface LocalGateway {
  /** e.g. `http://127.0.0.1:8787` — OpenAI SDKs use `${url}/v1`, Anthropic SDKs use `url`. */
  readonly url: string;
  readonly app: GatewayApp;
  readonly server: Server;
  close(): Promise<void>;
}

/** The admin bearer token, compared as gateway keys are: SHA-256, then constant time. */
function adminAuthorised(request: InboundRequest, expectedHash: string): boolean {
  const token = bearerToken(request.headers);
  return token !== undefined && keyMatchesHash(token, expectedHash);
}

/** Composes the gateway and admin apps behind one node:http server; the local composition root calls this. */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const settings = gatewaySettings(options.config);
  // One authenticator for both apps: a key revoked through the admin API stops working at once.
  const authenticator = new KeyAuthenticator(options.stores.keys, settings.keyCacheSeconds * 1000);
  const app = createGatewayApp({ ...options, authenticator });
  const admin: HttpApp = createAdminApp({ config: options.config, stores: options.stores, logger: options.logger, authenticator });
  const adminTokenHash = hashKey(options.adminToken);
  const route = (request: InboundRequest): HttpApp | OutboundResponse => {
    if (!request.path.startsWith('/admin/')) return app;
    if (adminAuthorised(request, adminTokenHash)) return admin;
    return errorResponse(new InvalidApiKeyError('Missing or wrong admin token.'), 'openai', newRequestId());
  };
  const server = http.createServer({ noDelay: true, keepAliveTimeout: 65_000 }, createNodeHandler({
    maxRequestBodyBytes: settings.maxRequestBodyBytes,
    route,
    onError: (error) => options.logger.error('unhandled adapter error', { error: error instanceof Error ? error.message : String(error) }),
  }));
  // Streams may run for many minutes; only the request head has to arrive promptly.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    app,
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await app.drain();
    },
  };
}
