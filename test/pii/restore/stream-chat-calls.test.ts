import { eventData, expectSameAtEveryByteSplit, ORIGINALS, parseSse, restoreStream, splitsOfPlaceholder, cutText, cutInsidePlaceholders } from './support';
import { accumulate, ARGS, chatSse, CONTENT, expectRestored, frame, type ChatSpec } from './chat-stream-fixture';

describe('stream(): openai-chat, legacy function_call', () => {
  const deltasOf = (output: string): string[] => eventData(parseSse(output)).flatMap((chunk) => (chunk.choices as Array<{ delta: unknown }>).map((choice) => JSON.stringify(choice.delta)));

  it('restores delta.function_call.arguments split inside placeholders, at every byte split', async () => {
    const spec: ChatSpec = { content: cutInsidePlaceholders(CONTENT), functionCall: cutInsidePlaceholders(ARGS[0] ?? '') };
    await expectSameAtEveryByteSplit('openai-chat', chatSse(spec), (output) => expectRestored(output, spec));
  });

  it('restores a placeholder split at each of its positions inside the arguments', async () => {
    const args = ARGS[0] ?? '';
    for (const placeholder of ORIGINALS.keys()) {
      if (!args.includes(placeholder)) continue;
      for (const pieces of splitsOfPlaceholder(args, placeholder)) {
        const spec: ChatSpec = { content: ['ok'], functionCall: pieces };
        expectRestored(await restoreStream('openai-chat', chatSse(spec)), spec);
      }
    }
  });

  it('the call\'s start (its name) flushes held content first; held arguments go out in the finish_reason chunk', async () => {
    const spec: ChatSpec = { content: ['Hi [PH'], functionCall: ['{"to":"[EMAIL_1]","k":"[API'] };
    const output = await restoreStream('openai-chat', chatSse(spec));
    expect(accumulate(output, true)).toEqual({ content: 'Hi [PH', reasoning: '', tools: [], functionCall: '{"to":"alice@example.com","k":"[API' });
    const deltas = deltasOf(output);
    expect(deltas.indexOf('{"content":"[PH"}')).toBe(deltas.findIndex((delta) => delta.includes('"name":"send"')) - 1);
    expect(deltas[deltas.length - 1]).toBe('{"function_call":{"arguments":"[API"}}');
    const finish = eventData(parseSse(output)).find((chunk) => (chunk.choices as Array<{ finish_reason: string | null }>)[0]?.finish_reason === 'function_call');
    expect(finish?.choices).toEqual([{ index: 0, delta: { function_call: { arguments: '[API' } }, finish_reason: 'function_call' }]);
  });

  it('keeps the name when restoring arguments that arrive with it', async () => {
    const spec: ChatSpec = { content: [], functionCall: [] };
    const sse = chatSse(spec).replace('"function_call":{"name":"send","arguments":""}', '"function_call":{"name":"send","arguments":"{\\"to\\":\\"[EMAIL_1]\\"}"}');
    expect(sse).not.toBe(chatSse(spec));
    const chunk = eventData(parseSse(await restoreStream('openai-chat', sse))).find((data) => JSON.stringify(data).includes('"name":"send"'));
    expect(chunk?.choices).toEqual([{ index: 0, delta: { content: null, function_call: { name: 'send', arguments: '{"to":"alice@example.com"}' } }, finish_reason: null }]);
  });

  it('a stream without placeholders comes out byte for byte, at every byte split', async () => {
    // No piece ends in the start of a key (`[`, `[EMAIL_`): such a tail is rightly held until it is told apart.
    const args = JSON.stringify({ to: '[EMAIL_2]', ref: '[1]', n: 'ü 👋🏽' });
    const spec: ChatSpec = { content: ['See [1] and ', '[NOTE_1].'], functionCall: cutText(args, [5, args.indexOf(',') - 1, args.indexOf('[1') + 2]) };
    const sse = chatSse(spec);
    await expectSameAtEveryByteSplit('openai-chat', sse, (output) => expect(output).toBe(sse));
  });
});

describe('stream(): openai-chat, delta.annotations', () => {
  const citation = (url: string, title: string): unknown => ({ type: 'url_citation', url_citation: { url, title, start_index: 0, end_index: 9 } });
  const annotationsOf = (output: string): unknown[] => eventData(parseSse(output)).flatMap((chunk) => (chunk.choices as Array<{ delta: { annotations?: unknown[] } }>).flatMap((choice) => choice.delta.annotations ?? []));

  it('an annotations chunk between the pieces of a placeholder flushes no held text, at every byte split', async () => {
    const list = [citation('https://example.org/a?b=[1]', 'A page')];
    const spec: ChatSpec = { content: ['Write to [EM', 'AIL_1] now'], annotations: { after: 0, list } };
    await expectSameAtEveryByteSplit('openai-chat', chatSse(spec), (output) => {
      expectRestored(output, spec);
      expect(output).toContain(frame({ delta: { annotations: list }, finish_reason: null }));
    });
  });

  it('restores every string of an annotation whole, held content around it still restored', async () => {
    const spec: ChatSpec = { content: ['Call [PHO', 'NE_12] now'], annotations: { after: 0, list: [citation('https://example.org/?to=[EMAIL_1]', 'About [API_KEY_1]')] } };
    await expectSameAtEveryByteSplit('openai-chat', chatSse(spec), (output) => {
      expectRestored(output, spec);
      expect(annotationsOf(output)).toEqual([citation('https://example.org/?to=alice@example.com', `About ${ORIGINALS.get('[API_KEY_1]') ?? ''}`)]);
    });
  });

  it('a stream with annotations and no placeholders comes out byte for byte, at every byte split', async () => {
    const spec: ChatSpec = { content: ['See [1] and ', '[NOTE_1] ü.'], annotations: { after: 0, list: [citation('https://example.org/[2]', 'Not [EMAIL_2] 👋🏽')] } };
    const sse = chatSse(spec);
    await expectSameAtEveryByteSplit('openai-chat', sse, (output) => expect(output).toBe(sse));
  });
});
