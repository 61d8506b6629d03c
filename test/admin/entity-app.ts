import { createGatewayApp, type GatewayApp } from '../../lambda/api/gateway-app';
import { createRoutedApp } from '../../lambda/api/route-table';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { createAdminContext } from '../../lambda/admin/admin-context';
import { auditRoutes } from '../../lambda/admin/routes/audit';
import { keyRoutes } from '../../lambda/admin/routes/keys';
import { teamRoutes } from '../../lambda/admin/routes/teams';
import { userRoutes } from '../../lambda/admin/routes/users';
import { KeyAuthenticator } from '../../lambda/core/key-authenticator';
import type { HttpApp, InboundRequest } from '../../lambda/http/types';
import { isStreamBody } from '../../lambda/http/types';
import { silentLogger } from '../../lambda/logging/logger';
import type { GatewayStores } from '../../lambda/stores/store';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import { PRICE, UPSTREAM_KEY } from '../support/gateway-harness';
import { createMemoryStores } from '../support/memory-stores';

/**
 * The gateway and the entity routes of the admin API in one process, sharing one KeyAuthenticator
 * and one injected clock (what local mode does, but with time under the test's control), against
 * the fake OpenAI upstream on loopback.
 */
export interface EntityApp {
  readonly stores: GatewayStores;
  readonly upstream: FakeOpenAi;
  readonly gateway: GatewayApp;
  readonly admin: HttpApp;
  /** The clock of both apps and of the authenticator (epoch ms). */
  now: number;
  adminCall(method: string, path: string, body?: unknown, identity?: string): Promise<Answer>;
  chat(key: string, model: string): Promise<Answer>;
  models(key: string): Promise<string[]>;
  close(): Promise<void>;
}

export interface Answer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

export const T0 = Date.parse('2026-12-02T10:00:00.000Z');
export const ACTOR = 'arn:aws:iam::123456789012:user/ops-admin';
export const MODEL_NAMES = ['gpt-4o', 'gpt-4o-mini', 'gpt-3.5-turbo', 'claude-sonnet'] as const;

async function bodyText(body: string | Uint8Array | AsyncIterable<Uint8Array>): Promise<string> {
  if (typeof body === 'string') return body;
  if (!isStreamBody(body)) return Buffer.from(body).toString('utf8');
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function send(app: HttpApp, method: string, url: string, headers: Record<string, string>, body: unknown, identity?: string): Promise<Answer> {
  const [path = '', query = ''] = url.split('?');
  const request: InboundRequest = {
    method, path, query: new URLSearchParams(query), receivedAt: performance.now(), signal: new AbortController().signal,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(body)),
    ...(identity === undefined ? {} : { identity }),
  };
  const response = await app.handle(request);
  const text = await bodyText(response.body);
  return { status: response.status, json: text === '' ? {} : JSON.parse(text) as Record<string, unknown> };
}

export async function startEntityApp(): Promise<EntityApp> {
  const upstream = await startFakeOpenAi({ apiKey: UPSTREAM_KEY });
  const config = parseGatewayConfig({
    providers: { fake: { type: 'openai', baseUrl: upstream.baseUrl, apiKey: { env: 'FAKE_OPENAI_KEY' } } },
    models: Object.fromEntries(MODEL_NAMES.map((name) => [name, { provider: 'fake', model: 'fake-model', price: PRICE }])),
  });
  const stores = createMemoryStores();
  const clock = { now: T0 };
  const now = (): number => clock.now;
  const authenticator = new KeyAuthenticator(stores, 5000, now);
  const gateway = createGatewayApp({ config, stores, logger: silentLogger, authenticator, secrets: async () => UPSTREAM_KEY, now });
  const context = createAdminContext({ config, stores, logger: silentLogger, authenticator, now });
  const admin = createRoutedApp([teamRoutes, userRoutes, keyRoutes, auditRoutes].flatMap((module) => module(context)), { logger: silentLogger });
  const app: EntityApp = {
    stores, upstream, gateway, admin,
    get now() {
      return clock.now;
    },
    set now(value: number) {
      clock.now = value;
    },
    adminCall: (method, path, body, identity = ACTOR) => send(admin, method, `/admin/v1${path}`, {}, body, identity),
    chat: (key, model) => send(gateway, 'POST', '/v1/chat/completions', { authorization: `Bearer ${key}` }, { model, messages: [{ role: 'user', content: 'hi' }] }),
    async models(key) {
      const answer = await send(gateway, 'GET', '/v1/models', { authorization: `Bearer ${key}` }, undefined);
      return (answer.json.data as { id: string }[]).map((model) => model.id).sort();
    },
    async close() {
      await gateway.drain();
      await upstream.close();
    },
  };
  return app;
}

export const errorCode = (answer: Answer): unknown => (answer.json.error as { code?: unknown } | undefined)?.code;
export const errorParam = (answer: Answer): unknown => (answer.json.error as { param?: unknown } | undefined)?.param;
