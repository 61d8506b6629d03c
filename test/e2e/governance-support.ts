import type { GatewayConfig } from '../../lambda/config/gateway-config';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { silentLogger } from '../../lambda/logging/logger';
import { startLocalGateway, type LocalGateway } from '../../lambda/local/local-gateway';
import type { GatewayStores } from '../../lambda/stores/store';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import { ADMIN_TOKEN, UPSTREAM_KEY } from '../support/gateway-harness';

/**
 * Governance end to end: real HTTP into local gateways, the embedded DynamoDB-compatible store, a fake
 * OpenAI upstream. Prices make a budget's arithmetic exact: input is free, output costs $8 per million,
 * and the fake always reports 5 completion tokens, so a call with `max_tokens: 5` reserves and costs
 * exactly $0.00004.
 */
export const CALL_COST_USD = 0.00004;

export function governanceConfig(upstream: string, keyCacheSeconds = 1): GatewayConfig {
  const price = (output: number): Record<string, number> => ({ input: 0, cachedInput: 0, output });
  return parseGatewayConfig({
    providers: { fake: { type: 'openai', baseUrl: upstream, apiKey: { env: 'FAKE_OPENAI_KEY' } } },
    models: {
      'gpt-cheap': { provider: 'fake', model: 'fake-model', price: price(8) },
      'gpt-expensive': { provider: 'fake', model: 'fake-model', price: price(80) },
      'gpt-broken': { provider: 'fake', model: 'error-500', price: price(800) },
      'gpt-slow': { provider: 'fake', model: 'paced-200', price: price(8) },
      'other-model': { provider: 'fake', model: 'fake-model', price: price(8) },
    },
    aliases: { 'fallback-to-cheap': ['gpt-broken', 'gpt-cheap'] },
    settings: { keyCacheSeconds },
  });
}

export interface GatewayInstance {
  readonly gateway: LocalGateway;
  chat(key: string, model: string, options?: { stream?: boolean; maxTokens?: number }): Promise<Response>;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
}

export async function startInstance(stores: GatewayStores, config: GatewayConfig, now?: () => number): Promise<GatewayInstance> {
  const gateway = await startLocalGateway({
    config, stores, logger: silentLogger, adminToken: ADMIN_TOKEN, port: 0,
    secrets: async () => UPSTREAM_KEY, ...(now === undefined ? {} : { now }),
  });
  return {
    gateway,
    chat: (key, model, options = {}) => fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model, stream: options.stream ?? false, max_tokens: options.maxTokens ?? 5, messages: [{ role: 'user', content: 'hi' }],
      }),
    }),
    admin: (method, path, body) => fetch(`${gateway.url}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  };
}

export async function startUpstream(): Promise<FakeOpenAi> {
  return startFakeOpenAi({ apiKey: UPSTREAM_KEY });
}

/** An error body's `code`, in either API shape. */
export async function errorCode(response: Response): Promise<string | undefined> {
  const body = await response.json() as { error?: { code?: string } };
  return body.error?.code;
}
