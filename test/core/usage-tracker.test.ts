import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { BackgroundWork } from '../../lambda/core/background-work';
import type { GatewayCall } from '../../lambda/core/types';
import { UsageSink } from '../../lambda/core/usage-sink';
import { UsageTracker } from '../../lambda/core/usage-tracker';
import { MAX_RECORDED_TEXT } from '../../lambda/errors/caller-text';
import type { Deployment } from '../../lambda/providers/provider';
import type { UsageRecord } from '../../lambda/stores/store';
import { createMemoryStores } from '../support/memory-stores';
import { canonicalRequest } from '../support/canonical';

const config = parseGatewayConfig({
  providers: { p: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } },
  models: { m: { provider: 'p', model: 'm-1', price: { input: 1, output: 1 } } },
});
function onlyDeployment(): Deployment {
  const model = config.models.m;
  const provider = config.providers.p;
  if (model === undefined || provider === undefined) throw new Error('test config lost its model');
  return { modelName: 'm', model, providerName: 'p', provider };
}
const deployment = onlyDeployment();

function tracker(overrides: Partial<GatewayCall> = {}, user?: string): { usage: UsageTracker; logged: UsageRecord[] } {
  const logged: UsageRecord[] = [];
  const call: GatewayCall = {
    requestId: 'req_1', format: 'openai-chat', apiFormat: 'openai', model: 'm', stream: true, body: {}, canonical: canonicalRequest('m', { stream: true }), bodyBytes: 4000, headers: {},
    signal: new AbortController().signal, receivedAt: performance.now(), ...overrides,
  };
  const sink = new UsageSink(createMemoryStores().usage, new BackgroundWork(() => {}));
  const principal = { keyId: 'k', teamId: 't', models: [], teamModels: [], ...(user === undefined ? {} : { user }) };
  return { usage: new UsageTracker(call, principal, new Date(), sink, (record) => logged.push(record)), logged };
}

describe('UsageTracker', () => {
  it('records zero tokens and $0 for a deployment that never accepted the request', () => {
    const { usage } = tracker();
    usage.servedBy(deployment);
    const record = usage.finish({ httpStatus: 502, status: 'upstream_error', errorCode: 'upstream_error', outputChars: 400 });
    expect(record).toMatchObject({ inputTokens: 0, outputTokens: 0, costUsd: 0, usageEstimated: false, provider: 'p', errorCode: 'upstream_error' });
  });

  it('estimates a stream a provider accepted that ended without a usage report', () => {
    const { usage } = tracker();
    usage.servedBy(deployment);
    usage.accepted();
    const record = usage.finish({ httpStatus: 200, status: 'client_aborted', outputChars: 400 });
    expect(record).toMatchObject({ inputTokens: 1000, outputTokens: 100, usageEstimated: true });
    expect(record?.costUsd).toBeGreaterThan(0);
  });

  it('caps every caller-supplied string it copies into the record', () => {
    const { usage, logged } = tracker({ model: 'm'.repeat(500_000), headers: { 'user-agent': 'a'.repeat(100_000) } }, 'u'.repeat(50_000));
    const record = usage.finish({ httpStatus: 404, status: 'error', errorCode: 'model_not_found' });
    expect(record?.requestedModel.length).toBeLessThanOrEqual(MAX_RECORDED_TEXT);
    expect(record?.userAgent?.length).toBeLessThanOrEqual(MAX_RECORDED_TEXT);
    expect(record?.user?.length).toBeLessThanOrEqual(MAX_RECORDED_TEXT);
    expect(JSON.stringify(logged[0]).length).toBeLessThan(2000);
  });
});
