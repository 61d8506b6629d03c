import { createGatewayApp } from '../../lambda/api/gateway-app';
import type { Stage } from '../../lambda/core/stage';
import { createGatewayHandler } from '../../lambda/handlers/gateway-handler';
import { silentLogger } from '../../lambda/logging/logger';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import { testConfig, UPSTREAM_KEY } from '../support/gateway-harness';
import { installLambdaRuntime, invokeStreaming, uninstallLambdaRuntime } from '../support/lambda-runtime';
import { createMemoryStores, seedKey } from '../support/memory-stores';
import { apiGatewayEvent } from './events';

/**
 * A Lambda sandbox is frozen the moment its invocation returns: a budget settled after that would stay
 * reserved until it expires. The handler returns only once every stage has settled (issue 7, item 1).
 */
let upstream: FakeOpenAi;

beforeAll(async () => {
  installLambdaRuntime();
  upstream = await startFakeOpenAi({ apiKey: UPSTREAM_KEY });
});
afterAll(async () => {
  uninstallLambdaRuntime();
  await upstream.close();
});

it('returns from a streamed invocation only after a slow settlement has finished', async () => {
  const events: string[] = [];
  const slowSettle: Stage = {
    name: 'slow',
    async admit() {
      return {
        settle: async () => {
          await new Promise((resolve) => setTimeout(resolve, 150));
          events.push('settled');
        },
      };
    },
  };
  const stores = createMemoryStores();
  const app = createGatewayApp({ config: testConfig(upstream.baseUrl), stores, secrets: async () => UPSTREAM_KEY, logger: silentLogger, stages: [slowSettle] });
  const handler = createGatewayHandler(app, { maxRequestBodyBytes: 1024 * 1024, logger: silentLogger, drain: () => app.drain() });
  const { key } = await seedKey(stores);
  const invocation = invokeStreaming(handler, apiGatewayEvent({
    headers: { authorization: [`Bearer ${key}`], 'content-type': ['application/json'] },
    body: JSON.stringify({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  }));
  await invocation.done;
  events.push('invocation returned');
  expect(invocation.bodyText).toContain('data: [DONE]');
  expect(events).toEqual(['settled', 'invocation returned']);
});
