import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { Gateway } from '../../lambda/core/gateway';
import type { GatewayCall, Principal } from '../../lambda/core/types';
import { UpstreamError } from '../../lambda/errors/gateway-error';
import { silentLogger } from '../../lambda/logging/logger';
import type { ProviderAdapter } from '../../lambda/providers/provider';
import { createMemoryStores } from '../support/memory-stores';
import { canonicalRequest } from '../support/canonical';

/**
 * Fallbacks exist for the client's sake: once it has left, a failing first deployment must not lead to a
 * call (and a bill) at the next one. A fake provider counts the deployments it is asked to serve.
 */
const config = parseGatewayConfig({
  providers: { fake: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } },
  models: {
    first: { provider: 'fake', model: 'first', price: { input: 1, output: 1 } },
    second: { provider: 'fake', model: 'second', price: { input: 1, output: 1 } },
  },
  aliases: { chain: ['first', 'second'] },
});

const principal: Principal = { keyId: 'key_1', teamId: 'team_1', models: [], teamModels: [] };

function chatCall(signal: AbortSignal): GatewayCall {
  return {
    requestId: 'req_test', format: 'openai-chat', apiFormat: 'openai', model: 'chain', stream: false,
    body: { model: 'chain', messages: [{ role: 'user', content: 'hi' }] }, canonical: canonicalRequest('chain'), bodyBytes: 60, headers: {}, signal, receivedAt: performance.now(),
  };
}

/** `first` fails with a 502 when the test says so; `second` answers. */
function countingProvider(): { adapter: ProviderAdapter; calls: string[]; firstCalled: Promise<void>; failFirst: () => void } {
  const calls: string[] = [];
  let markCalled = (): void => {};
  let failFirst = (): void => {};
  const firstCalled = new Promise<void>((resolve) => {
    markCalled = resolve;
  });
  const firstFails = new Promise<void>((resolve) => {
    failFirst = resolve;
  });
  const adapter: ProviderAdapter = {
    serves: (_deployment, format) => format === 'openai-chat',
    isNative: (_deployment, format) => format === 'openai-chat',
    async call(deployment) {
      calls.push(deployment.modelName);
      if (deployment.modelName === 'first') {
        markCalled();
        await firstFails;
        throw new UpstreamError('provider 503');
      }
      return { kind: 'json', status: 200, headers: {}, body: '{}', usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } };
    },
  };
  return { adapter, calls, firstCalled, failFirst: () => failFirst() };
}

function gatewayWith(adapter: ProviderAdapter): { gateway: Gateway; stores: ReturnType<typeof createMemoryStores> } {
  const stores = createMemoryStores();
  const gateway = new Gateway({ config, stores, secrets: async () => undefined, logger: silentLogger, providers: new Map([['openai', adapter]]) });
  return { gateway, stores };
}

describe('alias fallback', () => {
  it('falls back to the next deployment while the client waits', async () => {
    const provider = countingProvider();
    const { gateway } = gatewayWith(provider.adapter);
    provider.failFirst();
    const response = await gateway.execute(chatCall(new AbortController().signal), principal);
    expect(response.status).toBe(200);
    expect(provider.calls).toEqual(['first', 'second']);
  });

  it('does not call the next deployment when the first fails after the client left', async () => {
    const provider = countingProvider();
    const { gateway, stores } = gatewayWith(provider.adapter);
    const client = new AbortController();
    const pending = gateway.execute(chatCall(client.signal), principal);
    await provider.firstCalled;
    client.abort();
    provider.failFirst();
    await expect(pending).rejects.toMatchObject({ status: 502 });
    expect(provider.calls).toEqual(['first']);
    await gateway.drain();
    expect(stores.usageRecords).toEqual([expect.objectContaining({ status: 'client_aborted', costUsd: 0 })]);
  });
});
