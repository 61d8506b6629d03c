import fc from 'fast-check';
import { replayEvents, type StreamEvent } from '../../../lambda/canonical/events';
import type { TokenUsage } from '../../../lambda/canonical/usage';
import { createAnswerRestorer } from '../../../lambda/pii/restore';
import { cutText, ORIGINALS, restoredByHand } from './support';

const USAGE: TokenUsage = { inputTokens: 10, outputTokens: 5, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

async function restore(events: readonly StreamEvent[]): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of createAnswerRestorer(ORIGINALS).events(replayEvents(events))) out.push(event);
  return out;
}

/** Checks the canonical order contract on what the restorer wrote. */
function expectOrderContract(events: readonly StreamEvent[]): void {
  expect(events[0]?.type).toBe('message_start');
  expect(events.filter((event) => event.type === 'message_start')).toHaveLength(1);
  expect(events.filter((event) => event.type === 'finish')).toHaveLength(1);
  const finishAt = events.findIndex((event) => event.type === 'finish');
  expect(events.slice(finishAt + 1).every((event) => event.type === 'usage')).toBe(true);
  const open = new Set<number>();
  for (const event of events) {
    if (event.type === 'tool_call_start') open.add(event.index);
    if (event.type === 'tool_call_delta') expect(open.has(event.index)).toBe(true);
    if (event.type === 'tool_call_end') open.delete(event.index);
    if (event.type === 'finish') expect(open.size).toBe(0);
  }
}

function textOf(events: readonly StreamEvent[], type: 'text_delta' | 'thinking_delta'): string {
  return events.map((event) => (event.type === type ? event.text : '')).join('');
}

function argumentsOf(events: readonly StreamEvent[], index: number): string {
  return events.map((event) => (event.type === 'tool_call_delta' && event.index === index ? event.arguments : '')).join('');
}

const THINKING = 'Their mail is [EMAIL_1], the key [API_KEY_1].';
const TEXT = 'I will write to [EMAIL_1] and call [PHONE_12]; [EMAIL_9] stays.';
const ARGS_0 = JSON.stringify({ to: '[EMAIL_1]', note: 'key [API_KEY_1]' });
const ARGS_1 = JSON.stringify({ phone: '[PHONE_12]', list: ['[EMAIL_1]', '[1]'] });

/** A whole answer: thinking, text, two parallel tool calls whose argument deltas interleave. */
function answer(thinking: readonly string[], text: readonly string[], args0: readonly string[], args1: readonly string[]): StreamEvent[] {
  const events: StreamEvent[] = [{ type: 'message_start', id: 'msg_1', model: 'm' }, { type: 'usage', usage: USAGE }];
  for (const piece of thinking) events.push({ type: 'thinking_delta', text: piece });
  events.push({ type: 'thinking_signature', signature: 'sig' });
  for (const piece of text) events.push({ type: 'text_delta', text: piece });
  events.push({ type: 'tool_call_start', index: 0, id: 'call_0', name: 'mail' }, { type: 'tool_call_start', index: 1, id: 'call_1', name: 'call' });
  for (let i = 0; i < Math.max(args0.length, args1.length); i++) {
    const a = args0[i];
    const b = args1[i];
    if (a !== undefined) events.push({ type: 'tool_call_delta', index: 0, arguments: a });
    if (b !== undefined) events.push({ type: 'tool_call_delta', index: 1, arguments: b });
  }
  events.push({ type: 'tool_call_end', index: 1 }, { type: 'tool_call_end', index: 0 });
  events.push({ type: 'finish', reason: 'tool_calls' }, { type: 'usage', usage: USAGE });
  return events;
}

async function expectRestored(events: readonly StreamEvent[]): Promise<void> {
  const out = await restore(events);
  expectOrderContract(out);
  expect(textOf(out, 'thinking_delta')).toBe(restoredByHand(THINKING));
  expect(textOf(out, 'text_delta')).toBe(restoredByHand(TEXT));
  expect(JSON.parse(argumentsOf(out, 0))).toEqual({ to: 'alice@example.com', note: `key ${ORIGINALS.get('[API_KEY_1]') ?? ''}` });
  expect(JSON.parse(argumentsOf(out, 1))).toEqual({ phone: ORIGINALS.get('[PHONE_12]'), list: ['alice@example.com', '[1]'] });
  // No thinking after the signature, no text once the tool calls began.
  const signatureAt = out.findIndex((event) => event.type === 'thinking_signature');
  expect(out.slice(signatureAt).some((event) => event.type === 'thinking_delta')).toBe(false);
  const firstCall = out.findIndex((event) => event.type === 'tool_call_start');
  expect(out.slice(firstCall).some((event) => event.type === 'text_delta')).toBe(false);
}

describe('events()', () => {
  it('restores text, thinking and interleaved tool arguments split at every position', async () => {
    for (const text of [TEXT, THINKING, ARGS_0, ARGS_1]) {
      for (let at = 0; at <= text.length; at++) {
        const cut = cutText(text, [at]);
        await expectRestored(answer(
          text === THINKING ? cut : [THINKING],
          text === TEXT ? cut : [TEXT],
          text === ARGS_0 ? cut : [ARGS_0],
          text === ARGS_1 ? cut : [ARGS_1],
        ));
      }
    }
  });

  it('restores character by character', async () => {
    await expectRestored(answer([...THINKING], [...TEXT], [...ARGS_0], [...ARGS_1]));
  });

  it('restores at arbitrary multi-splits', async () => {
    const splits = fc.array(fc.nat(), { maxLength: 12 });
    await fc.assert(fc.asyncProperty(splits, splits, splits, splits, async (a, b, c, d) => {
      const cut = (text: string, offsets: number[]): string[] => cutText(text, offsets.map((o) => o % (text.length + 1)));
      await expectRestored(answer(cut(THINKING, a), cut(TEXT, b), cut(ARGS_0, c), cut(ARGS_1, d)));
    }), { numRuns: 300 });
  });

  it('flushes held text as a delta of its own kind just before the event that would overtake it', async () => {
    const out = await restore([
      { type: 'message_start', id: 'm', model: 'm' },
      { type: 'text_delta', text: 'Ends with [EM' },
      { type: 'usage', usage: USAGE },
      { type: 'text_delta', text: 'AIL_1] then [' },
      { type: 'tool_call_start', index: 0, id: 'c', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{"a":"[PH' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(out).toEqual([
      { type: 'message_start', id: 'm', model: 'm' },
      { type: 'text_delta', text: 'Ends with ' },
      // usage carries no content: the placeholder split around it is still restored.
      { type: 'usage', usage: USAGE },
      { type: 'text_delta', text: 'alice@example.com then ' },
      { type: 'text_delta', text: '[' },
      { type: 'tool_call_start', index: 0, id: 'c', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{"a":"' },
      { type: 'tool_call_delta', index: 0, arguments: '[PH' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('passes events without placeholders through as the very same objects', async () => {
    const events: StreamEvent[] = [
      { type: 'message_start', id: 'm', model: 'm' },
      { type: 'text_delta', text: 'See [1] and [a](b).' },
      { type: 'redacted_thinking', data: 'xyz' },
      { type: 'finish', reason: 'stop' },
    ];
    const out = await restore(events);
    expect(out).toHaveLength(events.length);
    out.forEach((event, n) => expect(event).toBe(events[n]));
  });

  it('flushes what it holds when the source fails, then rethrows', async () => {
    async function* failing(): AsyncGenerator<StreamEvent> {
      yield { type: 'message_start', id: 'm', model: 'm' };
      yield { type: 'text_delta', text: 'cut at [EMAIL' };
      throw new Error('provider gone');
    }
    const out: StreamEvent[] = [];
    await expect((async () => {
      for await (const event of createAnswerRestorer(ORIGINALS).events(failing())) out.push(event);
    })()).rejects.toThrow('provider gone');
    expect(textOf(out, 'text_delta')).toBe('cut at [EMAIL');
  });
});
