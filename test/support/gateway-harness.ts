import type { GatewayConfig } from '../../lambda/config/gateway-config';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { type Logger, silentLogger } from '../../lambda/logging/logger';
import { startLocalGateway, type LocalGateway } from '../../lambda/local/local-gateway';
import type { SecretResolver } from '../../lambda/secrets/secret-resolver';
import type { GatewayStores } from '../../lambda/stores/store';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai';
import { createMemoryStores, seedKey, type MemoryStores } from './memory-stores';

export const ADMIN_TOKEN = 'test-admin-token';
export const PRICE = { input: 2, output: 8, cachedInput: 0.5 };

/** Public model names used by the integration tests; each maps to a fake-upstream scenario. */
export function testConfig(upstreamBaseUrl: string, extra: Partial<Record<'settings', GatewayConfig['settings']>> = {}): GatewayConfig {
  const model = (id: string, provider = 'fake'): Record<string, unknown> => ({ provider, model: id, price: PRICE });
  return parseGatewayConfig({
    providers: {
      fake: { type: 'openai', baseUrl: upstreamBaseUrl, apiKey: { env: 'FAKE_OPENAI_KEY' }, firstByteTimeoutMs: 1500, nonStreamingTimeoutMs: 1500, idleTimeoutMs: 1500 },
      compatible: { type: 'openai-compatible', baseUrl: upstreamBaseUrl, apiKey: { env: 'COMPATIBLE_KEY' }, supportsBase64Embeddings: false },
      unreachable: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' },
    },
    models: {
      'gpt-test': model('fake-model'),
      'gpt-paced': model('paced-40'),
      'gpt-429': model('error-429'),
      'gpt-500': model('error-500'),
      'gpt-400': model('error-400'),
      'gpt-401': model('error-401'),
      'gpt-hang': model('hang'),
      'gpt-hang-after-first': model('hang-after-first'),
      'gpt-drop': model('drop-mid-stream'),
      'gpt-down': model('fake-model', 'unreachable'),
      'embed-test': model('fake-embed'),
      'embed-compatible': model('no-base64', 'compatible'),
      'echo': model('echo'),
    },
    aliases: { 'gpt-fallback': ['gpt-500', 'gpt-down', 'gpt-test'] },
    ...extra,
  });
}

export interface Harness {
  readonly upstream: FakeOpenAi;
  readonly gateway: LocalGateway;
  readonly stores: GatewayStores;
  readonly key: string;
  readonly keyId: string;
  /** `${gateway.url}/v1` */
  readonly baseUrl: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export const UPSTREAM_KEY = 'sk-upstream-test';

export interface HarnessOptions {
  readonly stores?: GatewayStores;
  readonly config?: (upstream: string) => GatewayConfig;
  /** Provider keys by provider name. @default UPSTREAM_KEY for every provider but `unreachable` */
  readonly secrets?: SecretResolver;
  /** @default silentLogger */
  readonly logger?: Logger;
}

const defaultSecrets: SecretResolver = async (provider) => (provider === 'unreachable' ? undefined : UPSTREAM_KEY);

export async function startHarness(options: HarnessOptions = {}): Promise<Harness & { memory: MemoryStores | undefined }> {
  const upstream = await startFakeOpenAi({ apiKey: UPSTREAM_KEY });
  const memory = options.stores === undefined ? createMemoryStores() : undefined;
  const stores: GatewayStores = memory ?? (options.stores as GatewayStores);
  const config = (options.config ?? testConfig)(upstream.baseUrl);
  const gateway = await startLocalGateway({
    config, stores, logger: options.logger ?? silentLogger, adminToken: ADMIN_TOKEN, port: 0,
    secrets: options.secrets ?? defaultSecrets,
  });
  const { key, id } = await seedKey(stores);
  const baseUrl = `${gateway.url}/v1`;
  return {
    upstream, gateway, stores, memory, key, keyId: id, baseUrl,
    post: (path, body, headers = {}) => fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    async close() {
      await gateway.close();
      await upstream.close();
    },
  };
}

/** Waits until background usage writes are done, then returns all usage records (memory stores). */
export async function usageRecords(harness: Harness & { memory: MemoryStores | undefined }): Promise<MemoryStores['usageRecords']> {
  await harness.gateway.app.drain();
  if (harness.memory === undefined) throw new Error('usageRecords needs memory stores');
  return harness.memory.usageRecords;
}

export type MemoryHarness = Harness & { memory: MemoryStores | undefined };

/**
 * Registers jest hooks for one harness per test file: started before all tests, closed after them,
 * and before each test the usage of earlier tests is written and cleared, and the upstream log reset.
 * Returns a getter, since the harness exists only once `beforeAll` has run.
 */
export function useHarness(options: HarnessOptions = {}): () => MemoryHarness {
  let harness: MemoryHarness | undefined;
  const current = (): MemoryHarness => {
    if (harness === undefined) throw new Error('the harness starts in beforeAll');
    return harness;
  };
  beforeAll(async () => {
    harness = await startHarness(options);
  });
  afterAll(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    await current().gateway.app.drain();
    current().upstream.reset();
    current().memory?.usageRecords.splice(0);
  });
  return current;
}
