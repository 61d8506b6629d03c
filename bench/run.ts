/**
 * `npm run bench`: the gateway side by side with direct calls to the same fake upstream, in one run,
 * interleaved, several rounds. Writes BENCHMARKS.md. Loopback only; every loop is bounded.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { startFakeOpenAi } from '../test/support/fake-openai';
import { handlerBundleBytes } from './lib/bundle-size';
import { bareNodeStartMs, createBenchKey, startGatewayProcess } from './lib/gateway-process';
import { load, timedPost } from './lib/http-client';
import { startMinimalProxy } from './lib/minimal-proxy';
import { childPids, cpuMs, rssMiB } from './lib/proc';
import { governanceSection } from './governance';
import { piiScanSection } from './pii';
import { translationSection } from './translation';
import { usageRollupSection } from './usage-rollups';
import { fmt, median, percentile } from './lib/stats';

const ROUNDS = 5;
const JSON_PER_ROUND = 300;
const SSE_PER_ROUND = 100;
const PACED_PER_ROUND = 4;
const LOAD_REQUESTS = 4000;
const LOAD_CONCURRENCY = 16;
/** Requests per CPU batch; gateway and floor alternate batch by batch. */
const LOAD_BATCH = 500;
const STARTS = 5;
const UPSTREAM_KEY = 'sk-bench';

interface Pair { direct: number[]; gateway: number[] }

function pair(): Pair {
  return { direct: [], gateway: [] };
}

async function main(): Promise<void> {
  const node = process.execPath;
  // In-process scan speed first, before this run starts any process of its own: a store or gateway
  // just stopped can still be busy (LevelDB compaction, exit) on one of the two cores.
  const dataProtection = await piiScanSection();
  const upstream = await startFakeOpenAi({ apiKey: UPSTREAM_KEY });
  upstream.setRecording(false);
  const config = {
    providers: { fake: { type: 'openai', baseUrl: upstream.baseUrl, apiKey: { env: 'FAKE_KEY' } } },
    models: {
      'bench-json': { provider: 'fake', model: 'fake-model', price: { input: 1, output: 2 } },
      'bench-paced': { provider: 'fake', model: 'paced-20', price: { input: 1, output: 2 } },
    },
  };
  const port = 18_000 + Math.floor(Math.random() * 1000);

  const starts: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < STARTS; i += 1) {
    bare.push(await bareNodeStartMs(node));
    const probe = await startGatewayProcess(config, port, node);
    starts.push(probe.spawnToFirstResponseMs);
    await probe.stop();
  }

  const gateway = await startGatewayProcess(config, port, node);
  // The least a Node proxy can do, measured in the same run: what any Node gateway's latency and CPU are read against.
  const floor = await startMinimalProxy(node, upstream.baseUrl);
  const viaFloor = `${floor.url}/v1/chat/completions`;
  const { key } = await createBenchKey(gateway.url);
  const direct = { url: upstream.baseUrl, auth: { authorization: `Bearer ${UPSTREAM_KEY}` } };
  const viaGateway = { url: `${gateway.url}/v1`, auth: { authorization: `Bearer ${key}` } };
  const jsonBody = (model: string): string => JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello in five words.' }], max_tokens: 32 });
  const streamBody = (model: string): string => JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }], stream: true });

  // Warm-up: JIT, keep-alive sockets, the key cache.
  for (let i = 0; i < 300; i += 1) {
    await timedPost(`${direct.url}/chat/completions`, jsonBody('fake-model'), direct.auth);
    await timedPost(`${viaGateway.url}/chat/completions`, jsonBody('bench-json'), viaGateway.auth);
    await timedPost(viaFloor, jsonBody('fake-model'), direct.auth);
  }

  const json = pair();
  const floorJson: number[] = [];
  const ttft = pair();
  const paced = pair();
  const pacedFirst = pair();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let i = 0; i < JSON_PER_ROUND; i += 1) {
      json.direct.push((await timedPost(`${direct.url}/chat/completions`, jsonBody('fake-model'), direct.auth)).totalMs);
      json.gateway.push((await timedPost(`${viaGateway.url}/chat/completions`, jsonBody('bench-json'), viaGateway.auth)).totalMs);
      floorJson.push((await timedPost(viaFloor, jsonBody('fake-model'), direct.auth)).totalMs);
    }
    for (let i = 0; i < SSE_PER_ROUND; i += 1) {
      ttft.direct.push((await timedPost(`${direct.url}/chat/completions`, streamBody('fake-model'), direct.auth, '"content"')).firstMs);
      ttft.gateway.push((await timedPost(`${viaGateway.url}/chat/completions`, streamBody('bench-json'), viaGateway.auth, '"content"')).firstMs);
    }
    for (let i = 0; i < PACED_PER_ROUND; i += 1) {
      const d = await timedPost(`${direct.url}/chat/completions`, streamBody('paced-20'), direct.auth, '"content"');
      const g = await timedPost(`${viaGateway.url}/chat/completions`, streamBody('bench-paced'), viaGateway.auth, '"content"');
      paced.direct.push(d.totalMs);
      paced.gateway.push(g.totalMs);
      pacedFirst.direct.push(d.firstMs);
      pacedFirst.gateway.push(g.firstMs);
    }
  }

  const pid = gateway.child.pid ?? 0;
  // The embedded store runs in a child process of the gateway (as DynamoDB is a separate service on AWS).
  const storePid = childPids(pid)[0] ?? 0;
  const idleRss = rssMiB(pid);
  const storeRss = rssMiB(storePid);
  // Gateway and floor in alternating batches, so a busy moment of the shared machine weighs on both alike.
  const cpuBatches: { gateway: number[]; floor: number[] } = { gateway: [], floor: [] };
  let loadMs = 0;
  const storeCpuBefore = cpuMs(storePid);
  for (let batch = 0; batch < LOAD_REQUESTS / LOAD_BATCH; batch += 1) {
    const gatewayBefore = cpuMs(pid);
    loadMs += await load(LOAD_BATCH, LOAD_CONCURRENCY, () => timedPost(`${viaGateway.url}/chat/completions`, jsonBody('bench-json'), viaGateway.auth));
    cpuBatches.gateway.push((cpuMs(pid) - gatewayBefore) / LOAD_BATCH);
    const floorBefore = cpuMs(floor.pid);
    await load(LOAD_BATCH, LOAD_CONCURRENCY, () => timedPost(viaFloor, jsonBody('fake-model'), direct.auth));
    cpuBatches.floor.push((cpuMs(floor.pid) - floorBefore) / LOAD_BATCH);
  }
  const cpuPerRequest = median(cpuBatches.gateway);
  const floorCpuPerRequest = median(cpuBatches.floor);
  const storeCpuPerRequest = (cpuMs(storePid) - storeCpuBefore) / LOAD_REQUESTS;
  const loadedRss = rssMiB(pid);
  const governance = await governanceSection(gateway.url, direct.url, direct.auth, pid);
  await gateway.stop();
  await floor.stop();
  await upstream.close();

  const translation = await translationSection(node);
  const usageReports = await usageRollupSection();
  const gatewayBundle = await handlerBundleBytes('lambda/handlers/gateway.ts');
  const adminBundle = await handlerBundleBytes('lambda/handlers/admin.ts');

  const row = (label: string, values: Pair, p: number): string =>
    `| ${label} | ${fmt(percentile(values.direct, p))} | ${fmt(percentile(values.gateway, p))} | ${fmt(percentile(values.gateway, p) - percentile(values.direct, p))} |`;
  const jsonRow = (p: number): string =>
    `${row(`p${p}`, json, p)} ${fmt(percentile(floorJson, p))} | ${fmt(percentile(floorJson, p) - percentile(json.direct, p))} |`;
  const kib = (bytes: number | undefined): string => (bytes === undefined ? 'n/a' : `${(bytes / 1024).toFixed(1)} KiB`);
  const report = `# Benchmarks

Produced by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.
The gateway is the built local server (\`dist/local/gatellm.mjs\`, what \`npm start\` runs) in its own process with governance on
(key authentication, model authorization, data protection with the default rules, routing, metering with a usage record per request written to the embedded store).
Direct and gateway calls go to the same fake OpenAI upstream on 127.0.0.1, interleaved one by one, ${ROUNDS} rounds. Times in ms.
The machine is shared and noisy: read the differences and ratios, not the absolute numbers.

## Added latency, non-streaming chat completion (${ROUNDS * JSON_PER_ROUND} requests each)
The last two columns are the floor: a minimal node:http proxy (bench/lib/minimal-proxy-server.mjs: read, forward, parse,
answer; nothing else) in its own process, called in the same rounds. Its added time is the extra loopback hop and process
switch that any proxy costs on this machine; the gateway's own work is the difference between the two added columns.

| percentile | direct | gateway | added | minimal proxy | added by the minimal proxy |
|---|---|---|---|---|---|
${jsonRow(50)}
${jsonRow(90)}
${jsonRow(99)}

## Time to first token, streaming chat completion (${ROUNDS * SSE_PER_ROUND} streams each)
| percentile | direct | gateway | added |
|---|---|---|---|
${row('p50', ttft, 50)}
${row('p99', ttft, 99)}

## Paced stream (5 chunks, 20 ms apart; ${ROUNDS * PACED_PER_ROUND} streams each)
| measure | direct | gateway | added |
|---|---|---|---|
${row('first content chunk, p50', pacedFirst, 50)}
${row('whole stream, p50', paced, 50)}

## Throughput and CPU (gateway process, ${LOAD_REQUESTS} JSON requests, concurrency ${LOAD_CONCURRENCY}; CPU: median of ${LOAD_REQUESTS / LOAD_BATCH} batches of ${LOAD_BATCH}, gateway and floor alternating)
| measure | value |
|---|---|
| requests per second (client, fake upstream and gateway share 2 cores) | ${fmt(LOAD_REQUESTS / (loadMs / 1000), 0)} |
| gateway process CPU per request | ${fmt(cpuPerRequest)} ms |
| the floor: a minimal node:http proxy (bench/lib/minimal-proxy-server.mjs: read, forward, parse, answer; nothing else), same load | ${fmt(floorCpuPerRequest)} ms |
| gateway CPU above that floor | ${fmt(cpuPerRequest - floorCpuPerRequest)} ms |
| embedded store process CPU per request (writing the usage record; on AWS this is DynamoDB's) | ${fmt(storeCpuPerRequest)} ms |
| gateway RSS idle (after warm-up) | ${fmt(idleRss, 1)} MiB |
| gateway RSS after load | ${fmt(loadedRss, 1)} MiB |
| embedded store process RSS (idle) | ${fmt(storeRss, 1)} MiB |

## Start-up (median of ${STARTS})
| measure | ms |
|---|---|
| \`node -e 0\` spawn to exit | ${fmt(median(bare), 1)} |
| local gateway spawn to first HTTP response | ${fmt(median(starts), 1)} |
| difference | ${fmt(median(starts) - median(bare), 1)} |

## Against the targets (research/performance.md)
| target | measured | met |
|---|---|---|
| added latency p50 ≤ 0.5 ms (JSON) | ${fmt(percentile(json.gateway, 50) - percentile(json.direct, 50))} ms | ${percentile(json.gateway, 50) - percentile(json.direct, 50) <= 0.5 ? 'yes' : 'no'} |
| added latency p99 ≤ 2 ms (JSON) | ${fmt(percentile(json.gateway, 99) - percentile(json.direct, 99))} ms | ${percentile(json.gateway, 99) - percentile(json.direct, 99) <= 2 ? 'yes' : 'no'} |
| added time to first token ≤ 1 ms (p50) | ${fmt(percentile(ttft.gateway, 50) - percentile(ttft.direct, 50))} ms | ${percentile(ttft.gateway, 50) - percentile(ttft.direct, 50) <= 1 ? 'yes' : 'no'} |
| paced stream total within 1 ms of direct (p50) | ${fmt(median(paced.gateway) - median(paced.direct))} ms | ${median(paced.gateway) - median(paced.direct) <= 1 ? 'yes' : 'no'} |
| gateway CPU per request ≤ 0.3 ms | ${fmt(cpuPerRequest)} ms | ${cpuPerRequest <= 0.3 ? 'yes' : 'no'} |
| idle RSS ≤ 70 MB | ${fmt(idleRss, 1)} MiB | ${idleRss <= 70 ? 'yes' : 'no'} |
| spawn to first response within 100 ms of \`node -e 0\` | ${fmt(median(starts) - median(bare), 1)} ms | ${median(starts) - median(bare) <= 100 ? 'yes' : 'no'} |
| Lambda bundle ≤ 300 KB | ${kib(gatewayBundle)} | ${(gatewayBundle ?? Infinity) <= 300 * 1000 ? 'yes' : 'no'} |

${governance}${translation}${usageReports}${dataProtection}
## Lambda bundles (esbuild, minified, cjs, node24 — as the CDK construct bundles them)
| handler | size |
|---|---|
| lambda/handlers/gateway.ts | ${kib(gatewayBundle)} |
| lambda/handlers/admin.ts | ${kib(adminBundle)} |
`;
  writeFileSync('BENCHMARKS.md', report);
  process.stdout.write(report);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
