import { BackgroundWork } from '../../lambda/core/background-work';
import { UsageSink } from '../../lambda/core/usage-sink';
import type { UsageRecord } from '../../lambda/stores/store';
import { createMemoryStores } from '../support/memory-stores';

function record(index: number): UsageRecord {
  return {
    requestId: `req_${index}`, time: new Date().toISOString(), keyId: 'k', teamId: 't', requestedModel: 'm', operation: 'openai-chat',
    inputTokens: 1, outputTokens: 1, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, usageEstimated: false, costUsd: 0, latencyMs: 1,
    httpStatus: 200, status: 'ok', streamed: false,
  };
}

function setup(maxDelayMs = 1000): { sink: UsageSink; background: BackgroundWork; batches: number[]; stores: ReturnType<typeof createMemoryStores> } {
  const stores = createMemoryStores();
  const batches: number[] = [];
  const putUsages = stores.usage.putUsages.bind(stores.usage);
  stores.usage.putUsages = async (records) => {
    batches.push(records.length);
    await putUsages(records);
  };
  const background = new BackgroundWork(() => undefined);
  return { sink: new UsageSink(stores.usage, background, { maxBatch: 25, maxDelayMs }), background, batches, stores };
}

describe('UsageSink', () => {
  it('writes full batches of 25 at once', async () => {
    const { sink, background, batches, stores } = setup();
    for (let i = 0; i < 60; i += 1) sink.write(record(i));
    await background.drain();
    expect(batches).toEqual([25, 25]);
    sink.flush();
    await background.drain();
    expect(batches).toEqual([25, 25, 10]);
    expect(stores.usageRecords.map((r) => r.requestId)).toEqual(Array.from({ length: 60 }, (_, i) => `req_${i}`));
  });

  it('writes a partial batch after the delay', async () => {
    const { sink, background, batches } = setup(10);
    sink.write(record(1));
    expect(batches).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await background.drain();
    expect(batches).toEqual([1]);
  });

  it('reports a failed write to the error handler instead of throwing', async () => {
    const stores = createMemoryStores();
    stores.usage.putUsages = () => Promise.reject(new Error('store down'));
    const errors: unknown[] = [];
    const background = new BackgroundWork((error) => errors.push(error));
    const sink = new UsageSink(stores.usage, background);
    sink.write(record(1));
    sink.flush();
    await background.drain();
    expect(errors).toHaveLength(1);
  });
});
