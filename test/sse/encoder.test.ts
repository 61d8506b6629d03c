import fc from 'fast-check';
import { createSseDecoder, type SseEvent } from '../../lambda/sse/decoder';
import { encodeSseComment, encodeSseEvent, SSE_DONE } from '../../lambda/sse/encoder';

const utf8 = new TextEncoder();

function decode(text: string, chunkOffsets: readonly number[] = []): SseEvent[] {
  const events: SseEvent[] = [];
  const decoder = createSseDecoder((event) => {
    events.push({
      data: event.data,
      ...(event.event === undefined ? {} : { event: event.event }),
      ...(event.id === undefined ? {} : { id: event.id }),
    });
  });
  const bytes = utf8.encode(text);
  let start = 0;
  for (const offset of [...new Set(chunkOffsets)].filter((o) => o > 0 && o < bytes.length).sort((a, b) => a - b)) {
    decoder.push(bytes.subarray(start, offset));
    start = offset;
  }
  decoder.push(bytes.subarray(start));
  decoder.end();
  return events;
}

describe('encodeSseEvent', () => {
  it('writes a single-line event as one data line and a blank line', () => {
    expect(encodeSseEvent({ data: '{"a":1}' })).toBe('data: {"a":1}\n\n');
  });

  it('writes event and id fields before the data', () => {
    expect(encodeSseEvent({ event: 'ping', id: '7', data: 'x' })).toBe('event: ping\nid: 7\ndata: x\n\n');
  });

  it('omits an empty event name (the default type) but keeps an empty id (it resets the last id)', () => {
    expect(encodeSseEvent({ event: '', id: '', data: 'x' })).toBe('id: \ndata: x\n\n');
  });

  it('splits multi-line data into one data line per line, for every line terminator', () => {
    expect(encodeSseEvent({ data: 'a\nb\r\nc\rd' })).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n');
    expect(encodeSseEvent({ data: 'trailing\n' })).toBe('data: trailing\ndata: \n\n');
  });

  it('keeps an empty payload as one empty data line', () => {
    expect(encodeSseEvent({ data: '' })).toBe('data: \n\n');
    expect(decode(encodeSseEvent({ data: '' }))).toEqual([{ data: '' }]);
  });

  it('refuses line breaks in event and id (they would inject fields)', () => {
    expect(() => encodeSseEvent({ event: 'a\nb', data: 'x' })).toThrow(TypeError);
    expect(() => encodeSseEvent({ id: 'a\rb', data: 'x' })).toThrow(TypeError);
  });

  it('round-trips through the decoder at any chunking (property)', () => {
    const line = fc.string({ unit: 'binary', maxLength: 20 }).filter((s) => !/[\r\n]/.test(s));
    const eventArb = fc.record({
      data: fc.string({ unit: 'binary', maxLength: 60 }),
      event: fc.option(line.filter((s) => s !== ''), { nil: undefined }),
      id: fc.option(line.filter((s) => !s.includes('\0')), { nil: undefined }),
    });
    fc.assert(fc.property(fc.array(eventArb, { maxLength: 8 }), fc.array(fc.nat(2000), { maxLength: 10 }), (events, offsets) => {
      const text = events.map((e) => encodeSseEvent(e)).join('');
      const expected = events.map((e) => ({
        // The SSE grammar has no way to carry CR: every line terminator comes back as LF.
        data: e.data.replace(/\r\n|\r/g, '\n'),
        ...(e.event === undefined ? {} : { event: e.event }),
        ...(e.id === undefined ? {} : { id: e.id }),
      }));
      expect(decode(text, offsets)).toEqual(expected);
    }));
  });
});

describe('encodeSseComment', () => {
  it('writes comment lines and a blank line, which no client turns into an event', () => {
    expect(encodeSseComment('gatellm {"cost_usd":0.1}')).toBe(': gatellm {"cost_usd":0.1}\n\n');
    expect(encodeSseComment('a\nb')).toBe(': a\n: b\n\n');
    expect(decode(`${encodeSseComment('x\ny')}data: z\n\n`)).toEqual([{ data: 'z' }]);
  });
});

describe('SSE_DONE', () => {
  it('is the OpenAI terminator event', () => {
    expect(SSE_DONE).toBe('data: [DONE]\n\n');
    expect(decode(SSE_DONE)).toEqual([{ data: '[DONE]' }]);
  });
});
