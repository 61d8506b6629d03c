import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  arbitraryOffsets, commentsOf, cutInsidePlaceholders, cutText, eventData, expectSameAtEveryByteSplit, jsonEscaped,
  ORIGINALS, parseSse, restoredByHand, restoreStream, TRAILER,
} from './support';

const THINKING = 'The mail [EMAIL_1] and [PHONE_12] ü.';
const TEXT = 'Sent to [EMAIL_1] with key [API_KEY_1]; [NOTE_1] and [1] stay 👋🏽.';
const INPUT = JSON.stringify({ to: '[EMAIL_1]', key: '[API_KEY_1]', list: ['[PHONE_12]'] });

interface MessagesSpec {
  readonly thinking: readonly string[];
  /** The text block's `content_block_start` text (usually empty). */
  readonly startText?: string;
  readonly text: readonly string[];
  readonly input: readonly string[];
  /** A block's stop is missing (a cut provider stream). */
  readonly stopText?: boolean;
}

function sseEvent(data: Record<string, unknown>): string {
  return `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;
}

function messagesSse(spec: MessagesSpec): string {
  let sse = sseEvent({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude', stop_reason: null, usage: { input_tokens: 5, output_tokens: 1 } } });
  sse += sseEvent({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } });
  sse += sseEvent({ type: 'ping' });
  for (const piece of spec.thinking) sse += sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: piece } });
  sse += sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'c2ln' } });
  sse += sseEvent({ type: 'content_block_stop', index: 0 });
  sse += sseEvent({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: spec.startText ?? '' } });
  spec.text.forEach((piece, n) => {
    sse += sseEvent({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: piece } });
    if (n === 0) sse += ': keep-alive\n\n' + sseEvent({ type: 'ping' });
  });
  if (spec.stopText !== false) sse += sseEvent({ type: 'content_block_stop', index: 1 });
  sse += sseEvent({ type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_1', name: 'send', input: {} } });
  for (const piece of spec.input) sse += sseEvent({ type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: piece } });
  sse += sseEvent({ type: 'content_block_stop', index: 2 });
  sse += sseEvent({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 42 } });
  return `${sse}: ${TRAILER}\n\n${sseEvent({ type: 'message_stop' })}`;
}

interface BlockView {
  readonly thinking: string;
  readonly text: string;
  readonly input: string;
}

/** What a Messages client builds from the events; fails on any event out of its block's lifetime. */
function accumulate(output: string): BlockView {
  const items = parseSse(output);
  expect(items.slice(-2)).toEqual([{ kind: 'comment', text: TRAILER }, { kind: 'event', event: 'message_stop', data: '{"type":"message_stop"}' }]);
  expect(commentsOf(items)).toEqual(['keep-alive', TRAILER]);
  for (const item of items) if (item.kind === 'event') expect(item.event).toBe((JSON.parse(item.data) as { type: string }).type);
  const blocks = new Map<number, string>();
  const open = new Set<number>();
  for (const event of eventData(items) as Array<{ type: string; index?: number; content_block?: Record<string, unknown>; delta?: Record<string, unknown> }>) {
    const index = event.index ?? -1;
    if (event.type === 'content_block_start') {
      open.add(index);
      blocks.set(index, String(event.content_block?.text ?? event.content_block?.thinking ?? ''));
    }
    if (event.type === 'content_block_delta') {
      expect(open.has(index)).toBe(true);
      const delta = event.delta ?? {};
      blocks.set(index, (blocks.get(index) ?? '') + String(delta.text ?? delta.thinking ?? delta.partial_json ?? ''));
    }
    if (event.type === 'content_block_stop') open.delete(index);
  }
  return { thinking: blocks.get(0) ?? '', text: blocks.get(1) ?? '', input: blocks.get(2) ?? '' };
}

function expectRestored(output: string, spec: MessagesSpec): void {
  const view = accumulate(output);
  expect(view.thinking).toBe(restoredByHand(spec.thinking.join('')));
  expect(view.text).toBe(restoredByHand((spec.startText ?? '') + spec.text.join('')));
  expect(JSON.parse(view.input)).toEqual(JSON.parse(restoredByHand(spec.input.join(''), jsonEscaped())));
}

const FULL: MessagesSpec = { thinking: cutInsidePlaceholders(THINKING), text: cutInsidePlaceholders(TEXT), input: cutInsidePlaceholders(INPUT) };

describe('stream(): anthropic-messages', () => {
  it('restores thinking, text and tool input split inside placeholders, at every byte split', async () => {
    await expectSameAtEveryByteSplit('anthropic-messages', messagesSse(FULL), (output) => expectRestored(output, FULL));
  });

  it('flushes a block\'s held text as a synthesised delta just before its content_block_stop', async () => {
    const spec: MessagesSpec = { thinking: ['[PHONE_1'], text: ['a [EMAIL_1]', ' b [API'], input: ['{"k":"[EM', 'AIL_1"}'] };
    const output = await restoreStream('anthropic-messages', messagesSse(spec));
    expectRestored(output, spec);
    const events = eventData(parseSse(output));
    const stop0 = events.findIndex((event) => event.type === 'content_block_stop' && event.index === 0);
    expect(events[stop0 - 1]).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: '[PHONE_1' } });
    const stop1 = events.findIndex((event) => event.type === 'content_block_stop' && event.index === 1);
    expect(events[stop1 - 1]).toEqual({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: '[API' } });
  });

  it('restores the text a content_block_start carries, continued by the deltas', async () => {
    const spec: MessagesSpec = { thinking: ['x'], startText: 'From [EM', text: ['AIL_1]', ' ok'], input: ['{}'] };
    expectRestored(await restoreStream('anthropic-messages', messagesSse(spec)), spec);
  });

  it('a block whose stop never comes is flushed before the next block starts', async () => {
    const spec: MessagesSpec = { thinking: ['x'], text: ['see ', '[EMAIL'], input: ['{}'], stopText: false };
    const events = eventData(parseSse(await restoreStream('anthropic-messages', messagesSse(spec))));
    const start2 = events.findIndex((event) => event.type === 'content_block_start' && event.index === 2);
    expect(events[start2 - 1]).toEqual({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: '[EMAIL' } });
  });

  it('random network and delta splits', async () => {
    const cuts = fc.array(fc.nat(), { maxLength: 8 });
    await fc.assert(fc.asyncProperty(cuts, cuts, cuts, arbitraryOffsets(5000), async (a, b, c, byteCuts) => {
      const spec: MessagesSpec = {
        thinking: cutText(THINKING, a.map((cut) => cut % THINKING.length)),
        text: cutText(TEXT, b.map((cut) => cut % TEXT.length)),
        input: cutText(INPUT, c.map((cut) => cut % INPUT.length)),
      };
      expectRestored(await restoreStream('anthropic-messages', messagesSse(spec), byteCuts), spec);
    }), { numRuns: 200 });
  });

  it('real fixtures without placeholders come out byte for byte', async () => {
    for (const name of ['text', 'thinking', 'tool-use', 'cache-usage']) {
      const sse = readFileSync(join(__dirname, '../../fixtures/anthropic', `${name}.sse`), 'utf8');
      expect(await restoreStream('anthropic-messages', sse, [3, 64, 65, 300])).toBe(sse.replace(/\r\n/g, '\n'));
    }
  });

  it('a real fixture with a placeholder cut across its input_json deltas', async () => {
    const fixture = readFileSync(join(__dirname, '../../fixtures/anthropic/tool-use.sse'), 'utf8');
    const sse = fixture.replace('"partial_json":" \\"San Fra"', '"partial_json":" \\"[API_"').replace('"partial_json":"ncisco, \\\\\\""', '"partial_json":"KEY_1], \\\\\\""');
    expect(sse).not.toBe(fixture);
    const events = eventData(parseSse(await restoreStream('anthropic-messages', sse)));
    const input = events.map((event) => (event.type === 'content_block_delta' && event.index === 1 ? String((event.delta as { partial_json: string }).partial_json) : '')).join('');
    expect(JSON.parse(input)).toEqual({ location: `${ORIGINALS.get('[API_KEY_1]') ?? ''}, "CA"`, unit: 'fahrenheit' });
  });
});

describe('stream(): anthropic-messages, citations', () => {
  const CITATIONS: ReadonlyArray<Record<string, unknown>> = [
    { type: 'char_location', cited_text: 'Mail [EMAIL_1], phone [PHONE_12].', document_index: 0, document_title: 'Notes on [API_KEY_1]', start_char_index: 0, end_char_index: 33, file_id: null },
    { type: 'web_search_result_location', cited_text: 'by [EMAIL_1] [1]', url: 'https://example.com/[EMAIL_1]', title: 'Page', encrypted_index: 'RW5jcnlwdGVk' },
  ];

  /** A cited text block: its citations arrive as `citations_delta` events, the second one after the first text piece. */
  function citedSse(text: readonly string[], citations: ReadonlyArray<Record<string, unknown>>, startBlock: Record<string, unknown> = { type: 'text', text: '', citations: [] }): string {
    let sse = sseEvent({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude', stop_reason: null, usage: { input_tokens: 5, output_tokens: 1 } } });
    sse += sseEvent({ type: 'content_block_start', index: 0, content_block: startBlock });
    const [first, ...rest] = citations;
    if (first !== undefined) sse += sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation: first } });
    text.forEach((piece, n) => {
      sse += sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } });
      if (n === 0) for (const citation of rest) sse += sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation } });
    });
    sse += sseEvent({ type: 'content_block_stop', index: 0 });
    sse += sseEvent({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 42 } });
    return `${sse}: ${TRAILER}\n\n${sseEvent({ type: 'message_stop' })}`;
  }

  /** Every string of a citation restored (`cited_text`, titles, urls), as a whole object. */
  const restoredCitation = (citation: Record<string, unknown>): unknown => JSON.parse(restoredByHand(JSON.stringify(citation), jsonEscaped()));

  type BlockEvent = { type: string; content_block?: { text?: string; citations?: unknown[] }; delta?: { type: string; text?: string; citation?: unknown } };

  function citedBlock(output: string): { text: string; citations: unknown[] } {
    let text = '';
    const citations: unknown[] = [];
    for (const event of eventData(parseSse(output)) as BlockEvent[]) {
      if (event.type === 'content_block_start') {
        text += event.content_block?.text ?? '';
        citations.push(...(event.content_block?.citations ?? []));
      }
      if (event.delta?.type === 'text_delta') text += event.delta.text ?? '';
      if (event.delta?.type === 'citations_delta') citations.push(event.delta.citation);
    }
    return { text, citations };
  }

  it('restores each citation whole and the text across it, at every byte split', async () => {
    const text = ['Sent to [EM', 'AIL_1] with [API_', 'KEY_1]; [NOTE_1] 👋🏽'];
    await expectSameAtEveryByteSplit('anthropic-messages', citedSse(text, CITATIONS), (output) => {
      expect(citedBlock(output)).toEqual({ text: restoredByHand(text.join('')), citations: CITATIONS.map(restoredCitation) });
      // The citation does not flush the held `[EM`: the placeholder split around it is still restored, in place.
      const deltas = (eventData(parseSse(output)) as BlockEvent[]).flatMap((event) => (event.delta === undefined || event.type !== 'content_block_delta' ? [] : [event.delta.type]));
      expect(deltas).toEqual(['citations_delta', 'text_delta', 'citations_delta', 'text_delta', 'text_delta']);
    });
  });

  it('restores the citations a content_block_start carries, its text still continued by the deltas', async () => {
    const start = { type: 'text', text: 'From [EM', citations: [CITATIONS[0]] };
    const output = await restoreStream('anthropic-messages', citedSse(['AIL_1] ok'], [], start));
    const first = (eventData(parseSse(output)) as BlockEvent[]).find((event) => event.type === 'content_block_start');
    expect(first?.content_block).toEqual({ type: 'text', text: 'From ', citations: [restoredCitation(CITATIONS[0] ?? {})] });
    expect(citedBlock(output).text).toBe('From alice@example.com ok');
  });

  it('a cited stream without placeholders comes out byte for byte, at every byte split', async () => {
    const citations = [{ type: 'web_search_result_location', cited_text: 'See [1] and [NOTE_1] ü', url: 'https://example.com/[EMAIL_2]', title: 'Page', encrypted_index: 'RW5j' }];
    const sse = citedSse(['See [1] ', 'and [NOTE_1].'], citations);
    await expectSameAtEveryByteSplit('anthropic-messages', sse, (output) => expect(output).toBe(sse));
  });
});
