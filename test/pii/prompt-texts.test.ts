import { CHAT_COMPLETIONS, EMBEDDINGS, LEGACY_COMPLETIONS, MESSAGES, RESPONSES } from '../../lambda/api/inbound-apis';
import { promptTexts } from '../../lambda/pii/prompt-texts';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function textsOf(texts: ReturnType<typeof promptTexts>): string[] {
  return texts.texts.map((text) => text.text);
}

describe('prompt text read from every inbound API', () => {
  it('Chat: system, user text parts, assistant tool-call arguments, tool results; images skipped', () => {
    const canonical = CHAT_COMPLETIONS.parse({
      model: 'm',
      messages: [
        { role: 'system', content: 'sys a@b.co' },
        { role: 'user', content: [{ type: 'text', text: 'user text' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"q":"args"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'tool result' },
      ],
    }, 'm');
    const texts = promptTexts(canonical);
    expect(textsOf(texts)).toEqual(['sys a@b.co', 'user text', '{"q":"args"}', 'tool result']);
    expect(texts.texts[2]?.kind).toBe('json');
    expect(texts.skippedParts).toBe(1);
  });

  it('Responses: instructions, input items, function calls and their outputs', () => {
    const canonical = RESPONSES.parse({
      model: 'm',
      instructions: 'instructions',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'input text' }] },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"path":"x"}' },
        { type: 'function_call_output', call_id: 'c1', output: 'output text' },
      ],
    }, 'm');
    expect(textsOf(promptTexts(canonical))).toEqual(['instructions', 'input text', '{"path":"x"}', 'output text']);
  });

  it('Messages: system blocks, tool_use input, tool_result content; thinking and images skipped', () => {
    const canonical = MESSAGES.parse({
      model: 'm',
      max_tokens: 10,
      system: [{ type: 'text', text: 'system block' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hello' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 's' }, { type: 'tool_use', id: 't1', name: 'f', input: { a: 'b' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'result' }] }] },
      ],
    }, 'm');
    const texts = promptTexts(canonical);
    expect(textsOf(texts)).toEqual(['system block', 'hello', '{"a":"b"}', 'result']);
    expect(texts.skippedParts).toBe(2);
  });

  it('legacy completions and embeddings: the prompt and the inputs', () => {
    expect(textsOf(promptTexts(LEGACY_COMPLETIONS.parse({ model: 'm', prompt: 'legacy prompt' }, 'm')))).toEqual(['legacy prompt']);
    expect(textsOf(promptTexts(EMBEDDINGS.parse({ model: 'm', input: ['one', 'two'] }, 'm')))).toEqual(['one', 'two']);
  });
});
