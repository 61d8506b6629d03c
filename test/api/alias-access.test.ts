import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { PRICE, useHarness } from '../support/gateway-harness';
import { seedKey } from '../support/memory-stores';

/**
 * An alias is a name, not a permission: a key reaches a deployment only if it may use that model by
 * name, and /v1/models lists exactly what the key can reach.
 */
const harness = useHarness({
  config: (upstream) => parseGatewayConfig({
    providers: { fake: { type: 'openai', baseUrl: upstream, apiKey: { env: 'FAKE_OPENAI_KEY' } } },
    models: {
      'm-ok': { provider: 'fake', model: 'fake-ok', price: PRICE },
      'm-500': { provider: 'fake', model: 'error-500', price: PRICE },
      'm-expensive': { provider: 'fake', model: 'fake-expensive', price: PRICE },
    },
    aliases: {
      'cheap-default': ['m-500', 'm-expensive'],
      'cheap-mixed': ['m-500', 'm-expensive', 'm-ok'],
      'other-ok': ['m-ok'],
    },
  }),
});

const messages = [{ role: 'user', content: 'hi' }];
let key = '';

beforeAll(async () => {
  key = (await seedKey(harness().stores, { models: ['m-ok', 'cheap*'] })).key;
});

function chat(model: string): Promise<Response> {
  return harness().post('/chat/completions', { model, messages }, { authorization: `Bearer ${key}` });
}

const upstreamModels = (): unknown[] => harness().upstream.requests.map((request) => (request.body as { model?: unknown }).model);

describe('aliases and allow-lists', () => {
  it('refuses an allowed alias whose every target the key may not use by name (403), calling no provider', async () => {
    const response = await chat('cheap-default');
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'model_not_allowed', param: 'model' } });
    expect(upstreamModels()).toEqual([]);
  });

  it('serves an allowed alias only from the targets the key may use', async () => {
    const response = await chat('cheap-mixed');
    expect(response.status).toBe(200);
    expect(upstreamModels()).toEqual(['fake-ok']);
  });

  it('refuses an alias whose name the key may not use, even with an allowed target', async () => {
    expect((await chat('other-ok')).status).toBe(403);
    expect(upstreamModels()).toEqual([]);
  });

  it('still refuses a model the key may not use by name', async () => {
    expect((await chat('m-expensive')).status).toBe(403);
  });

  it('lists exactly what the key can reach', async () => {
    const response = await fetch(`${harness().baseUrl}/models`, { headers: { authorization: `Bearer ${key}` } });
    const body = await response.json() as { data: { id: string }[] };
    expect(body.data.map((model) => model.id).sort()).toEqual(['cheap-mixed', 'm-ok']);
    const hidden = await fetch(`${harness().baseUrl}/models/cheap-default`, { headers: { authorization: `Bearer ${key}` } });
    expect(hidden.status).toBe(404);
  });

  it('gives an unrestricted key every alias, tried in order', async () => {
    const response = await harness().post('/chat/completions', { model: 'cheap-default', messages });
    expect(response.status).toBe(200);
    expect(upstreamModels()).toEqual(['error-500', 'fake-expensive']);
  });
});
