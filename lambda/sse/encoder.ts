/** The OpenAI stream terminator, as one complete SSE event. */
export const SSE_DONE = 'data: [DONE]\n\n';

export interface SseEventInit {
  readonly event?: string;
  readonly data: string;
  readonly id?: string;
}

/** The three line terminators the SSE grammar accepts. */
const LINE_BREAK = /\r\n|\r|\n/;

function assertSingleLine(field: string, value: string): void {
  // A line break inside `event` or `id` would start a new field (or end the event) on the receiving
  // side: a caller bug or an injection attempt, never something to encode.
  if (value.includes('\n') || value.includes('\r')) {
    throw new TypeError(`SSE ${field} must not contain a line break.`);
  }
}

function dataLines(data: string): string {
  // Hot path: single-line data (every OpenAI chunk) needs no split.
  if (!data.includes('\n') && !data.includes('\r')) return `data: ${data}\n`;
  // The receiver joins consecutive data lines with "\n", so each line of the payload gets its own
  // `data:` field. A "\r\n" or lone "\r" in the payload comes back as "\n", as the spec dictates.
  let out = '';
  for (const line of data.split(LINE_BREAK)) out += `data: ${line}\n`;
  return out;
}

/**
 * One complete event, terminated by the blank line that dispatches it. The space after each colon is
 * always written, so a value that itself starts with a space survives (the receiver strips exactly one).
 * An empty `event` is omitted: to a receiver it means the default type, same as no field.
 */
export function encodeSseEvent(event: SseEventInit): string {
  let out = '';
  if (event.event !== undefined && event.event !== '') {
    assertSingleLine('event', event.event);
    out += `event: ${event.event}\n`;
  }
  if (event.id !== undefined) {
    assertSingleLine('id', event.id);
    out += `id: ${event.id}\n`;
  }
  return `${out}${dataLines(event.data)}\n`;
}

/**
 * Comment lines followed by a blank line, so the text can be written between any two events. Every
 * SSE client ignores it; useful as a keep-alive or for metadata (cost) a curious reader can pick up.
 */
export function encodeSseComment(text: string): string {
  let out = '';
  for (const line of text.split(LINE_BREAK)) out += `: ${line}\n`;
  return `${out}\n`;
}
