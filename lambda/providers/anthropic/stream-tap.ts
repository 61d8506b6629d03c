import { UpstreamResponseTooLargeError } from '../../errors/gateway-error';
import { createSseDecoder, SseEventTooLargeError, type SseEvent } from '../../sse/decoder';
import { encodeSseComment, encodeSseEvent } from '../../sse/encoder';
import type { PassThroughTap, PassThroughTapOptions } from '../pass-through-tap';
import { redactSecrets } from '../redact-secrets';
import { parseAnthropicUsage } from './usage';

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(data: string): Json | undefined {
  try {
    const parsed: unknown = JSON.parse(data);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Where a delta's generated text begins: the value of its last `text`/`thinking`/`partial_json` key. */
const DELTA_TEXT = /"(?:text|thinking|partial_json)"\s*:\s*"/g;

/**
 * Generated characters in a `content_block_delta` without parsing it: from the delta's text key to the
 * closing quote before the event's final `}}`. Escapes count as written (`\n` is 2), which is close
 * enough for what this feeds: an output estimate when a stream ends without usage.
 */
function deltaChars(data: string): number {
  DELTA_TEXT.lastIndex = 0;
  let start = -1;
  for (let match = DELTA_TEXT.exec(data); match !== null; match = DELTA_TEXT.exec(data)) start = DELTA_TEXT.lastIndex;
  if (start === -1) return 0;
  const end = data.lastIndexOf('"');
  return end > start ? end - start : 0;
}

/**
 * Taps Anthropic's own SSE on its way to an Anthropic caller (same format): every event is re-encoded
 * with its `event:` (and `id:`) line and its data untouched, comments are forwarded, and everything one
 * network chunk completes is written as one output chunk at once. Only `message_start` and
 * `message_delta` are JSON-parsed, for usage: `onUsage` gets the input count at the start (so a stream
 * cut short is still metered) and the cumulative total at `message_delta`. The trailer comment goes
 * just before `message_stop` (or at the end if the provider never sent it). Error events are scrubbed
 * of the call's credentials.
 *
 * An async generator: the consumer's return() takes effect at the next provider chunk; the request's
 * abort signal (client gone) ends the upstream read at once.
 */
export function tapMessagesStream(source: AsyncIterable<Uint8Array>, options: PassThroughTapOptions): PassThroughTap {
  let outputChars = 0;
  let trailerWritten = false;
  let usageFields: Json = {};
  let pending = '';
  const secrets = options.secrets.filter((secret) => secret.length > 0);

  function reportUsage(update: unknown): void {
    if (!isRecord(update)) return;
    const merged: Record<string, unknown> = { ...usageFields };
    for (const [key, value] of Object.entries(update)) if (value !== null && value !== undefined) merged[key] = value;
    usageFields = merged;
    const usage = parseAnthropicUsage(merged);
    if (usage !== undefined) options.onUsage(usage);
  }

  function writeTrailerOnce(): void {
    if (trailerWritten) return;
    trailerWritten = true;
    pending += options.trailer() ?? '';
  }

  function onEvent(event: SseEvent): void {
    switch (event.event) {
      case 'content_block_delta':
        outputChars += deltaChars(event.data);
        break;
      case 'message_start': {
        const message = parseJson(event.data)?.message;
        if (isRecord(message)) reportUsage(message.usage);
        break;
      }
      case 'message_delta':
        reportUsage(parseJson(event.data)?.usage);
        break;
      case 'message_stop':
        writeTrailerOnce();
        break;
      case 'error': {
        const scrubbed = redactSecrets(event.data, secrets);
        pending += encodeSseEvent(scrubbed === event.data ? event : { ...event, data: scrubbed });
        return;
      }
      default:
        break;
    }
    pending += encodeSseEvent(event);
  }

  const decoder = createSseDecoder(onEvent, {
    onComment: (text) => { pending += encodeSseComment(text); },
    maxEventBytes: options.maxEventBytes,
  });

  function take(): Uint8Array | undefined {
    if (pending === '') return undefined;
    const bytes = Buffer.from(pending, 'utf8');
    pending = '';
    return bytes;
  }

  async function* run(): AsyncGenerator<Uint8Array, void, undefined> {
    for await (const chunk of source) {
      try {
        decoder.push(chunk);
      } catch (error) {
        if (!(error instanceof SseEventTooLargeError)) throw error;
        const before = take();
        if (before !== undefined) yield before;
        throw new UpstreamResponseTooLargeError(`Provider sent an event over the gateway's limit of ${error.limitBytes} bytes (maxEventBytes).`);
      }
      const bytes = take();
      if (bytes !== undefined) yield bytes;
    }
    decoder.end();
    writeTrailerOnce();
    const rest = take();
    if (rest !== undefined) yield rest;
  }

  return { stream: run(), outputChars: () => outputChars };
}
