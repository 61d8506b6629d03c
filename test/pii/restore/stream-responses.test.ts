import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  arbitraryOffsets, commentsOf, cutInsidePlaceholders, cutText, eventData, expectSameAtEveryByteSplit, jsonEscaped,
  parseSse, restoredByHand, restoreStream, TRAILER,
} from './support';

const SUMMARY = 'Thinking about [EMAIL_1] and [PHONE_12].';
const TEXT = 'Wrote to [EMAIL_1]; key [API_KEY_1]; [NOTE_1] and [1] stay 👋🏽.';
const ARGS = [JSON.stringify({ to: '[EMAIL_1]', key: '[API_KEY_1]' }), JSON.stringify({ phone: '[PHONE_12]' })];

interface ResponsesSpec {
  readonly summary: readonly string[];
  readonly text: readonly string[];
  /** Two parallel calls whose argument deltas interleave. */
  readonly args: readonly [readonly string[], readonly string[]];
  /** Annotations of the output text, each added by its own event after the first text delta. */
  readonly annotations?: ReadonlyArray<Record<string, unknown>>;
}

const ANNOTATIONS: ReadonlyArray<Record<string, unknown>> = [
  { type: 'url_citation', start_index: 0, end_index: 8, title: 'Mail of [EMAIL_1]', url: 'https://example.com/?q=[PHONE_12]' },
  { type: 'file_citation', file_id: 'file_1', filename: 'key [API_KEY_1].txt', index: 9 },
];

/** Every string of an annotation restored (titles, urls, file names), as a whole object. */
const restoredAnnotation = (annotation: Record<string, unknown>): unknown => JSON.parse(restoredByHand(JSON.stringify(annotation), jsonEscaped()));

function responsesSse(spec: ResponsesSpec): string {
  let sequence = 0;
  let sse = '';
  const emit = (type: string, fields: Record<string, unknown>): void => {
    sse += `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
  };
  const summary = spec.summary.join('');
  const text = spec.text.join('');
  const args = spec.args.map((pieces) => pieces.join(''));
  const reasoning = { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: summary }] };
  const annotations = spec.annotations ?? [];
  const message = { id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', annotations, logprobs: [], text }] };
  const calls = args.map((argument, n) => ({ id: `fc_${n}`, type: 'function_call', status: 'completed', arguments: argument, call_id: `call_${n}`, name: 'send' }));
  const response = { id: 'resp_1', object: 'response', status: 'in_progress', instructions: 'Reply to [EMAIL_1].', model: 'gpt-5', output: [] as unknown[] };

  emit('response.created', { response });
  emit('response.in_progress', { response });
  emit('response.output_item.added', { output_index: 0, item: { ...reasoning, summary: [] } });
  emit('response.reasoning_summary_part.added', { item_id: 'rs_1', output_index: 0, summary_index: 0, part: { type: 'summary_text', text: '' } });
  for (const delta of spec.summary) emit('response.reasoning_summary_text.delta', { item_id: 'rs_1', output_index: 0, summary_index: 0, delta });
  emit('response.reasoning_summary_text.done', { item_id: 'rs_1', output_index: 0, summary_index: 0, text: summary });
  emit('response.reasoning_summary_part.done', { item_id: 'rs_1', output_index: 0, summary_index: 0, part: { type: 'summary_text', text: summary } });
  emit('response.output_item.done', { output_index: 0, item: reasoning });
  emit('response.output_item.added', { output_index: 1, item: { ...message, status: 'in_progress', content: [] } });
  emit('response.content_part.added', { item_id: 'msg_1', output_index: 1, content_index: 0, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
  spec.text.forEach((delta, n) => {
    emit('response.output_text.delta', { item_id: 'msg_1', output_index: 1, content_index: 0, delta, logprobs: [], obfuscation: 'xyz' });
    if (n !== 0) return;
    sse += ': keepalive\n\n';
    annotations.forEach((annotation, index) => emit('response.output_text.annotation.added', { item_id: 'msg_1', output_index: 1, content_index: 0, annotation_index: index, annotation }));
  });
  emit('response.output_text.done', { item_id: 'msg_1', output_index: 1, content_index: 0, text, logprobs: [] });
  emit('response.content_part.done', { item_id: 'msg_1', output_index: 1, content_index: 0, part: message.content[0] });
  emit('response.output_item.done', { output_index: 1, item: message });
  calls.forEach((call, n) => emit('response.output_item.added', { output_index: 2 + n, item: { ...call, status: 'in_progress', arguments: '' } }));
  for (let i = 0; i < Math.max(spec.args[0].length, spec.args[1].length); i++) {
    spec.args.forEach((pieces, n) => {
      const delta = pieces[i];
      if (delta !== undefined) emit('response.function_call_arguments.delta', { item_id: `fc_${n}`, output_index: 2 + n, delta, obfuscation: 'q' });
    });
  }
  calls.forEach((call, n) => {
    emit('response.function_call_arguments.done', { item_id: call.id, output_index: 2 + n, arguments: call.arguments });
    emit('response.output_item.done', { output_index: 2 + n, item: call });
  });
  sse += `: ${TRAILER}\n\n`;
  emit('response.completed', { response: { ...response, status: 'completed', output: [reasoning, message, ...calls], usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 } } });
  return sse;
}

type ResponsesEvent = Record<string, unknown> & { type: string; sequence_number: number; item_id?: string; delta?: string };

function expectRestored(output: string, spec: ResponsesSpec): void {
  const items = parseSse(output);
  expect(commentsOf(items)).toEqual(['keepalive', TRAILER]);
  expect(items[items.length - 2]).toEqual({ kind: 'comment', text: TRAILER });
  for (const item of items) if (item.kind === 'event') expect(item.event).toBe((JSON.parse(item.data) as { type: string }).type);
  const events = eventData(items) as ResponsesEvent[];
  // Strictly consecutive, synthesised and dropped events included.
  expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, n) => n));

  const summary = restoredByHand(spec.summary.join(''));
  const text = restoredByHand(spec.text.join(''));
  const args = spec.args.map((pieces) => JSON.parse(restoredByHand(pieces.join(''), jsonEscaped())) as unknown);
  const deltas = new Map<string, string>();
  const done = new Set<string>();
  for (const event of events) {
    const key = `${event.type.replace(/\.(delta|done)$/, '')}|${String(event.item_id)}`;
    if (event.type.endsWith('.delta')) {
      expect(done.has(key)).toBe(false);
      deltas.set(key, (deltas.get(key) ?? '') + String(event.delta));
    }
    if (event.type.endsWith('.done')) done.add(key);
  }
  expect(deltas.get('response.reasoning_summary_text|rs_1')).toBe(summary);
  expect(deltas.get('response.output_text|msg_1')).toBe(text);
  expect(JSON.parse(deltas.get('response.function_call_arguments|fc_0') ?? '')).toEqual(args[0]);
  expect(JSON.parse(deltas.get('response.function_call_arguments|fc_1') ?? '')).toEqual(args[1]);

  const find = (type: string, itemId?: string): ResponsesEvent | undefined => events.find((event) => event.type === type && (itemId === undefined || event.item_id === itemId || (event.item as { id?: string } | undefined)?.id === itemId));
  expect(find('response.reasoning_summary_text.done')?.text).toBe(summary);
  expect(find('response.output_text.done')?.text).toBe(text);
  expect(find('response.content_part.done')?.part).toMatchObject({ text });
  expect(find('response.output_item.done', 'msg_1')?.item).toMatchObject({ content: [{ text }] });
  expect(JSON.parse(String(find('response.function_call_arguments.done', 'fc_0')?.arguments))).toEqual(args[0]);
  expect(JSON.parse(String((find('response.output_item.done', 'fc_1')?.item as { arguments: string }).arguments))).toEqual(args[1]);
  const completed = find('response.completed')?.response as { instructions: string; output: Array<Record<string, unknown>> };
  expect(completed.instructions).toBe('Reply to alice@example.com.');
  expect(completed.output[1]).toMatchObject({ content: [{ text }] });
  expect(JSON.parse(String(completed.output[2]?.arguments))).toEqual(args[0]);

  const annotations = (spec.annotations ?? []).map(restoredAnnotation);
  expect(events.filter((event) => event.type === 'response.output_text.annotation.added').map((event) => event.annotation)).toEqual(annotations);
  expect(find('response.content_part.done')?.part).toMatchObject({ annotations });
  expect(completed.output[1]).toMatchObject({ content: [{ annotations }] });
}

const FULL: ResponsesSpec = {
  summary: cutInsidePlaceholders(SUMMARY),
  text: cutInsidePlaceholders(TEXT),
  args: [cutInsidePlaceholders(ARGS[0] ?? ''), cutInsidePlaceholders(ARGS[1] ?? '')],
  annotations: ANNOTATIONS,
};

describe('stream(): openai-responses', () => {
  it('restores every delta, done, item, part and the response, split inside placeholders, at every byte split', async () => {
    await expectSameAtEveryByteSplit('openai-responses', responsesSse(FULL), (output) => expectRestored(output, FULL));
  });

  it('flushes held text as a synthesised delta of the same item just before its .done, renumbering what follows', async () => {
    const spec: ResponsesSpec = { summary: ['s'], text: ['Hi [EMAIL_1] [PH'], args: [['{"a":"x [EM'], ['{}']] };
    const output = await restoreStream('openai-responses', responsesSse(spec));
    const events = eventData(parseSse(output)) as ResponsesEvent[];
    const textDone = events.findIndex((event) => event.type === 'response.output_text.done');
    expect(events[textDone - 1]).toEqual({ type: 'response.output_text.delta', sequence_number: textDone - 1, item_id: 'msg_1', output_index: 1, content_index: 0, delta: '[PH', logprobs: [] });
    const argsDone = events.findIndex((event) => event.type === 'response.function_call_arguments.done');
    expect(events[argsDone - 1]).toMatchObject({ type: 'response.function_call_arguments.delta', item_id: 'fc_0', delta: '[EM' });
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, n) => n));
  });

  it('a delta held back entirely is dropped, and the numbering closes the gap', async () => {
    const spec: ResponsesSpec = { summary: ['s'], text: ['a ', '[EMA', 'IL_1] b'], args: [['{}'], ['{}']] };
    const output = await restoreStream('openai-responses', responsesSse(spec));
    expectRestored(output, spec);
    const deltas = (eventData(parseSse(output)) as ResponsesEvent[]).filter((event) => event.type === 'response.output_text.delta');
    expect(deltas.map((event) => event.delta)).toEqual(['a ', 'alice@example.com b']);
  });

  it('restores an annotation whole where it stands, renumbered after a dropped delta and before a synthesised one', async () => {
    // `[EMA` is held back entirely (its delta dropped); the annotations follow it, then the text ends held (`[PH`).
    const spec: ResponsesSpec = { summary: ['s'], text: ['[EMA', 'IL_1] and [PH'], args: [['{}'], ['{}']], annotations: ANNOTATIONS };
    const output = await restoreStream('openai-responses', responsesSse(spec));
    expectRestored(output, spec);
    const events = eventData(parseSse(output)) as ResponsesEvent[];
    const types = events.map((event) => event.type).filter((type) => type.startsWith('response.output_text'));
    expect(types).toEqual([
      'response.output_text.annotation.added', 'response.output_text.annotation.added',
      'response.output_text.delta', 'response.output_text.delta', 'response.output_text.done',
    ]);
    const added = events.find((event) => event.type === 'response.output_text.annotation.added');
    expect(added).toEqual({
      type: 'response.output_text.annotation.added', sequence_number: events.indexOf(added as ResponsesEvent),
      item_id: 'msg_1', output_index: 1, content_index: 0, annotation_index: 0, annotation: restoredAnnotation(ANNOTATIONS[0] ?? {}),
    });
  });

  it('a stream with annotations but no placeholders comes out byte for byte, at every byte split', async () => {
    const annotations = [{ type: 'url_citation', start_index: 0, end_index: 3, title: 'See [1] and [NOTE_1]', url: 'https://example.com/[EMAIL_2]' }];
    // The helper's request echo (`instructions`) has a placeholder: take it out too.
    const sse = responsesSse({ summary: ['s'], text: ['See [1] ', 'ü'], args: [['{}'], ['{"a":1}']], annotations }).replace(/Reply to \[EMAIL_1\]\./g, 'Reply.');
    expect(sse).not.toContain('[EMAIL_1]');
    await expectSameAtEveryByteSplit('openai-responses', sse, (output) => expect(output).toBe(sse));
  });

  it('random network and delta splits', async () => {
    const cuts = fc.array(fc.nat(), { maxLength: 8 });
    await fc.assert(fc.asyncProperty(cuts, cuts, cuts, arbitraryOffsets(9000), async (a, b, c, byteCuts) => {
      const cut = (text: string, offsets: number[]): string[] => cutText(text, offsets.map((o) => o % text.length));
      const spec: ResponsesSpec = { summary: cut(SUMMARY, a), text: cut(TEXT, b), args: [cut(ARGS[0] ?? '', c), cut(ARGS[1] ?? '', b)] };
      expectRestored(await restoreStream('openai-responses', responsesSse(spec), byteCuts), spec);
    }), { numRuns: 150 });
  });

  it('real fixtures without placeholders come out byte for byte', async () => {
    for (const name of ['text', 'text-crlf-keepalive', 'function-call', 'parallel-calls', 'reasoning', 'args-in-done', 'incomplete', 'failed']) {
      const sse = readFileSync(join(__dirname, '../../fixtures/responses', `${name}.sse`), 'utf8');
      expect(await restoreStream('openai-responses', sse, [5, 90, 91, 700])).toBe(sse.replace(/\r\n/g, '\n'));
    }
  });

  it('a real fixture with a placeholder cut across its deltas', async () => {
    const fixture = readFileSync(join(__dirname, '../../fixtures/responses/text.sse'), 'utf8');
    const sse = fixture.replace('"delta":" from"', '"delta":" [EMAIL"').replace('"delta":" fake"', '"delta":"_1] fake"').replace(/Hello from fake!/g, 'Hello [EMAIL_1] fake!');
    expect(sse).not.toBe(fixture);
    const events = eventData(parseSse(await restoreStream('openai-responses', sse))) as ResponsesEvent[];
    expect(events.filter((event) => event.type === 'response.output_text.delta').map((event) => event.delta).join('')).toBe('Hello alice@example.com fake! 👋');
    expect(events.find((event) => event.type === 'response.output_text.done')?.text).toBe('Hello alice@example.com fake! 👋');
    expect(events.find((event) => event.type === 'response.completed')?.response).toMatchObject({ output: [{ content: [{ text: 'Hello alice@example.com fake! 👋' }] }] });
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, n) => n));
  });
});
