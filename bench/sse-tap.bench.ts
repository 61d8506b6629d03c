/**
 * Throughput of the OpenAI chat SSE tap against a bare pass-through, on a realistic 500-chunk stream.
 *
 *   npx tsx bench/sse-tap.bench.ts [rounds=7] [streamsPerRound=300]
 *
 * Modes, interleaved per round so drift hits all of them alike (medians reported):
 *  - bare:        an async generator that yields the upstream chunks unchanged (the floor);
 *  - decode-only: bytes → events with the SSE decoder, nothing written back;
 *  - tap:         tapOpenAiChatStream (decode, scan, re-encode, usage merge);
 *  - parse-all:   decode, JSON.parse every event to count text, re-encode — the design the tap
 *                 avoids, measured to show what its one regex scan per event saves.
 * Two chunkings: one event per network chunk (how a provider flushes) and 16 KiB chunks (coalesced).
 */
import { performance } from 'node:perf_hooks';
import { tapOpenAiChatStream } from '../lambda/providers/openai/chat-stream';
import { createSseDecoder } from '../lambda/sse/decoder';
import { encodeSseEvent } from '../lambda/sse/encoder';

const rounds = Number(process.argv[2] ?? 7);
const streamsPerRound = Number(process.argv[3] ?? 300);
const utf8 = new TextEncoder();

const WORDS = [' the', ' gateway', ' forwards', ' each', ' token', ' as', ' it', ' arrives', ',', ' and', ' counts', ' "quoted"', '\n', ' café', ' 世界', ' 👋'];

/** 500 events plus [DONE], shaped like gpt-4o-mini with stream_options.include_usage. */
function realisticEvents(): string[] {
  const head = '{"id":"chatcmpl-CgT3mA1bC2dE3fG4hI5jK6lM7nO","object":"chat.completion.chunk","created":1764230400,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_560af6e559","choices":';
  const events = [`data: ${head}[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`];
  for (let i = 0; i < 497; i++) {
    const word = JSON.stringify(WORDS[i % WORDS.length] ?? '');
    events.push(`data: ${head}[{"index":0,"delta":{"content":${word}},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`);
  }
  events.push(`data: ${head}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n`);
  events.push(`data: ${head}[],"usage":{"prompt_tokens":1337,"completion_tokens":497,"total_tokens":1834,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}\n\n`);
  events.push('data: [DONE]\n\n');
  return events;
}

const events = realisticEvents();
const streamBytes = utf8.encode(events.join(''));
const CHUNKINGS: Readonly<Record<string, readonly Uint8Array[]>> = {
  'event-per-chunk': events.map((e) => utf8.encode(e)),
  '16KiB-chunks': Array.from({ length: Math.ceil(streamBytes.length / 16384) }, (_, i) => streamBytes.subarray(i * 16384, (i + 1) * 16384)),
};

async function* upstream(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function* bare(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for await (const chunk of upstream(chunks)) yield chunk;
}

async function* decodeOnly(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  let count = 0;
  const decoder = createSseDecoder(() => { count++; });
  for await (const chunk of upstream(chunks)) decoder.push(chunk);
  decoder.end();
  if (count === 0) yield new Uint8Array(0);
}

/** The rejected design: every event JSON-parsed to read its delta. */
async function* parseAll(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  let pending = '';
  let chars = 0;
  const decoder = createSseDecoder((event) => {
    if (event.data !== '[DONE]') {
      const chunk = JSON.parse(event.data) as { choices?: { delta?: { content?: string } }[] };
      chars += chunk.choices?.[0]?.delta?.content?.length ?? 0;
    }
    pending += encodeSseEvent(event);
  });
  for await (const chunk of upstream(chunks)) {
    decoder.push(chunk);
    if (pending !== '') {
      yield Buffer.from(pending, 'utf8'); // as the tap does, so only JSON.parse vs scan differs
      pending = '';
    }
  }
  decoder.end();
  if (chars < 0) yield new Uint8Array(0);
}

function tap(chunks: readonly Uint8Array[]): AsyncIterable<Uint8Array> {
  return tapOpenAiChatStream(upstream(chunks), { stripUsageChunk: false, onUsage: () => ({ cost_usd: 0.00042 }), beforeDone: () => ': gatellm {"cost_usd":0.00042}\n\n' }).stream;
}

const MODES: Readonly<Record<string, (chunks: readonly Uint8Array[]) => AsyncIterable<Uint8Array>>> = { bare, 'decode-only': decodeOnly, tap, 'parse-all': parseAll };

async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let total = 0;
  for await (const chunk of stream) total += chunk.byteLength;
  return total;
}

async function timeRound(mode: (chunks: readonly Uint8Array[]) => AsyncIterable<Uint8Array>, chunks: readonly Uint8Array[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < streamsPerRound; i++) await drain(mode(chunks));
  return (performance.now() - start) / streamsPerRound; // ms per stream
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${events.length} events, ${(streamBytes.length / 1024).toFixed(1)} KiB per stream, ${rounds} rounds × ${streamsPerRound} streams`);
  for (const [chunking, chunks] of Object.entries(CHUNKINGS)) {
    for (const mode of Object.values(MODES)) await timeRound(mode, chunks); // warm-up
    const samples: Record<string, number[]> = {};
    for (let round = 0; round < rounds; round++) {
      for (const [name, mode] of Object.entries(MODES)) (samples[name] ??= []).push(await timeRound(mode, chunks));
    }
    console.log(`\n${chunking} (${chunks.length} network chunks)`);
    console.log('mode          µs/stream   µs/event   events/s      MB/s   vs bare');
    const bareMs = median(samples.bare ?? []);
    for (const [name, values] of Object.entries(samples)) {
      const ms = median(values);
      const row = [
        name.padEnd(12),
        (ms * 1000).toFixed(0).padStart(10),
        ((ms * 1000) / events.length).toFixed(2).padStart(10),
        (events.length / (ms / 1000)).toExponential(2).padStart(10),
        (streamBytes.length / 1e6 / (ms / 1000)).toFixed(0).padStart(9),
        `${(ms / bareMs).toFixed(2)}×`.padStart(9),
      ];
      console.log(row.join(' '));
    }
  }
}

void main();
