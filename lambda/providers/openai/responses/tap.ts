import { UpstreamResponseTooLargeError } from '../../../errors/gateway-error';
import { createSseDecoder, SseEventTooLargeError, type SseEvent } from '../../../sse/decoder';
import { encodeSseComment, encodeSseEvent } from '../../../sse/encoder';
import type { PassThroughTap, PassThroughTapOptions } from '../../pass-through-tap';
import { redactSecrets } from '../../redact-secrets';
import { isRecord } from './failure';
import { parseResponsesUsage } from './usage';
import { closingQuote, decodedLength } from '../../json-string-scan';

const TERMINAL_TYPES: ReadonlySet<string> = new Set(['response.completed', 'response.incomplete', 'response.failed']);
/** The `type` of a data-only event, for servers that send no `event:` line. */
const TYPE_FIELD = /^\{\s*"type"\s*:\s*"([^"]+)"/;
/** Generated text is in the `delta` string of the `*.delta` events; nothing else is parsed on the hot path. */
const DELTA_FIELD = /"delta"\s*:\s*"/g;

function eventType(event: SseEvent): string | undefined {
  if (event.event !== undefined && event.event !== '') return event.event;
  return TYPE_FIELD.exec(event.data)?.[1];
}

function deltaChars(data: string): number {
  DELTA_FIELD.lastIndex = 0;
  const match = DELTA_FIELD.exec(data);
  if (match === null) return 0;
  const end = closingQuote(data, DELTA_FIELD.lastIndex);
  return end === -1 ? 0 : decodedLength(data, DELTA_FIELD.lastIndex, end);
}

/**
 * Same-format pass-through of a Responses stream: every event is re-encoded as it came (`event:` and
 * `data:` kept, framing normalised), upstream comments forwarded. Only the terminal event is parsed —
 * for its usage, which is reported once and may gain the gateway's fields (cost) — and the trailer is
 * written just before it. Text is counted from `delta` fields without parsing. Events that contain a
 * credential this call was sent with (a provider echoing it in an error) are scrubbed.
 */
export function tapResponsesStream(source: AsyncIterable<Uint8Array>, options: PassThroughTapOptions): PassThroughTap {
  const secrets = options.secrets.filter((secret) => secret.length > 0);
  let outputChars = 0;
  let usageReported = false;
  let trailerWritten = false;
  let pending = '';

  function writeTrailerOnce(): void {
    if (trailerWritten) return;
    trailerWritten = true;
    const trailer = options.trailer();
    if (trailer !== undefined && trailer !== '') pending += encodeSseComment(trailer);
  }

  /** The terminal event's data, with the gateway's usage fields merged in when there are some. */
  function meterTerminal(data: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return data;
    }
    if (!isRecord(parsed) || !isRecord(parsed.response) || usageReported) return data;
    const rawUsage = parsed.response.usage;
    const usage = parseResponsesUsage(rawUsage);
    if (usage === undefined || !isRecord(rawUsage)) return data;
    usageReported = true;
    const extras = options.onUsage(usage);
    if (extras === undefined || Object.keys(extras).length === 0) return data;
    return JSON.stringify({ ...parsed, response: { ...parsed.response, usage: { ...rawUsage, ...extras } } });
  }

  function onEvent(event: SseEvent): void {
    const type = eventType(event);
    let data = event.data;
    if (type !== undefined && TERMINAL_TYPES.has(type)) {
      writeTrailerOnce();
      data = meterTerminal(data);
    } else if (type?.endsWith('.delta') === true) {
      outputChars += deltaChars(data);
    }
    if (secrets.some((secret) => data.includes(secret))) data = redactSecrets(data, secrets);
    pending += encodeSseEvent(data === event.data ? event : { ...event, data });
  }

  const decoder = createSseDecoder(onEvent, {
    onComment: (text) => { pending += encodeSseComment(text); },
    maxEventBytes: options.maxEventBytes,
  });

  function take(): Uint8Array {
    const bytes = Buffer.from(pending, 'utf8');
    pending = '';
    return bytes;
  }

  async function* run(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      try {
        decoder.push(chunk);
      } catch (error) {
        if (error instanceof SseEventTooLargeError) {
          throw new UpstreamResponseTooLargeError(`Provider sent an event over the gateway's limit of ${error.limitBytes} bytes (maxEventBytes).`);
        }
        throw error;
      }
      if (pending !== '') yield take();
    }
    decoder.end();
    // A stream cut before its terminal event still gets the trailer: the caller may want the cost.
    writeTrailerOnce();
    if (pending !== '') yield take();
  }

  return { stream: run(), outputChars: () => outputChars };
}
