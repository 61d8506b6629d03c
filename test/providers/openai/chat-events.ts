import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FinishReason, StreamEvent } from '../../../lambda/canonical/events';
import type { CanonicalRequest } from '../../../lambda/canonical/request';
import type { OpenAiProviderConfig } from '../../../lambda/config/gateway-config';
import type { Deployment } from '../../../lambda/providers/provider';
import type { TokenUsage } from '../../../lambda/canonical/usage';

/** Helpers shared by the Chat decoder and encoder tests: fixtures, sources, and what a client would see. */

export function chatFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'openai', `${name}.sse`)));
}

export async function* chunksOf(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

export async function* eventsOf(events: readonly StreamEvent[]): AsyncGenerator<StreamEvent> {
  for (const event of events) yield event;
}

export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

export interface AnswerSummary {
  readonly id: string | undefined;
  readonly model: string | undefined;
  readonly text: string;
  readonly thinking: string;
  readonly calls: readonly { readonly id: string; readonly name: string; readonly arguments: string }[];
  readonly finish: FinishReason | undefined;
  readonly usage: TokenUsage | undefined;
}

/** What an event sequence amounts to; also asserts the order contract of lambda/canonical/events.ts. */
export function summarize(events: readonly StreamEvent[]): AnswerSummary {
  let id: string | undefined;
  let model: string | undefined;
  let text = '';
  let thinking = '';
  let finish: FinishReason | undefined;
  let usage: TokenUsage | undefined;
  const calls: { id: string; name: string; arguments: string }[] = [];
  const open = new Set<number>();
  events.forEach((event, position) => {
    if (position === 0 && event.type !== 'message_start') throw new Error('message_start must come first');
    if (position > 0 && event.type === 'message_start') throw new Error('a second message_start');
    if (finish !== undefined && event.type !== 'usage') throw new Error(`${event.type} after finish`);
    switch (event.type) {
      case 'message_start':
        ({ id, model } = event);
        break;
      case 'text_delta':
        text += event.text;
        break;
      case 'thinking_delta':
        thinking += event.text;
        break;
      case 'tool_call_start':
        if (event.index !== calls.length) throw new Error('tool call indexes must be 0, 1, … in start order');
        calls.push({ id: event.id, name: event.name, arguments: '' });
        open.add(event.index);
        break;
      case 'tool_call_delta': {
        const call = calls[event.index];
        if (call === undefined || !open.has(event.index)) throw new Error('delta for a call not open');
        call.arguments += event.arguments;
        break;
      }
      case 'tool_call_end':
        if (!open.delete(event.index)) throw new Error('end of a call not open');
        break;
      case 'finish':
        if (open.size > 0) throw new Error('finish with open tool calls');
        finish = event.reason;
        break;
      case 'usage':
        usage = event.usage;
        break;
      default:
        break;
    }
  });
  return { id, model, text, thinking, calls, finish, usage };
}

/** A deployment on an OpenAI-type provider (OpenAI itself unless `provider.type` says otherwise). */
export function deployment(provider: Partial<OpenAiProviderConfig> = {}, model = 'upstream-model'): Deployment {
  return {
    modelName: 'public-model',
    model: { provider: 'p', model, price: { input: 1, output: 2 } },
    providerName: 'p',
    provider: { type: 'openai', baseUrl: 'http://127.0.0.1:1/v1', ...provider },
  };
}

export function canonical(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    model: 'public-model', system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [],
    stop: [], stream: false, streamIncludeUsage: false, sameFormatOnly: [], ...overrides,
  };
}

