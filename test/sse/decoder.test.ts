import fc from 'fast-check';
import { createSseDecoder, SseEventTooLargeError, type SseEvent } from '../../lambda/sse/decoder';

const utf8 = new TextEncoder();

/** Decodes `chunks` and returns the events as plain objects (undefined fields removed). */
function decodeAll(chunks: readonly Uint8Array[], onComment?: (text: string) => void): SseEvent[] {
  const events: SseEvent[] = [];
  const decoder = createSseDecoder((event) => {
    events.push({
      data: event.data,
      ...(event.event === undefined ? {} : { event: event.event }),
      ...(event.id === undefined ? {} : { id: event.id }),
    });
  }, onComment === undefined ? {} : { onComment });
  for (const chunk of chunks) decoder.push(chunk);
  decoder.end();
  return events;
}

function cut(input: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const sorted = [...new Set(offsets)].filter((o) => o > 0 && o < input.length).sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const offset of sorted) {
    parts.push(input.subarray(start, offset));
    start = offset;
  }
  parts.push(input.subarray(start));
  return parts;
}

const MIXED = [
  ': keep-alive',
  'retry: 3000',
  'data: {"content":"héllo 👋🏽 世界"}',
  '',
  'event: message_start',
  'id: 42',
  'data: line one',
  'data:  two, leading space kept',
  '',
  'data:no-space',
  '',
  'data: [DONE]',
  '',
  '',
].join('\n');

const MIXED_EVENTS: SseEvent[] = [
  { data: '{"content":"héllo 👋🏽 世界"}' },
  { event: 'message_start', id: '42', data: 'line one\n two, leading space kept' },
  { data: 'no-space' },
  { data: '[DONE]' },
];

describe('createSseDecoder', () => {
  it('decodes data, event and id fields; ignores comments and retry', () => {
    expect(decodeAll([utf8.encode(MIXED)])).toEqual(MIXED_EVENTS);
  });

  it('decodes the same events when split at every single byte boundary', () => {
    const input = utf8.encode(MIXED);
    for (let offset = 1; offset < input.length; offset++) {
      expect(decodeAll(cut(input, [offset]))).toEqual(MIXED_EVENTS);
    }
  });

  it('decodes the same events when fed one byte at a time (every multi-byte character split)', () => {
    const input = utf8.encode(MIXED);
    const singleBytes = Array.from({ length: input.length }, (_, i) => input.subarray(i, i + 1));
    expect(decodeAll(singleBytes)).toEqual(MIXED_EVENTS);
  });

  it('decodes the same events under random multi-splits', () => {
    const input = utf8.encode(MIXED);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: input.length - 1 }), { maxLength: 40 }), (offsets) => {
      expect(decodeAll(cut(input, offsets))).toEqual(MIXED_EVENTS);
    }));
  });

  it('accepts CRLF and CR line endings, including a CRLF split between chunks', () => {
    const crlf = utf8.encode('data: a\r\n\r\ndata: b\r\rdata: c\r\n\r\n');
    const expected = [{ data: 'a' }, { data: 'b' }, { data: 'c' }];
    expect(decodeAll([crlf])).toEqual(expected);
    for (let offset = 1; offset < crlf.length; offset++) {
      expect(decodeAll(cut(crlf, [offset]))).toEqual(expected);
    }
  });

  it('calls onEvent during push(), as soon as the blank line arrives', () => {
    const seen: string[] = [];
    const decoder = createSseDecoder((event) => seen.push(event.data));
    decoder.push(utf8.encode('data: first\n'));
    expect(seen).toEqual([]);
    decoder.push(utf8.encode('\ndata: sec'));
    expect(seen).toEqual(['first']);
    decoder.push(utf8.encode('ond\n\n'));
    expect(seen).toEqual(['first', 'second']);
    decoder.end();
  });

  it('drops an incomplete trailing event at end() (no blank line), as the SSE spec requires', () => {
    expect(decodeAll([utf8.encode('data: kept\n\ndata: lost\n')])).toEqual([{ data: 'kept' }]);
    expect(decodeAll([utf8.encode('data: kept\n\ndata: lost')])).toEqual([{ data: 'kept' }]);
  });

  it('end() flushes a truncated UTF-8 sequence without throwing or emitting', () => {
    const bytes = utf8.encode('data: ok\n\ndata: 👋');
    expect(decodeAll([bytes.subarray(0, bytes.length - 2)])).toEqual([{ data: 'ok' }]);
  });

  it('replaces invalid UTF-8 with U+FFFD instead of failing', () => {
    const bytes = new Uint8Array([...utf8.encode('data: a'), 0xff, ...utf8.encode('b\n\n')]);
    expect(decodeAll([bytes])).toEqual([{ data: 'a\uFFFDb' }]);
  });

  it('strips a leading byte-order mark, even split across chunks', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8.encode('data: x\n\n')]);
    expect(decodeAll(cut(bytes, [1, 2]))).toEqual([{ data: 'x' }]);
  });

  it('reports comments only to an onComment callback', () => {
    const comments: string[] = [];
    const events = decodeAll([utf8.encode(': ping\n\n:tight\ndata: x\n\n')], (text) => comments.push(text));
    expect(comments).toEqual(['ping', 'tight']);
    expect(events).toEqual([{ data: 'x' }]);
  });

  it('ignores empty chunks and rejects push() after end()', () => {
    const seen: string[] = [];
    const decoder = createSseDecoder((event) => seen.push(event.data));
    decoder.push(new Uint8Array(0));
    decoder.push(utf8.encode('data: x\n\n'));
    decoder.end();
    decoder.end();
    expect(seen).toEqual(['x']);
    expect(() => decoder.push(utf8.encode('data: y\n\n'))).toThrow(/after end/);
  });
});

describe('SSE decoder: event size cap', () => {
  /** Feeds `chunks` to a decoder capped at `max`; returns the events seen and the index of the chunk that threw. */
  function capped(chunks: readonly string[], max: number): { events: string[]; threwAt: number | undefined; error: unknown } {
    const events: string[] = [];
    const decoder = createSseDecoder((event) => events.push(event.data), { maxEventBytes: max });
    for (const [index, chunk] of chunks.entries()) {
      try {
        decoder.push(utf8.encode(chunk));
      } catch (error) {
        return { events, threwAt: index, error };
      }
    }
    decoder.end();
    return { events, threwAt: undefined, error: undefined };
  }

  it('passes events up to the cap at any chunking, counting from each event boundary', () => {
    const stream = 'data: 12345\n\ndata: abcde\r\n\r\ndata: vwxyz\r\rdata: 00000\n\r\n';
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 10 }), { maxLength: 20 }), (cuts) => {
      const chunks: string[] = [];
      let at = 0;
      for (const cut of cuts) {
        if (at >= stream.length) break;
        chunks.push(stream.slice(at, at + cut));
        at += cut;
      }
      if (at < stream.length) chunks.push(stream.slice(at));
      // Each event is 13–15 bytes with its blank line; a cap of 15 must never trip.
      const result = capped(chunks, 15);
      expect(result.threwAt).toBeUndefined();
      expect(result.events).toEqual(['12345', 'abcde', 'vwxyz', '00000']);
    }));
  });

  it('throws on the first byte past the cap, before buffering it, after delivering the events that chunk completed', () => {
    const oneByteAtATime = [...'data: ok\n\ndata: 0123456789'];
    const result = capped(oneByteAtATime, 12);
    // 'data: ok\n\n' is delivered; the next event reaches 13 bytes at its 13th byte.
    expect(result.events).toEqual(['ok']);
    expect(result.threwAt).toBe(10 + 12);
    expect(result.error).toBeInstanceOf(SseEventTooLargeError);
    expect((result.error as SseEventTooLargeError).limitBytes).toBe(12);

    const oneChunk = capped(['data: a\n\ndata: b\n\ndata: far too long for the cap'], 12);
    expect(oneChunk.events).toEqual(['a', 'b']);
    expect(oneChunk.threwAt).toBe(0);
  });

  it('counts a long event of many lines and comments, not just one long line', () => {
    const result = capped([': keep-alive\n', 'data: 1\n', 'data: 2\n', 'data: 3\n'], 30);
    expect(result.threwAt).toBe(3);
  });

  it('sees a blank line split across chunks as the end of an event', () => {
    const result = capped(['data: 123456\n', '\ndata: 654321\n', '\n'], 16);
    expect(result.threwAt).toBeUndefined();
    expect(result.events).toEqual(['123456', '654321']);
  });
});
