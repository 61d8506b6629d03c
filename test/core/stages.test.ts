import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { Gateway } from '../../lambda/core/gateway';
import type { Admission, Stage, StageInput, StageSettlement } from '../../lambda/core/stage';
import type { GatewayCall, Principal } from '../../lambda/core/types';
import { BudgetExceededError, UpstreamError } from '../../lambda/errors/gateway-error';
import { isStreamBody, type OutboundResponse } from '../../lambda/http/types';
import { silentLogger } from '../../lambda/logging/logger';
import type { ProviderAdapter, ProviderRequest } from '../../lambda/providers/provider';
import { canonicalRequest } from '../support/canonical';
import { createMemoryStores } from '../support/memory-stores';

/**
 * The stage pipeline's contract (issue 7, item 1): stages see the call before any provider does, a
 * refusal reaches no provider, and every admitted stage settles exactly once, whatever the ending.
 */
const config = parseGatewayConfig({
  providers: { fake: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } },
  models: {
    answer: { provider: 'fake', model: 'answer', price: { input: 1, output: 1 } },
    stream: { provider: 'fake', model: 'stream', price: { input: 1, output: 1 } },
    broken: { provider: 'fake', model: 'broken', price: { input: 1, output: 1 } },
  },
});
const principal: Principal = { keyId: 'key_1', teamId: 'team_1', models: [], teamModels: [] };
const USAGE = { inputTokens: 3, outputTokens: 4, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

function call(model: string, signal = new AbortController().signal, body: Record<string, unknown> = {}): GatewayCall {
  return {
    requestId: `req_${model}`, format: 'openai-chat', apiFormat: 'openai', model, stream: model === 'stream',
    body: { model, messages: [{ role: 'user', content: 'hi' }], ...body }, canonical: canonicalRequest(model),
    outputLimitField: 'max_completion_tokens', bodyBytes: 60, headers: {}, signal, receivedAt: performance.now(),
  };
}

/** A provider that records what it was asked and answers by model name. */
function provider(): { adapter: ProviderAdapter; requests: ProviderRequest[] } {
  const requests: ProviderRequest[] = [];
  const adapter: ProviderAdapter = {
    serves: () => true,
    isNative: () => true,
    async call(deployment, request, _credentials, hooks) {
      requests.push(request);
      if (deployment.modelName === 'broken') throw new UpstreamError('provider down');
      if (deployment.modelName === 'answer') return { kind: 'json', status: 200, headers: {}, body: '{}', usage: USAGE };
      async function* chunks(): AsyncGenerator<Uint8Array> {
        yield new TextEncoder().encode('data: {}\n\n');
        hooks.onUsage(USAGE);
        yield new TextEncoder().encode('data: [DONE]\n\n');
      }
      return { kind: 'stream', status: 200, headers: {}, stream: chunks(), outputChars: () => 10 };
    },
  };
  return { adapter, requests };
}

interface Recorder extends Stage {
  readonly seen: StageInput[];
  readonly settlements: StageSettlement[];
}

function recorder(name: string, admission: Partial<Admission> = {}, refuse?: Error): Recorder {
  const seen: StageInput[] = [];
  const settlements: StageSettlement[] = [];
  return {
    name, seen, settlements,
    async admit(input) {
      seen.push(input);
      if (refuse !== undefined) throw refuse;
      return { ...admission, settle: async (settlement) => { settlements.push(settlement); } };
    },
  };
}

function gatewayWith(stages: Stage[]): { gateway: Gateway; requests: ProviderRequest[] } {
  const { adapter, requests } = provider();
  const gateway = new Gateway({
    config, stores: createMemoryStores(), secrets: async () => 'sk', logger: silentLogger,
    providers: new Map([['openai', adapter]]), stages, now: () => Date.parse('2026-12-02T10:00:00Z'),
  });
  return { gateway, requests };
}

async function consume(response: OutboundResponse): Promise<void> {
  if (isStreamBody(response.body)) for await (const _chunk of response.body) { /* read to the end */ }
}

describe('stages', () => {
  it('admits before the provider call, sees the deployments and the clock, and settles once with the record after a JSON answer', async () => {
    const stage = recorder('budget', { headers: { 'x-ratelimit-limit-requests': '60' } });
    const { gateway } = gatewayWith([stage]);
    const response = await gateway.execute(call('answer'), principal);
    await gateway.drain();
    expect(response.headers['x-ratelimit-limit-requests']).toBe('60');
    expect(stage.seen[0]?.deployments.map((deployment) => deployment.modelName)).toEqual(['answer']);
    expect(stage.seen[0]?.nowMs).toBe(Date.parse('2026-12-02T10:00:00Z'));
    expect(stage.settlements).toHaveLength(1);
    expect(stage.settlements[0]?.record.status).toBe('ok');
    expect(stage.settlements[0]?.record.costUsd).toBeCloseTo(7e-6, 12);
    expect(stage.settlements[0]?.deployment?.modelName).toBe('answer');
  });

  it('settles a stream only once it has ended, with the usage it reported', async () => {
    const stage = recorder('budget');
    const { gateway } = gatewayWith([stage]);
    const response = await gateway.execute(call('stream'), principal);
    await gateway.drain();
    expect(stage.settlements).toHaveLength(0);
    await consume(response);
    await gateway.drain();
    expect(stage.settlements).toHaveLength(1);
    expect(stage.settlements[0]?.record.outputTokens).toBe(4);
  });

  it('settles when the provider fails, with no serving deployment and no cost', async () => {
    const stage = recorder('budget');
    const { gateway } = gatewayWith([stage]);
    await expect(gateway.execute(call('broken'), principal)).rejects.toThrow('provider down');
    await gateway.drain();
    expect(stage.settlements).toHaveLength(1);
    expect(stage.settlements[0]?.deployment).toBeUndefined();
    expect(stage.settlements[0]?.record.costUsd).toBe(0);
  });

  it('settles when the client leaves mid-stream', async () => {
    const stage = recorder('budget');
    const { gateway } = gatewayWith([stage]);
    const controller = new AbortController();
    const response = await gateway.execute(call('stream', controller.signal), principal);
    if (!isStreamBody(response.body)) throw new Error('expected a stream');
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await iterator.return?.();
    await gateway.drain();
    expect(stage.settlements).toHaveLength(1);
    expect(stage.settlements[0]?.record.status).toBe('client_aborted');
  });

  it('reaches no provider when a stage refuses, and settles the stages that admitted', async () => {
    const admitted = recorder('rate-limit');
    const refusing = recorder('budget', {}, new BudgetExceededError('no room'));
    const { gateway, requests } = gatewayWith([admitted, refusing]);
    await expect(gateway.execute(call('answer'), principal)).rejects.toMatchObject({ status: 429, code: 'budget_exceeded' });
    await gateway.drain();
    expect(requests).toHaveLength(0);
    expect(admitted.settlements).toHaveLength(1);
    expect(admitted.settlements[0]?.record.errorCode).toBe('budget_exceeded');
    expect(refusing.settlements).toHaveLength(0);
  });

  it('admits every stage in one concurrent round', async () => {
    let inside = 0;
    let most = 0;
    const slow = (name: string): Stage => ({
      name,
      async admit() {
        inside += 1;
        most = Math.max(most, inside);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inside -= 1;
        return {};
      },
    });
    const { gateway } = gatewayWith([slow('a'), slow('b'), slow('c')]);
    await gateway.execute(call('answer'), principal);
    expect(most).toBe(3);
  });

  it('sets the admitted output cap on the provider request only when the caller set none', async () => {
    const { gateway, requests } = gatewayWith([recorder('budget', { outputTokenCap: 512 }), recorder('other', { outputTokenCap: 1024 })]);
    await gateway.execute(call('answer'), principal);
    expect(requests[0]?.body.max_completion_tokens).toBe(512);
    expect(requests[0]?.canonical.maxTokens).toBe(512);
    const withOwn = call('answer', undefined, { max_tokens: 50 });
    await gateway.execute({ ...withOwn, canonical: { ...withOwn.canonical, maxTokens: 50 } }, principal);
    expect(requests[1]?.body.max_completion_tokens).toBeUndefined();
    expect(requests[1]?.body.max_tokens).toBe(50);
  });
});
