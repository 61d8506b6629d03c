import { tapOpenAiChatStream } from '../../../lambda/providers/openai/chat-stream';
import { bytes, sourceOf } from './tap-harness';

async function drain(stream: AsyncIterable<Uint8Array>): Promise<{ text: string; error: unknown }> {
  let text = '';
  try {
    for await (const chunk of stream) text += Buffer.from(chunk).toString('utf8');
  } catch (error) {
    return { text, error };
  }
  return { text, error: undefined };
}

describe('tapOpenAiChatStream: limits and secrets', () => {
  it('ends the stream with upstream_response_too_large on an event over maxEventBytes and closes the source', async () => {
    let sourceClosed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield bytes('data: {"choices":[{"delta":{"content":"hi"}}]}\n\n');
        for (;;) yield bytes('data: {"choices":[{"delta":{"content":"' + 'a'.repeat(1000));
      } finally {
        sourceClosed = true;
      }
    }
    const tap = tapOpenAiChatStream(source(), { stripUsageChunk: false, onUsage: () => undefined, maxEventBytes: 10_000 });
    const { text, error } = await drain(tap.stream);
    expect(text).toContain('"content":"hi"');
    expect(error).toMatchObject({ status: 502, code: 'upstream_response_too_large' });
    expect(sourceClosed).toBe(true);
  });

  it('scrubs a credential a provider echoes in a streamed event', async () => {
    const key = 'sk-gateway-owned-key-0123456789';
    const events = `data: {"choices":[{"delta":{"content":"ok"}}]}\n\ndata: {"error":{"message":"bad key ${key}"}}\n\ndata: [DONE]\n\n`;
    const tap = tapOpenAiChatStream(sourceOf([bytes(events)]), { stripUsageChunk: false, onUsage: () => undefined, secrets: [key] });
    const { text, error } = await drain(tap.stream);
    expect(error).toBeUndefined();
    expect(text).not.toContain(key);
    expect(text).toContain('"content":"ok"');
    expect(text).toContain('data: [DONE]');
  });
});
