import type { GatewayConfig, ModelConfig } from '../../lambda/config/gateway-config';
import type { CanonicalRequest } from '../../lambda/canonical/request';
import type { Admission, StageInput, StageSettlement } from '../../lambda/core/stage';
import type { GatewayCall, Principal } from '../../lambda/core/types';
import type { Deployment } from '../../lambda/providers/provider';
import type { UsageRecord } from '../../lambda/stores/store';
import { canonicalRequest } from '../support/canonical';

/** Prices in USD per million tokens: 1 input token of `cheap` costs 1,000 nano-USD. */
export const MODELS: Readonly<Record<string, ModelConfig>> = {
  cheap: { provider: 'p', model: 'cheap-1', price: { input: 1, output: 2 }, maxOutputTokens: 100 },
  dear: { provider: 'p', model: 'dear-1', price: { input: 10, output: 20, cacheWrite: 12.5, cachedInput: 1 }, maxOutputTokens: 200 },
  'gpt-4o': { provider: 'p', model: 'gpt-4o', price: { input: 1, output: 2 }, maxOutputTokens: 100 },
};

export const config: GatewayConfig = {
  providers: { p: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } },
  models: MODELS,
  aliases: { smart: ['dear', 'cheap'] },
  settings: { defaultMaxOutputTokens: 1000, keyCacheSeconds: 5 },
};

export function deployment(name: string): Deployment {
  const model = MODELS[name];
  const provider = config.providers.p;
  if (model === undefined || provider === undefined) throw new Error(`no model ${name}`);
  return { modelName: name, model, providerName: 'p', provider };
}

export const principal: Principal = { keyId: 'key_1', teamId: 'team_1', user: 'user_1', models: [], teamModels: [] };

export interface InputOptions {
  readonly model?: string;
  readonly deployments?: readonly string[];
  readonly bodyBytes?: number;
  readonly nowMs?: number;
  readonly canonical?: Partial<CanonicalRequest>;
  readonly principal?: Principal;
}

export const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);

export function stageInput(options: InputOptions = {}): StageInput {
  const model = options.model ?? 'cheap';
  const call: GatewayCall = {
    requestId: `req_${Math.random()}`, format: 'openai-chat', apiFormat: 'openai', model, stream: false, body: {}, outputLimitField: 'max_completion_tokens',
    canonical: canonicalRequest(model, options.canonical), bodyBytes: options.bodyBytes ?? 100, headers: {},
    signal: new AbortController().signal, receivedAt: performance.now(),
  };
  return { call, principal: options.principal ?? principal, deployments: (options.deployments ?? [model]).map(deployment), nowMs: options.nowMs ?? NOW, annotate: () => undefined };
}

export function settlement(costUsd: number, servedBy?: string, tokens: { input?: number; output?: number } = {}): StageSettlement {
  const record: UsageRecord = {
    requestId: 'req', time: new Date(NOW).toISOString(), keyId: principal.keyId, teamId: principal.teamId, requestedModel: servedBy ?? 'cheap',
    operation: 'chat', inputTokens: tokens.input ?? 0, outputTokens: tokens.output ?? 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
    usageEstimated: false, costUsd, latencyMs: 1, httpStatus: 200, status: 'ok', streamed: false,
  };
  return { record, ...(servedBy === undefined ? {} : { deployment: deployment(servedBy) }) };
}

/** Settles every admission as the core would once each request ended. */
export async function settleAll(admissions: readonly Admission[], how: StageSettlement): Promise<void> {
  await Promise.all(admissions.map((admission) => (admission.settle === undefined ? Promise.resolve() : admission.settle(how))));
}

/** The instance a request lands on: round robin over gateway instances. */
export function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
