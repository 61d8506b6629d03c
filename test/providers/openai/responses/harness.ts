import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StreamEvent } from '../../../../lambda/canonical/events';
import { decodeResponsesStream } from '../../../../lambda/providers/openai/responses';
import { sourceOf, splitAt } from '../tap-harness';

export { sourceOf, splitAt };

export const FIXTURES = ['text', 'text-crlf-keepalive', 'function-call', 'parallel-calls', 'args-in-done', 'reasoning', 'incomplete', 'failed'] as const;
export type FixtureName = (typeof FIXTURES)[number];

export function fixtureBytes(name: FixtureName): Uint8Array {
  return new Uint8Array(readFileSync(path.join(__dirname, '..', '..', '..', 'fixtures', 'responses', `${name}.sse`)));
}

export interface DecodeRun {
  readonly events: StreamEvent[];
  /** `code` of the GatewayError thrown, if any. */
  readonly error?: string;
}

export async function decodeAll(chunks: readonly Uint8Array[], maxEventBytes = 1 << 20): Promise<DecodeRun> {
  const events: StreamEvent[] = [];
  try {
    for await (const event of decodeResponsesStream(sourceOf(chunks), { maxEventBytes })) events.push(event);
  } catch (error) {
    return { events, error: (error as { code?: string }).code ?? String(error) };
  }
  return { events };
}

/** What a caller notices in an event list: text, thinking, tool calls, finish and usage. */
export function summarise(events: readonly StreamEvent[]): Record<string, unknown> {
  let text = '';
  let thinking = '';
  const calls: { id: string; name: string; arguments: string; ended: boolean }[] = [];
  const summary: Record<string, unknown> = {};
  for (const event of events) {
    switch (event.type) {
      case 'text_delta': text += event.text; break;
      case 'thinking_delta': thinking += event.text; break;
      case 'tool_call_start': calls[event.index] = { id: event.id, name: event.name, arguments: '', ended: false }; break;
      case 'tool_call_delta': { const call = calls[event.index]; if (call !== undefined) call.arguments += event.arguments; break; }
      case 'tool_call_end': { const call = calls[event.index]; if (call !== undefined) call.ended = true; break; }
      case 'finish': summary.finish = event.reason; break;
      case 'usage': summary.usage = event.usage; break;
      default: break;
    }
  }
  return { ...summary, text, thinking, calls };
}
