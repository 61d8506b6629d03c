import { tapOpenAiChatStream } from '../../../lambda/providers/openai/chat-stream';
import {
  bytes, dataPayloads, fixtureBytes, referenceOutputChars, runTap, sourceOf,
} from './tap-harness';

const text = new TextDecoder();
const fixtureText = (name: Parameters<typeof fixtureBytes>[0]): string => text.decode(fixtureBytes(name));
const TRAILER = ': gatellm {"cost_usd":0.0042}\n\n';

/** Resolves to 'blocked' if `promise` has not settled within `ms`: proof that something is waiting. */
function within<T>(promise: Promise<T>, ms = 1000): Promise<T | 'blocked'> {
  return Promise.race([promise, new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), ms))]);
}

function chunkEvent(delta: Record<string, unknown>, finish: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

describe('tapOpenAiChatStream: pass-through', () => {
  it('forwards a plain stream byte for byte and reports its stats', async () => {
    const input = fixtureText('plain');
    const run = await runTap([bytes(input)]);
    expect(run.text).toBe(input);
    expect(run.stats).toEqual({ events: 16, outputChars: referenceOutputChars(input), sawUsage: false, sawDone: true, finishReason: 'stop' });
    expect(run.stats.outputChars).toBe('The capital of France is Paris. It sits on the Seine.'.length);
    expect(run.usages).toEqual([]);
  });

  it('counts tool-call argument fragments and records finish_reason tool_calls', async () => {
    const input = fixtureText('tool-call');
    const run = await runTap([bytes(input)]);
    expect(run.text).toBe(input);
    expect(run.stats.outputChars).toBe('{"location":"Paris, France","unit":"celsius"}'.length);
    expect(run.stats.outputChars).toBe(referenceOutputChars(input));
    expect(run.stats.finishReason).toBe('tool_calls');
  });

  it('counts multi-byte text in UTF-16 units, like the JSON it came from', async () => {
    const input = fixtureText('utf8');
    const run = await runTap([bytes(input)]);
    expect(run.text).toBe(input);
    expect(run.stats.outputChars).toBe(referenceOutputChars(input));
  });

  it('counts escaped characters once each (\\n, \\", \\\\, \\u00e9, surrogate pairs)', async () => {
    const content = 'a\n"b"\\c\u00e9\u{1F600}\u0001';
    const asciiJson = JSON.stringify(content).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const event = `data: {"choices":[{"index":0,"delta":{"content":${asciiJson}},"finish_reason":null}]}\n\n`;
    const run = await runTap([bytes(event)]);
    expect(run.stats.outputChars).toBe(content.length);
  });

  it('counts reasoning_content, refusal and legacy completions text, tolerating spaces around colons', async () => {
    const events = [
      'data: {"choices":[{"delta":{"reasoning_content":"think"}}]}\n\n',
      'data: {"choices":[{"delta":{"refusal": "no"}}]}\n\n',
      'data: {"choices":[{"text" : "abc","index":0,"finish_reason":"length"}]}\n\n',
    ];
    const run = await runTap([bytes(events.join(''))]);
    expect(run.stats.outputChars).toBe(5 + 2 + 3);
    expect(run.stats.finishReason).toBe('length');
  });

  it('forwards non-JSON data and a malformed "usage" chunk untouched', async () => {
    const input = 'data: hello\n\ndata: {"usage":{"prompt_tokens":\n\ndata: {"content":"unterminated\n\n';
    const run = await runTap([bytes(input)]);
    expect(run.text).toBe(input);
    expect(run.stats.sawUsage).toBe(false);
  });

  it('keeps event and id fields, forwards upstream comments and normalises CRLF framing', async () => {
    const input = ': OPENROUTER PROCESSING\r\n\r\nevent: error\r\nid: 3\r\ndata: {"error":{"message":"overloaded"}}\r\n\r\n';
    const run = await runTap([bytes(input)]);
    expect(run.text).toBe(': OPENROUTER PROCESSING\n\nevent: error\nid: 3\ndata: {"error":{"message":"overloaded"}}\n\n');
  });
});

describe('tapOpenAiChatStream: usage', () => {
  it('reports usage once and merges the returned fields into the forwarded usage object', async () => {
    const input = fixtureText('with-usage');
    const run = await runTap([bytes(input)], { onUsage: () => ({ cost_usd: 0.0123 }) });
    expect(run.usages).toEqual([{ inputTokens: 1337, outputTokens: 231, cachedTokens: 1024, cacheWriteTokens: 0, reasoningTokens: 192 }]);
    const inputPayloads = dataPayloads(input);
    const outputPayloads = dataPayloads(run.text);
    expect(outputPayloads).toHaveLength(inputPayloads.length);
    const last = JSON.parse(outputPayloads[outputPayloads.length - 2] ?? '') as { choices: unknown[]; usage: Record<string, unknown> };
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 1337, completion_tokens: 231, cost_usd: 0.0123 });
    // Every other chunk passes through unchanged.
    expect(outputPayloads.slice(0, -2)).toEqual(inputPayloads.slice(0, -2));
    expect(run.stats).toMatchObject({ sawUsage: true, sawDone: true, finishReason: 'stop' });
    expect(run.stats.outputChars).toBe(referenceOutputChars(input));
  });

  it('forwards the usage chunk unchanged when onUsage adds nothing', async () => {
    const input = fixtureText('with-usage');
    const run = await runTap([bytes(input)], { onUsage: () => undefined });
    expect(run.text).toBe(input);
  });

  it('drops the usage-only chunk when stripUsageChunk is set, and still reports the usage', async () => {
    const input = fixtureText('with-usage');
    const run = await runTap([bytes(input)], { stripUsageChunk: true, onUsage: () => ({ cost_usd: 1 }) });
    expect(run.usages).toHaveLength(1);
    expect(run.text).not.toMatch(/"usage"\s*:\s*\{/);
    expect(run.text).not.toContain('cost_usd');
    const inputPayloads = dataPayloads(input);
    expect(dataPayloads(run.text)).toEqual([...inputPayloads.slice(0, -2), '[DONE]']);
    expect(run.stats.events).toBe(inputPayloads.length);
  });

  it('keeps a usage chunk that also carries choices, removing only its usage when stripping', async () => {
    const chunk = { id: 'c', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } };
    const input = `data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`;
    const stripped = await runTap([bytes(input)], { stripUsageChunk: true });
    const { usage: _usage, ...withoutUsage } = chunk;
    expect(stripped.text).toBe(`data: ${JSON.stringify(withoutUsage)}\n\ndata: [DONE]\n\n`);
    expect(stripped.usages).toEqual([{ inputTokens: 3, outputTokens: 1, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }]);
    expect(stripped.stats.outputChars).toBe(2);
    const kept = await runTap([bytes(input)], { stripUsageChunk: false, onUsage: () => ({ cost_usd: 2 }) });
    expect(JSON.parse(dataPayloads(kept.text)[0] ?? '')).toEqual({ ...chunk, usage: { ...chunk.usage, cost_usd: 2 } });
  });

  it('calls onUsage only for the first of several usage reports', async () => {
    const usageEvent = (n: number): string => `data: {"choices":[],"usage":{"prompt_tokens":${n},"completion_tokens":1}}\n\n`;
    const run = await runTap([bytes(usageEvent(5) + usageEvent(6))], { onUsage: () => ({ cost_usd: 1 }) });
    expect(run.usages.map((u) => u.inputTokens)).toEqual([5]);
    expect(dataPayloads(run.text)[1]).not.toContain('cost_usd');
  });
});

describe('tapOpenAiChatStream: trailer and end of stream', () => {
  it('writes beforeDone text just before [DONE], once', async () => {
    const beforeDone = jest.fn(() => TRAILER);
    const run = await runTap([bytes(fixtureText('plain'))], { beforeDone });
    expect(run.text.endsWith(`}\n\n${TRAILER}data: [DONE]\n\n`)).toBe(true);
    expect(beforeDone).toHaveBeenCalledTimes(1);
  });

  it('writes beforeDone text at the very end when the upstream ends without [DONE]', async () => {
    const input = fixtureText('plain').replace('data: [DONE]\n\n', '');
    const beforeDone = jest.fn(() => TRAILER);
    const run = await runTap([bytes(input)], { beforeDone });
    expect(run.text).toBe(input + TRAILER);
    expect(run.stats.sawDone).toBe(false);
    expect(beforeDone).toHaveBeenCalledTimes(1);
  });

  it('writes nothing extra when beforeDone returns undefined, and drops an unterminated last event', async () => {
    const input = `${chunkEvent({ content: 'a' })}data: {"choices":[]`;
    const run = await runTap([bytes(input)], { beforeDone: () => undefined });
    expect(run.text).toBe(chunkEvent({ content: 'a' }));
  });
});

describe('tapOpenAiChatStream: timing, cancellation, errors', () => {
  it('hands an event to the consumer while the source is still blocked (no buffering)', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let secondRequested = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield bytes(chunkEvent({ content: 'first' }));
      secondRequested = true;
      await gate;
      yield bytes('data: [DONE]\n\n');
    }
    const iterator = tapOpenAiChatStream(source(), { stripUsageChunk: false, onUsage: () => undefined }).stream[Symbol.asyncIterator]();
    const first = await within(iterator.next());
    expect(first).not.toBe('blocked');
    expect(first !== 'blocked' && first.done !== true && text.decode(first.value)).toBe(chunkEvent({ content: 'first' }));
    const second = iterator.next();
    expect(await within(second, 50)).toBe('blocked');
    expect(secondRequested).toBe(true);
    release();
    const result = await second;
    expect(result.done !== true && text.decode(result.value)).toBe('data: [DONE]\n\n');
    expect((await iterator.next()).done).toBe(true);
  });

  it('writes every event of one network chunk in one write, and an event split across chunks as soon as it completes', async () => {
    const two = chunkEvent({ content: 'a' }) + chunkEvent({ content: 'b' });
    expect((await runTap([bytes(two)])).writes).toBe(1);
    const one = bytes(chunkEvent({ content: 'c' }));
    const run = await runTap([one.subarray(0, 10), one.subarray(10, 20), one.subarray(20)]);
    expect(run.writes).toBe(1);
  });

  it('calls return() on the source when the consumer stops early, without throwing', async () => {
    let sourceClosed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < 100; i++) yield bytes(chunkEvent({ content: `t${i}` }));
      } finally {
        sourceClosed = true;
      }
    }
    const beforeDone = jest.fn(() => TRAILER);
    const tap = tapOpenAiChatStream(source(), { stripUsageChunk: false, onUsage: () => undefined, beforeDone });
    let received = 0;
    for await (const _chunk of tap.stream) {
      received++;
      if (received === 2) break;
    }
    expect(sourceClosed).toBe(true);
    expect(beforeDone).not.toHaveBeenCalled();
    expect(tap.stats().events).toBe(2);
  });

  it('calls return() on the source at once even while a read is pending, and ends the pending read', async () => {
    let finishRead: (result: IteratorResult<Uint8Array>) => void = () => undefined;
    const returned = jest.fn(async (): Promise<IteratorResult<Uint8Array>> => {
      finishRead({ done: true, value: undefined });
      return { done: true, value: undefined };
    });
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<Uint8Array>>((resolve) => { finishRead = resolve; }),
        return: returned,
      }),
    };
    const iterator = tapOpenAiChatStream(source, { stripUsageChunk: false, onUsage: () => undefined }).stream[Symbol.asyncIterator]();
    const pending = iterator.next();
    await new Promise((resolve) => setImmediate(resolve));
    const closing: Promise<IteratorResult<Uint8Array>> = iterator.return?.() ?? Promise.reject(new Error('no return()'));
    expect(await within(closing)).toEqual({ done: true, value: undefined });
    expect(returned).toHaveBeenCalledTimes(1);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('propagates a source error to the consumer after the events before it', async () => {
    const failure = new Error('socket hang up');
    async function* source(): AsyncGenerator<Uint8Array> {
      yield bytes(chunkEvent({ content: 'partial' }));
      throw failure;
    }
    const beforeDone = jest.fn(() => TRAILER);
    const tap = tapOpenAiChatStream(source(), { stripUsageChunk: false, onUsage: () => undefined, beforeDone });
    const received: string[] = [];
    await expect((async () => {
      for await (const chunk of tap.stream) received.push(text.decode(chunk));
    })()).rejects.toBe(failure);
    expect(received).toEqual([chunkEvent({ content: 'partial' })]);
    expect(beforeDone).not.toHaveBeenCalled();
    expect(tap.stats().outputChars).toBe('partial'.length);
  });

  it('fails the stream and closes the source when a hook throws', async () => {
    let sourceClosed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield bytes('data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}}\n\n');
        yield bytes('data: [DONE]\n\n');
      } finally {
        sourceClosed = true;
      }
    }
    const hookError = new Error('pricing failed');
    const tap = tapOpenAiChatStream(source(), { stripUsageChunk: false, onUsage: () => { throw hookError; } });
    const iterator = tap.stream[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBe(hookError);
    expect(sourceClosed).toBe(true);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('answers overlapping next() calls in order', async () => {
    const first = bytes(chunkEvent({ content: 'one' }));
    const chunks = [first.subarray(0, 7), first.subarray(7), bytes(chunkEvent({ content: 'two' })), bytes(chunkEvent({ content: 'three' }))];
    const iterator = tapOpenAiChatStream(sourceOf(chunks), { stripUsageChunk: false, onUsage: () => undefined }).stream[Symbol.asyncIterator]();
    const results = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next()]);
    expect(results.map((r) => (r.done === true ? 'done' : text.decode(r.value)))).toEqual([
      chunkEvent({ content: 'one' }), chunkEvent({ content: 'two' }), chunkEvent({ content: 'three' }), 'done',
    ]);
  });

  it('handles a 4 MB content fragment in one event, split into 64 KiB chunks', async () => {
    const big = 'x'.repeat(4 * 1024 * 1024 - 3) + '\\"é';
    const input = bytes(chunkEvent({ content: big }));
    const chunks = Array.from({ length: Math.ceil(input.length / 65536) }, (_, i) => input.subarray(i * 65536, (i + 1) * 65536));
    const run = await runTap(chunks);
    expect(run.writes).toBe(1);
    expect(run.text).toBe(chunkEvent({ content: big }));
    expect(run.stats.outputChars).toBe(big.length);
  });

  it('can be iterated only once', async () => {
    const tap = tapOpenAiChatStream(sourceOf([]), { stripUsageChunk: false, onUsage: () => undefined });
    tap.stream[Symbol.asyncIterator]();
    expect(() => tap.stream[Symbol.asyncIterator]()).toThrow(/once/);
  });
});
