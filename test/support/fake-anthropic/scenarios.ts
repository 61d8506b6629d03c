/**
 * What the fake Anthropic does for a request, chosen by its `model` field:
 *
 * | model | behaviour |
 * |---|---|
 * | anything else | text answer (FAKE_TEXT_PIECES), end_turn |
 * | `echo` | text answer repeating the last user message's text |
 * | `echo-fine` | the same, streamed in pieces of 3 characters |
 * | `tool-use` | a text block, then one tool_use whose input JSON is split mid-string |
 * | `parallel-tools` | two tool_use blocks |
 * | `thinking` | a thinking block with a signature, then text |
 * | `cache-usage` | text, usage with cache_read and cache_creation tokens |
 * | `max-tokens` | text, stop_reason max_tokens |
 * | `error-<status>` | that status in Anthropic's error shape (429 adds `retry-after: 7`; 529 is overloaded_error) |
 * | `error-mid-stream` | streams some text, then `event: error` (overloaded_error) and ends |
 * | `paced-<ms>` | streams with `<ms>` between events |
 */
export type FakeBlock =
  | { readonly type: 'text'; readonly pieces: readonly string[] }
  | { readonly type: 'thinking'; readonly pieces: readonly string[]; readonly signature: string }
  | { readonly type: 'tool_use'; readonly id: string; readonly name: string; readonly jsonPieces: readonly string[] };

export interface FakeUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_read_input_tokens: number;
  readonly cache_creation_input_tokens: number;
}

export interface FakeAnswer {
  readonly blocks: readonly FakeBlock[];
  readonly stopReason: 'end_turn' | 'max_tokens' | 'tool_use';
  readonly usage: FakeUsage;
  readonly errorMidStream: boolean;
  readonly delayMs: number;
}

export const FAKE_TEXT_PIECES = ['Hello', ' from the', ' fake Anthropic', ' — ünïcödé 👋🏽.'];
export const FAKE_USAGE: FakeUsage = { input_tokens: 25, output_tokens: 12, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
export const FAKE_CACHE_USAGE: FakeUsage = { input_tokens: 10, output_tokens: 12, cache_read_input_tokens: 2000, cache_creation_input_tokens: 150 };
/** The tool input, and how the stream splits it (mid-string, mid-escape). */
export const FAKE_TOOL_INPUT = { location: 'San Francisco, "CA"', unit: 'celsius' };
export const FAKE_TOOL_JSON_PIECES = ['', '{"location": "San Fra', 'ncisco, \\', '"CA\\""', ', "unit": "cel', 'sius"}'];
export const FAKE_SIGNATURE = 'EqQBCkYIARgCIkDsig+/==';
export const FAKE_RETRY_AFTER_SECONDS = '7';

function lastUserText(body: Readonly<Record<string, unknown>>): string {
  const messages = Array.isArray(body.messages) ? body.messages as unknown[] : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: unknown; content?: unknown };
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (Array.isArray(message.content)) {
      return (message.content as { type?: unknown; text?: unknown }[])
        .filter((block) => block.type === 'text' && typeof block.text === 'string').map((block) => String(block.text)).join('');
    }
  }
  return '';
}

const text = (pieces: readonly string[]): FakeBlock => ({ type: 'text', pieces });

export function answerFor(model: string, body: Readonly<Record<string, unknown>>): FakeAnswer {
  const base: FakeAnswer = { blocks: [text(FAKE_TEXT_PIECES)], stopReason: 'end_turn', usage: FAKE_USAGE, errorMidStream: false, delayMs: 0 };
  switch (model) {
    case 'echo':
      return { ...base, blocks: [text([lastUserText(body)])] };
    case 'echo-fine':
      return { ...base, blocks: [text(Array.from(lastUserText(body)).reduce<string[]>((pieces, char, index) => {
        if (index % 3 === 0) pieces.push(char);
        else pieces[pieces.length - 1] += char;
        return pieces;
      }, []))] };
    case 'tool-use':
      return { ...base, stopReason: 'tool_use', blocks: [text(['Let me check.']), { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', jsonPieces: FAKE_TOOL_JSON_PIECES }] };
    case 'parallel-tools':
      return {
        ...base,
        stopReason: 'tool_use',
        blocks: [
          { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', jsonPieces: ['{"location":', ' "Paris"}'] },
          { type: 'tool_use', id: 'toolu_01B', name: 'get_time', jsonPieces: ['{"zone": "Europe/Paris"}'] },
        ],
      };
    case 'thinking':
      return { ...base, blocks: [{ type: 'thinking', pieces: ['Let me think', ' about this.'], signature: FAKE_SIGNATURE }, text(['The answer is 4.'])] };
    case 'cache-usage':
      return { ...base, usage: FAKE_CACHE_USAGE };
    case 'max-tokens':
      return { ...base, stopReason: 'max_tokens' };
    case 'error-mid-stream':
      return { ...base, errorMidStream: true };
    default: {
      const paced = /^paced-(\d{1,5})$/.exec(model);
      return paced?.[1] === undefined ? base : { ...base, delayMs: Number(paced[1]) };
    }
  }
}

/** The error a model id asks for, in Anthropic's shape, or undefined. */
export function errorFor(model: string): { status: number; type: string; message: string } | undefined {
  const match = /^error-(\d{3})$/.exec(model);
  if (match?.[1] === undefined) return undefined;
  const status = Number(match[1]);
  const types: Record<number, string> = {
    400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error',
    413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error',
  };
  const type = types[status] ?? 'api_error';
  return { status, type, message: type === 'overloaded_error' ? 'Overloaded' : `Fake ${type} (HTTP ${status}).` };
}
