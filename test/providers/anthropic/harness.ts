import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StreamEvent } from '../../../lambda/canonical/events';
import { decodeMessagesStream } from '../../../lambda/providers/anthropic/stream-decoder';

export { splitAt } from '../openai/tap-harness';

export const ANTHROPIC_FIXTURES = ['text', 'tool-use', 'thinking', 'cache-usage'] as const;
export type AnthropicFixture = (typeof ANTHROPIC_FIXTURES)[number];

export function anthropicFixture(name: AnthropicFixture): Uint8Array {
  return new Uint8Array(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'anthropic', `${name}.sse`)));
}

export async function* chunksOf(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
  await Promise.resolve();
}

export async function decodeAll(chunks: readonly Uint8Array[]): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of decodeMessagesStream(chunksOf(chunks), { maxEventBytes: 1 << 20 })) events.push(event);
  return events;
}

/** `event:`/`data:` pairs of an SSE text (comments skipped), CRLF or LF. */
export function sseEvents(text: string): { event: string | undefined; data: string }[] {
  return text.replace(/\r\n?/g, '\n').split('\n\n').filter((block) => block.trim() !== '' && !block.startsWith(':')).map((block) => {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    return { event, data: data.join('\n') };
  });
}
