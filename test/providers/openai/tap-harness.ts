import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tapOpenAiChatStream, type ChatStreamStats, type ChatStreamTapOptions } from '../../../lambda/providers/openai/chat-stream';
import type { TokenUsage } from '../../../lambda/canonical/usage';

export const FIXTURES = ['plain', 'with-usage', 'tool-call', 'utf8'] as const;
export type FixtureName = (typeof FIXTURES)[number];

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export function fixtureBytes(name: FixtureName): Uint8Array {
  return new Uint8Array(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'openai', `${name}.sse`)));
}

export function bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

/** Cuts `input` at the given byte offsets (sorted, deduplicated, within range). */
export function splitAt(input: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(offsets)].filter((o) => o > 0 && o < input.length).sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const cut of cuts) {
    parts.push(input.subarray(start, cut));
    start = cut;
  }
  parts.push(input.subarray(start));
  return parts;
}

export async function* sourceOf(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

export interface TapRun {
  /** Everything the consumer received, concatenated and decoded. */
  readonly text: string;
  /** How many Uint8Array chunks the consumer received. */
  readonly writes: number;
  readonly stats: ChatStreamStats;
  readonly usages: readonly TokenUsage[];
}

export type HarnessOptions = Partial<ChatStreamTapOptions>;

/** Runs the tap over `chunks` to completion, recording what onUsage saw. */
export async function runTap(chunks: readonly Uint8Array[], options: HarnessOptions = {}): Promise<TapRun> {
  const usages: TokenUsage[] = [];
  const tap = tapOpenAiChatStream(sourceOf(chunks), {
    stripUsageChunk: false,
    ...options,
    onUsage: (usage) => {
      usages.push(usage);
      return options.onUsage?.(usage);
    },
  });
  const received: Uint8Array[] = [];
  for await (const chunk of tap.stream) received.push(chunk);
  return { text: fromUtf8.decode(Buffer.concat(received)), writes: received.length, stats: tap.stats(), usages };
}

/** The `data` of every `data:` line in `text` (the tap only ever writes single-line events here). */
export function dataPayloads(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice('data: '.length));
}

/** Reference output-text count, by parsing every chunk: what the tap's cheap scan must agree with. */
export function referenceOutputChars(sse: string): number {
  let total = 0;
  for (const data of dataPayloads(sse)) {
    if (data === '[DONE]') continue;
    const chunk = JSON.parse(data) as { choices?: { delta?: { content?: unknown; tool_calls?: { function?: { arguments?: unknown } }[] } }[] };
    for (const choice of chunk.choices ?? []) {
      const content = choice.delta?.content;
      if (typeof content === 'string') total += content.length;
      for (const call of choice.delta?.tool_calls ?? []) {
        const args = call.function?.arguments;
        if (typeof args === 'string') total += args.length;
      }
    }
  }
  return total;
}
