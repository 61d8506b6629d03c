/**
 * Translation against pass-through, side by side in one gateway process: the same provider answered in
 * its own format (bytes only tapped) and in another inbound format (decode → typed events → encode).
 * Added time to first token and gateway CPU per streamed event. Loopback only; every loop is bounded.
 */
import { startFakeAnthropic } from '../test/support/fake-anthropic';
import { startFakeOpenAi } from '../test/support/fake-openai';
import { createBenchKey, startGatewayProcess } from './lib/gateway-process';
import { timedPost } from './lib/http-client';
import { cpuMs } from './lib/proc';
import { fmt, median, percentile } from './lib/stats';

const ROUNDS = 5;
const TTFT_PER_ROUND = 100;
const CPU_STREAMS = 200;
/** `big-64`: 64 content chunks of 1 KiB from the fake OpenAI-compatible provider. */
const BIG_EVENTS = 64;

interface Path {
  readonly label: string;
  readonly path: string;
  readonly body: (model: string) => string;
  /** Bytes that mark the first generated text in this format's stream. */
  readonly marker: string;
}

const CHAT: Omit<Path, 'label'> = {
  path: '/v1/chat/completions', marker: '"content":"H',
  body: (model) => JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Say hello.' }] }),
};
const MESSAGES: Omit<Path, 'label'> = {
  path: '/v1/messages', marker: 'text_delta',
  body: (model) => JSON.stringify({ model, stream: true, max_tokens: 64, messages: [{ role: 'user', content: 'Say hello.' }] }),
};

export async function translationSection(node: string): Promise<string> {
  const openai = await startFakeOpenAi({ apiKey: 'sk-bench' });
  const anthropic = await startFakeAnthropic({ apiKey: 'sk-bench' });
  openai.setRecording(false);
  const price = { input: 1, output: 2 };
  const config = {
    providers: {
      compat: { type: 'openai-compatible', baseUrl: openai.baseUrl, apiKey: { env: 'FAKE_KEY' } },
      claude: { type: 'anthropic', baseUrl: anthropic.baseUrl, apiKey: { env: 'FAKE_KEY' } },
    },
    models: {
      compat: { provider: 'compat', model: 'fake-model', price },
      'compat-big': { provider: 'compat', model: `big-${BIG_EVENTS}`, price },
      claude: { provider: 'claude', model: 'claude-fake', price },
    },
  };
  const gateway = await startGatewayProcess(config, 19_000 + Math.floor(Math.random() * 1000), node);
  const { key } = await createBenchKey(gateway.url);
  const auth = { authorization: `Bearer ${key}`, 'anthropic-version': '2023-06-01' };
  const first = async (path: Omit<Path, 'label'>, model: string): Promise<number> =>
    (await timedPost(`${gateway.url}${path.path}`, path.body(model), auth, path.marker)).firstMs;

  const pairs = {
    compat: { passThrough: [] as number[], translated: [] as number[] },
    claude: { passThrough: [] as number[], translated: [] as number[] },
  };
  for (let i = 0; i < 200; i += 1) {
    await first(CHAT, 'compat');
    await first(MESSAGES, 'compat');
    await first(MESSAGES, 'claude');
    await first(CHAT, 'claude');
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let i = 0; i < TTFT_PER_ROUND; i += 1) {
      pairs.compat.passThrough.push(await first(CHAT, 'compat'));
      pairs.compat.translated.push(await first(MESSAGES, 'compat'));
      pairs.claude.passThrough.push(await first(MESSAGES, 'claude'));
      pairs.claude.translated.push(await first(CHAT, 'claude'));
    }
  }

  const pid = gateway.child.pid ?? 0;
  const cpuPerStream = async (path: Omit<Path, 'label'>): Promise<number> => {
    const before = cpuMs(pid);
    for (let i = 0; i < CPU_STREAMS; i += 1) await first(path, 'compat-big');
    return (cpuMs(pid) - before) / CPU_STREAMS;
  };
  const cpu = { passThrough: [] as number[], translated: [] as number[] };
  for (let round = 0; round < 3; round += 1) {
    cpu.passThrough.push(await cpuPerStream(CHAT));
    cpu.translated.push(await cpuPerStream(MESSAGES));
  }
  await gateway.stop();
  await openai.close();
  await anthropic.close();

  const added = (pair: { passThrough: number[]; translated: number[] }, p: number): number => percentile(pair.translated, p) - percentile(pair.passThrough, p);
  const row = (label: string, pair: { passThrough: number[]; translated: number[] }, p: number): string =>
    `| ${label} | ${fmt(percentile(pair.passThrough, p))} | ${fmt(percentile(pair.translated, p))} | ${fmt(added(pair, p))} |`;
  const perEvent = (median(cpu.translated) - median(cpu.passThrough)) / BIG_EVENTS;
  const worst = Math.max(added(pairs.compat, 50), added(pairs.claude, 50));
  return `
## Translation against pass-through (${ROUNDS * TTFT_PER_ROUND} streams each, interleaved)
Time to the first generated text, ms. Pass-through: the caller speaks the provider's format and its bytes are only tapped.
Translated: provider SSE → typed events → the caller's format.
| path | pass-through | translated | added |
|---|---|---|---|
${row('OpenAI-compatible provider: Chat in (pass-through) vs Messages in (translated), p50', pairs.compat, 50)}
${row('same, p99', pairs.compat, 99)}
${row('Anthropic provider: Messages in (pass-through) vs Chat in (translated), p50', pairs.claude, 50)}
${row('same, p99', pairs.claude, 99)}

Gateway CPU per stream of ${BIG_EVENTS} content events (\`big-${BIG_EVENTS}\`, 1 KiB each; median of 3 × ${CPU_STREAMS} streams):
pass-through ${fmt(median(cpu.passThrough))} ms, translated (Messages in → OpenAI-compatible out) ${fmt(median(cpu.translated))} ms,
added ${fmt(perEvent * 1000, 1)} µs per event.

| target | measured | met |
|---|---|---|
| translation adds ≤ 0.2 ms to the first token (p50, worst path) | ${fmt(worst)} ms | ${worst <= 0.2 ? 'yes' : 'no'} |
`;
}
