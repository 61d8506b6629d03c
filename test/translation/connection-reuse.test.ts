import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { PRICE, useHarness } from '../support/gateway-harness';

/**
 * A translated stream ends at the provider's terminal event (`[DONE]`, `response.completed`), before the
 * provider's response has formally ended. The rest must be drained, not cut off: cutting it off closes
 * the keep-alive connection, and the next call pays a new connection (toward a real provider, a TLS
 * handshake) before its first token.
 */
const harness = useHarness({
  config: (upstream) => parseGatewayConfig({
    providers: {
      compatible: { type: 'openai-compatible', baseUrl: upstream, apiKey: { env: 'X' } },
      openai: { type: 'openai', baseUrl: upstream, apiKey: { env: 'X' } },
    },
    models: {
      // The provider's terminal event comes 5 ms before the end of its response (a later packet).
      'compat-chat': { provider: 'compatible', model: 'slow-end-5', price: PRICE },
      'openai-responses': { provider: 'openai', model: 'slow-end-5', price: PRICE, api: 'responses' },
    },
  }),
});

const prompt = [{ role: 'user', content: 'Say hello.' }];
const BODIES = {
  '/messages': (model: string) => ({ model, max_tokens: 64, stream: true, messages: prompt }),
  '/chat/completions': (model: string) => ({ model, stream: true, messages: prompt }),
  '/responses': (model: string) => ({ model, stream: true, input: 'Say hello.' }),
};

describe('provider connections are kept for the next call', () => {
  it.each([
    ['Messages in, Chat Completions out (translated)', '/messages', 'compat-chat'],
    ['Messages in, Responses out (translated)', '/messages', 'openai-responses'],
    ['Responses in, Chat Completions out (translated)', '/responses', 'compat-chat'],
    ['Chat in, Chat Completions out (pass-through)', '/chat/completions', 'compat-chat'],
  ] as const)('%s', async (_, path, model) => {
    const h = harness();
    h.upstream.reset();
    for (let call = 0; call < 3; call += 1) {
      const response = await h.post(path, BODIES[path](model));
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Hello');
      // The caller's answer ends at the terminal event; the drain finishes when the provider's response
      // does, 5 ms later: only then is the connection free for the next call. The wait leaves a wide
      // margin for a busy machine.
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    // At most one new connection for three calls (none when an earlier test left one in the pool).
    expect(h.upstream.connections).toBeLessThanOrEqual(1);
  });
});
