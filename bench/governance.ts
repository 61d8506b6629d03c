/**
 * Governance on versus off, in one gateway process, interleaved call by call: one key in a team with no
 * budgets or limits (the stages find nothing to do), one key whose team, user and key each carry a
 * budget and every rate limit (three budget reservations, requests, tokens and concurrency counters
 * per call, all in one parallel round of store calls, settled after the response).
 */
import { adminCall, createBenchKey } from './lib/gateway-process';
import { load, timedPost } from './lib/http-client';
import { cpuMs } from './lib/proc';
import { fmt, median, percentile } from './lib/stats';

const ROUNDS = 5;
const PER_ROUND = 200;
const LOAD_REQUESTS = 2000;
const LOAD_CONCURRENCY = 16;
/** Requests per CPU batch; off and on alternate batch by batch. */
const LOAD_BATCH = 500;

interface Series { direct: number[]; off: number[]; on: number[] }

async function governedKey(url: string): Promise<string> {
  const owner = await createBenchKey(url, 'governed');
  const generous = { limitUsd: 1_000_000, period: 'monthly' as const };
  for (const [scope, id] of [['team', owner.teamId], ['user', owner.userId], ['key', owner.keyId]] as const) {
    await adminCall(url, 'POST', '/budgets', { scope, id, ...generous });
    await adminCall(url, 'PUT', `/limits/${scope}/${id}`, { requestsPerMinute: 10_000_000, tokensPerMinute: 1_000_000_000, concurrentRequests: 10_000 });
  }
  return owner.key;
}

export async function governanceSection(gatewayUrl: string, directUrl: string, directAuth: Record<string, string>, gatewayPid: number): Promise<string> {
  const off = (await createBenchKey(gatewayUrl, 'ungoverned')).key;
  const on = await governedKey(gatewayUrl);
  const body = (model: string): string => JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello in five words.' }], max_tokens: 32 });
  const post = (key: string): Promise<{ status: number; totalMs: number }> =>
    timedPost(`${gatewayUrl}/v1/chat/completions`, body('bench-json'), { authorization: `Bearer ${key}` });
  for (let i = 0; i < 200; i += 1) {
    await post(off);
    const warm = await post(on);
    if (warm.status !== 200) throw new Error(`the governed key was refused: ${warm.status}`);
  }
  const series: Series = { direct: [], off: [], on: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let i = 0; i < PER_ROUND; i += 1) {
      series.direct.push((await timedPost(`${directUrl}/chat/completions`, body('fake-model'), directAuth)).totalMs);
      series.off.push((await post(off)).totalMs);
      series.on.push((await post(on)).totalMs);
    }
  }
  const cpuPerRequest = async (key: string): Promise<number> => {
    const before = cpuMs(gatewayPid);
    await load(LOAD_BATCH, LOAD_CONCURRENCY, () => post(key));
    return (cpuMs(gatewayPid) - before) / LOAD_BATCH;
  };
  // Alternating batches, so a busy moment of the shared machine weighs on both sides alike.
  const cpu: { off: number[]; on: number[] } = { off: [], on: [] };
  for (let batch = 0; batch < LOAD_REQUESTS / LOAD_BATCH; batch += 1) {
    cpu.off.push(await cpuPerRequest(off));
    cpu.on.push(await cpuPerRequest(on));
  }
  const cpuOff = median(cpu.off);
  const cpuOn = median(cpu.on);
  const added = (p: number): number => percentile(series.on, p) - percentile(series.direct, p);
  const row = (p: number): string =>
    `| p${p} | ${fmt(percentile(series.direct, p))} | ${fmt(percentile(series.off, p))} | ${fmt(percentile(series.on, p))} | ${fmt(percentile(series.on, p) - percentile(series.off, p))} | ${fmt(added(p))} |`;
  return `## Governance on versus off (${ROUNDS * PER_ROUND} JSON requests each, interleaved)
"On": the key's team, user and key each have a monthly budget and requests-per-minute, tokens-per-minute and
concurrency limits, so every call reserves 3 budgets and 9 counters in one parallel round against the
embedded store (a separate process, as DynamoDB is on AWS), and settles them after the response.
"Off": a key with no budgets or limits. Times in ms.

| percentile | direct | gateway, governance off | gateway, governance on | on − off | on − direct |
|---|---|---|---|---|---|
${row(50)}
${row(90)}
${row(99)}

| measure | off | on |
|---|---|---|
| gateway process CPU per request (median of ${LOAD_REQUESTS / LOAD_BATCH} alternating batches of ${LOAD_BATCH}, concurrency ${LOAD_CONCURRENCY}) | ${fmt(cpuOff)} ms | ${fmt(cpuOn)} ms |

| target (issue 7) | measured | met |
|---|---|---|
| governance on: added latency p50 ≤ 0.5 ms | ${fmt(added(50))} ms | ${added(50) <= 0.5 ? 'yes' : 'no'} |
| governance on: added latency p99 ≤ 2 ms | ${fmt(added(99))} ms | ${added(99) <= 2 ? 'yes' : 'no'} |
| governance on: gateway CPU ≤ 0.3 ms per request | ${fmt(cpuOn)} ms | ${cpuOn <= 0.3 ? 'yes' : 'no'} |

`;
}
