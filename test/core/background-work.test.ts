import { BackgroundWork } from '../../lambda/core/background-work';
import type { GatewayCall } from '../../lambda/core/types';
import { UsageSink } from '../../lambda/core/usage-sink';
import { UsageTracker } from '../../lambda/core/usage-tracker';
import type { UsageRecord } from '../../lambda/stores/store';
import { canonicalRequest } from '../support/canonical';
import { createMemoryStores } from '../support/memory-stores';

describe('BackgroundWork.defer', () => {
  it('runs the work after the current turn, and drain() waits for it', async () => {
    const background = new BackgroundWork(() => undefined);
    const order: string[] = [];
    background.defer(() => order.push('deferred'));
    await Promise.resolve();
    order.push('same turn');
    await background.drain();
    expect(order).toEqual(['same turn', 'deferred']);
  });

  it('hands a throwing work to the error handler instead of losing it', async () => {
    const errors: unknown[] = [];
    const background = new BackgroundWork((error) => errors.push(error));
    background.defer(() => {
      throw new Error('bookkeeping failed');
    });
    await background.drain();
    expect(errors).toEqual([new Error('bookkeeping failed')]);
  });
});

describe('a finished request', () => {
  it('has its record (and cost) at once, while logging, queueing and settling wait until the response is out', async () => {
    const background = new BackgroundWork(() => undefined);
    const stores = createMemoryStores();
    const logged: UsageRecord[] = [];
    const settled: UsageRecord[] = [];
    const call: GatewayCall = {
      requestId: 'req_deferred', format: 'openai-chat', apiFormat: 'openai', model: 'm', stream: false, body: {},
      canonical: canonicalRequest('m'), bodyBytes: 10, headers: {}, signal: new AbortController().signal, receivedAt: performance.now(),
    };
    const usage = new UsageTracker(call, { keyId: 'k', teamId: 't', models: [], teamModels: [] }, new Date(),
      new UsageSink(stores.usage, background, { maxDelayMs: 1 }), (record) => logged.push(record), (work) => background.defer(work));
    usage.whenFinished((record) => settled.push(record));
    const record = usage.finish({ httpStatus: 200, status: 'ok' });
    expect(record?.requestId).toBe('req_deferred');
    expect({ logged, settled }).toEqual({ logged: [], settled: [] });
    await background.drain();
    expect({ logged, settled }).toEqual({ logged: [record], settled: [record] });
  });
});
