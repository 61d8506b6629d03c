import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { createGatewayApp } from '../../lambda/api/gateway-app';
import { GATELLM_VERSION } from '../../lambda/api/version';
import { silentLogger } from '../../lambda/logging/logger';
import type { GatewayStores } from '../../lambda/stores/store';
import { useHarness } from '../support/gateway-harness';

const packageVersion = (JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;

describe('GET /health', () => {
  const harness = useHarness();

  it('answers 200 with status and version, without a key', async () => {
    const response = await fetch(`${harness().gateway.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(await response.json()).toEqual({ status: 'ok', version: packageVersion });
  });

  it('reports the version package.json declares', () => {
    expect(GATELLM_VERSION).toBe(packageVersion);
  });

  it('touches no store and no secret', async () => {
    const untouchable = new Proxy({}, { get: () => { throw new Error('a store was touched'); } });
    const names = ['keys', 'teams', 'users', 'usage', 'policies', 'counters', 'alerts', 'audit'] as const;
    const stores = Object.fromEntries(names.map((name) => [name, untouchable])) as unknown as GatewayStores;
    const app = createGatewayApp({
      config: parseGatewayConfig({ providers: { p: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } }, models: {} }),
      stores,
      secrets: () => Promise.reject(new Error('a secret was read')),
      logger: silentLogger,
    });
    const response = await app.handle({
      method: 'GET', path: '/health', query: new URLSearchParams(), headers: {}, body: new Uint8Array(), signal: new AbortController().signal, receivedAt: 0,
    });
    expect(response.status).toBe(200);
  });
});
