import { createSseDecoder, SseEventTooLargeError } from '../../lambda/sse/decoder';
import { encodeSseEvent } from '../../lambda/sse/encoder';

/**
 * The SSE event cap bounds the memory one provider stream can hold; these pin down how bytes are counted
 * between events (CRLF lines, empty chunks, many small events) and what is delivered once the cap trips.
 */
const utf8 = new TextEncoder();

interface Capped {
  readonly events: string[];
  readonly comments: string[];
  readonly error: unknown;
}

function capped(chunks: readonly string[], maxEventBytes: number): Capped & { decoder: ReturnType<typeof createSseDecoder> } {
  const events: string[] = [];
  const comments: string[] = [];
  const decoder = createSseDecoder((event) => events.push(event.data), { maxEventBytes, onComment: (text) => comments.push(text) });
  let error: unknown;
  try {
    for (const chunk of chunks) decoder.push(utf8.encode(chunk));
    decoder.end();
  } catch (caught) {
    error = caught;
  }
  return { events, comments, error, decoder };
}

describe('SSE decoder cap (mutation: lambda/sse)', () => {
  it('counts an event of many CRLF-terminated lines as one event, not one line at a time', () => {
    // Each line is 9 bytes; the event grows past 20 bytes on its third line without any blank line.
    const result = capped(['data: 1\r\n', 'data: 2\r\n', 'data: 3\r\n', 'data: 4\r\n'], 20);
    expect(result.error).toBeInstanceOf(SseEventTooLargeError);
    expect(result.events).toEqual([]);
    const inOneChunk = capped(['data: 1\r\ndata: 2\r\ndata: 3\r\ndata: 4\r\n'], 20);
    expect(inOneChunk.error).toBeInstanceOf(SseEventTooLargeError);
  });

  it('still sees a blank line split by an empty chunk as the end of an event', () => {
    const result = capped(['data: 0123456789\n', '', '\n', 'data: 0123'], 20);
    expect(result.error).toBeUndefined();
    expect(result.events).toEqual(['0123456789']);
  });

  it('lets any number of small events through, each counted on its own', () => {
    const chunks = Array.from({ length: 50 }, (_, i) => `data: ${String(i).padStart(4, '0')}\n\n`);
    const result = capped(chunks, 16);
    expect(result.error).toBeUndefined();
    expect(result.events).toHaveLength(50);
    const oneChunk = capped([chunks.join('')], 16);
    expect(oneChunk.error).toBeUndefined();
    expect(oneChunk.events).toHaveLength(50);
  });

  it('delivers nothing of an oversized chunk that completes no event, not even its comments', () => {
    const result = capped([`: thinking\ndata: ${'x'.repeat(40)}\n`], 20);
    expect(result.error).toBeInstanceOf(SseEventTooLargeError);
    expect(result.comments).toEqual([]);
    expect(result.events).toEqual([]);
  });

  it('names the limit in the error and refuses further input once the cap tripped', () => {
    const result = capped(['data: ok\n\n', 'data: far too long for twelve bytes'], 12);
    expect(result.events).toEqual(['ok']);
    expect(result.error).toBeInstanceOf(SseEventTooLargeError);
    const error = result.error as SseEventTooLargeError;
    expect(error.name).toBe('SseEventTooLargeError');
    expect(error.message).toBe('A server-sent event exceeds the limit of 12 bytes.');
    expect(error.limitBytes).toBe(12);
    expect(() => result.decoder.push(utf8.encode('data: more\n\n'))).toThrow('SSE decoder: push() after end().');
    expect(result.events).toEqual(['ok']);
  });
});

describe('SSE encoder field checks (mutation: lambda/sse)', () => {
  it.each([
    ['event', { event: 'a\nb', data: 'x' }],
    ['event', { event: 'a\rb', data: 'x' }],
    ['id', { id: '1\n2', data: 'x' }],
    ['id', { id: '1\r2', data: 'x' }],
  ])('refuses a line break in %s and names the field', (field, init) => {
    expect(() => encodeSseEvent(init)).toThrow(new TypeError(`SSE ${field} must not contain a line break.`));
  });

  it('writes an empty id field (it resets the last event id) but omits an empty event type', () => {
    expect(encodeSseEvent({ event: '', id: '', data: 'x' })).toBe('id: \ndata: x\n\n');
  });
});
