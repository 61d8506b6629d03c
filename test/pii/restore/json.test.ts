import { createAnswerRestorer } from '../../../lambda/pii/restore';
import { ORIGINALS } from './support';

const restorer = createAnswerRestorer(ORIGINALS);
const KEY = ORIGINALS.get('[API_KEY_1]') ?? '';
const PHONE = ORIGINALS.get('[PHONE_12]') ?? '';

function restoreJson(body: unknown, format: Parameters<typeof restorer.json>[1]): unknown {
  const out = restorer.json(JSON.stringify(body), format);
  expect(typeof out).toBe('string');
  return JSON.parse(out as string);
}

describe('json()', () => {
  it('Chat: message content, refusal, reasoning and tool-call arguments (JSON text, originals escaped)', () => {
    const body = {
      id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini',
      choices: [{
        index: 0, finish_reason: 'tool_calls', logprobs: null,
        message: {
          role: 'assistant', content: 'Mail [EMAIL_1]; not [EMAIL_2].', refusal: null, reasoning_content: 'key is [API_KEY_1]',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'send', arguments: JSON.stringify({ to: '[EMAIL_1]', key: '[API_KEY_1]' }) } }],
        },
      }],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    };
    const out = restoreJson(body, 'openai-chat') as typeof body;
    const message = out.choices[0]?.message;
    expect(message?.content).toBe('Mail alice@example.com; not [EMAIL_2].');
    expect(message?.reasoning_content).toBe(`key is ${KEY}`);
    expect(JSON.parse(message?.tool_calls[0]?.function.arguments ?? '')).toEqual({ to: 'alice@example.com', key: KEY });
    expect(out.usage).toEqual(body.usage);
  });

  it('Chat: the legacy message.function_call arguments (JSON text, originals escaped), its name untouched', () => {
    const body = {
      id: 'chatcmpl-2', object: 'chat.completion', created: 1, model: 'gpt-3.5-turbo',
      choices: [{
        index: 0, finish_reason: 'function_call', logprobs: null,
        message: { role: 'assistant', content: null, function_call: { name: 'send', arguments: JSON.stringify({ to: '[EMAIL_1]', key: '[API_KEY_1]', ref: '[1]' }) } },
      }],
    };
    const out = restoreJson(body, 'openai-chat') as typeof body;
    const call = out.choices[0]?.message.function_call;
    expect(call?.name).toBe('send');
    expect(JSON.parse(call?.arguments ?? '')).toEqual({ to: 'alice@example.com', key: KEY, ref: '[1]' });
  });

  it('Responses: output text, function_call arguments, custom_tool_call input', () => {
    const body = {
      id: 'resp_1', object: 'response', status: 'completed', model: 'gpt-5',
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Think about [PHONE_12]' }] },
        { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Call [PHONE_12].', annotations: [] }] },
        { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'dial', arguments: '{"n":"[PHONE_12]"}' },
        { id: 'ct_1', type: 'custom_tool_call', call_id: 'call_2', name: 'apply_patch', input: 'key="[API_KEY_1]"' },
      ],
    };
    const out = restoreJson(body, 'openai-responses') as { output: Array<Record<string, unknown>> };
    expect(out.output[0]).toEqual({ ...body.output[0], summary: [{ type: 'summary_text', text: `Think about ${PHONE}` }] });
    expect(out.output[1]).toEqual({ ...body.output[1], content: [{ type: 'output_text', text: `Call ${PHONE}.`, annotations: [] }] });
    expect(JSON.parse(String(out.output[2]?.arguments))).toEqual({ n: PHONE });
    expect(out.output[3]?.input).toBe(`key="${KEY}"`);
  });

  it('Anthropic: text and thinking blocks, tool_use input restored as plain strings (an `arguments` field included)', () => {
    const body = {
      id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', stop_reason: 'tool_use',
      content: [
        { type: 'thinking', thinking: 'mail [EMAIL_1]', signature: 'sig' },
        { type: 'text', text: 'Sending to [EMAIL_1].' },
        { type: 'tool_use', id: 'toolu_1', name: 'send', input: { to: ['[EMAIL_1]'], arguments: 'key [API_KEY_1]' } },
      ],
    };
    const out = restoreJson(body, 'anthropic-messages');
    expect(out).toEqual({
      ...body,
      content: [
        { type: 'thinking', thinking: 'mail alice@example.com', signature: 'sig' },
        { type: 'text', text: 'Sending to alice@example.com.' },
        { type: 'tool_use', id: 'toolu_1', name: 'send', input: { to: ['alice@example.com'], arguments: `key ${KEY}` } },
      ],
    });
  });

  it('legacy completions: choices[].text', () => {
    const body = { id: 'cmpl-1', object: 'text_completion', choices: [{ index: 0, text: ' [EMAIL_1]\n', finish_reason: 'stop' }] };
    expect(restoreJson(body, 'openai-completions')).toEqual({ ...body, choices: [{ index: 0, text: ' alice@example.com\n', finish_reason: 'stop' }] });
  });

  it('keeps the body type: bytes in, bytes out', () => {
    const out = restorer.json(new TextEncoder().encode('{"choices":[{"text":"[EMAIL_1]"}]}'), 'openai-completions');
    expect(out).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(out as Uint8Array)).toBe('{"choices":[{"text":"alice@example.com"}]}');
  });

  it('returns the very same body when there is nothing to restore, when it is not JSON, and for embeddings', () => {
    const bodies: Array<string | Uint8Array> = [
      '{"choices":[{"message":{"content":"No [EMAIL_2] here, [1] either"}}]}',
      new TextEncoder().encode('{"choices":[{"text":"[a](b)"}]}'),
      'not json [EMAIL_1]',
      '{"choices":[{"text":"[EMAIL_1"}]}',
    ];
    for (const body of bodies) expect(restorer.json(body, 'openai-chat')).toBe(body);
    const embeddings = '{"data":[{"embedding":[0.1],"index":0}],"model":"[EMAIL_1]"}';
    expect(restorer.json(embeddings, 'openai-embeddings')).toBe(embeddings);
  });

  it('with no originals at all, every shape passes through untouched', () => {
    const none = createAnswerRestorer(new Map());
    const body = '{"choices":[{"text":"[EMAIL_1]"}]}';
    expect(none.json(body, 'openai-chat')).toBe(body);
  });
});
