import { UpstreamResponseTooLargeError } from '../../errors/gateway-error';
import { createSseDecoder, SseEventTooLargeError, type SseEvent } from '../../sse/decoder';
import { encodeSseComment, encodeSseEvent, SSE_DONE } from '../../sse/encoder';
import type { PassThroughTap } from '../pass-through-tap';
import { redactSecrets } from '../redact-secrets';
import type { TokenUsage } from '../../canonical/usage';
import { parseOpenAiUsage } from './usage';
import { closingQuote, decodedLength } from '../json-string-scan';

export interface ChatStreamTapOptions {
  /** Drop the usage-only chunk (`choices: []` with `usage`) because the caller did not ask for usage; the gateway asked the provider for it. */
  readonly stripUsageChunk: boolean;
  /** Called once when the provider reports usage; the returned fields (e.g. { cost_usd }) are merged into the `usage` object forwarded to the caller (only when not stripped). */
  readonly onUsage: (usage: TokenUsage) => Readonly<Record<string, unknown>> | undefined;
  /** SSE text written just before `data: [DONE]` (or at the very end when the upstream ends without [DONE]); called once at that moment. */
  readonly beforeDone?: () => string | undefined;
  /** One provider event longer than this ends the stream with 502 `upstream_response_too_large`. @default Infinity */
  readonly maxEventBytes?: number;
  /** Credentials this call was sent with; an event that contains one (a provider's error echoing it) is scrubbed. */
  readonly secrets?: readonly string[];
}

export interface ChatStreamStats {
  /** Events decoded from the provider, `[DONE]` and dropped usage chunks included. */
  readonly events: number;
  /**
   * UTF-16 length of the generated text seen: `content`, `refusal`, `reasoning(_content)`, tool-call
   * `arguments` fragments, and `text` (legacy completions chunks share this tap).
   */
  readonly outputChars: number;
  /** The provider reported a valid usage object. */
  readonly sawUsage: boolean;
  readonly sawDone: boolean;
  /** The last non-null `finish_reason`. */
  readonly finishReason?: string;
}

/** The Chat pass-through tap: the common PassThroughTap shape, plus the counters its tests and benchmarks read. */
export interface ChatStreamTap extends PassThroughTap {
  readonly stats: () => ChatStreamStats;
}

/**
 * Where the tap's iterator is. Only `streaming` pulls from the source; the others answer `done`.
 *  - `ended`: the source finished and the trailer was written;
 *  - `failed`: the source or a hook threw, and the error went to the consumer once;
 *  - `cancelled`: the consumer called return() (client gone) and the source was told to stop.
 */
type TapPhase = 'streaming' | 'ended' | 'failed' | 'cancelled';

const DONE_RESULT: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The one place JSON keys are looked for without parsing: generated text (counted), `finish_reason`
 * (recorded) and a `usage` *object* (`"usage":null` on every include_usage chunk does not match).
 * Inside a JSON string every `"` is escaped, so `"key":"` can only match real structure.
 */
const SCAN_PATTERN = String.raw`"(content|arguments|text|reasoning_content|reasoning|refusal|finish_reason)"\s*:\s*"|"usage"\s*:\s*\{`;

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Taps an OpenAI chat-completions SSE stream on its way to the caller: decode → observe/transform →
 * encode, one network chunk at a time. Everything decoded from a chunk is written as one output chunk
 * as soon as that chunk is processed: no event waits for input beyond its own end, nothing is delayed.
 *
 * Events are re-encoded as `data: …` (with `event:`/`id:` if present) — which also normalises CRLF
 * framing — and upstream comments (keep-alives) are forwarded. Only usage chunks are JSON-parsed: the
 * text count and `finish_reason` come from a single regex scan per event (see bench/sse-tap.bench.ts).
 *
 * A consumer's return() (client gone) calls return() on the source at once, so the upstream request is
 * torn down; source errors reach the consumer unchanged. The stream can be iterated once.
 *
 * @example
 * const tap = tapOpenAiChatStream(upstream.body, { stripUsageChunk: !callerWantsUsage, onUsage: (u) => ({ cost_usd: price(u) }) });
 * for await (const bytes of tap.stream) write(bytes);
 * metering.outputChars = tap.stats().outputChars;
 */
export function tapOpenAiChatStream(
  source: AsyncIterable<Uint8Array>,
  options: ChatStreamTapOptions,
): ChatStreamTap {
  const scanPattern = new RegExp(SCAN_PATTERN, 'g');
  let events = 0;
  let outputChars = 0;
  let sawUsage = false;
  let sawDone = false;
  let usageReported = false;
  let trailerWritten = false;
  let finishReason: string | undefined;
  /** SSE text produced from the current source chunk, handed out as one Uint8Array. */
  let pending = '';

  /** Updates the counters from one event's data; true when it carries a `usage` object. */
  function scan(data: string): boolean {
    let hasUsage = false;
    scanPattern.lastIndex = 0;
    for (let match = scanPattern.exec(data); match !== null; match = scanPattern.exec(data)) {
      const key = match[1];
      if (key === undefined) {
        hasUsage = true;
        continue;
      }
      const start = scanPattern.lastIndex;
      const end = closingQuote(data, start);
      if (end === -1) break; // Not valid JSON; a rough count is all this feeds anyway.
      if (key === 'finish_reason') finishReason = data.slice(start, end);
      else outputChars += decodedLength(data, start, end);
      scanPattern.lastIndex = end + 1;
    }
    return hasUsage;
  }

  /** The usage chunk as forwarded, or undefined to drop it. Reports usage once. */
  function rewriteUsageChunk(data: string): string | undefined {
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return data; // Not JSON after all: not ours to judge, forward untouched.
    }
    if (!isRecord(chunk) || !isRecord(chunk.usage)) return data;
    const { usage: rawUsage, ...withoutUsage } = chunk;
    const usage = parseOpenAiUsage(rawUsage);
    let extra: Readonly<Record<string, unknown>> | undefined;
    if (usage !== undefined) {
      sawUsage = true;
      if (!usageReported) {
        usageReported = true;
        extra = options.onUsage(usage);
      }
    }
    if (options.stripUsageChunk) {
      // Compatible providers may put usage on a chunk that still carries choices; those must reach the caller.
      const choices = chunk.choices;
      return Array.isArray(choices) && choices.length > 0 ? JSON.stringify(withoutUsage) : undefined;
    }
    if (extra === undefined || Object.keys(extra).length === 0) return data;
    // Spread over the parsed chunk so `usage` keeps its position among the keys.
    return JSON.stringify({ ...chunk, usage: { ...rawUsage, ...extra } });
  }

  function writeTrailerOnce(): void {
    if (trailerWritten) return;
    trailerWritten = true;
    pending += options.beforeDone?.() ?? '';
  }

  const secrets = (options.secrets ?? []).filter((secret) => secret.length > 0);
  const containsSecret = (data: string): boolean => secrets.some((secret) => data.includes(secret));

  function onEvent(event: SseEvent): void {
    events++;
    const data = event.data;
    if (data === '[DONE]') {
      sawDone = true;
      writeTrailerOnce();
      pending += SSE_DONE;
      return;
    }
    const scanned = scan(data) ? rewriteUsageChunk(data) : data;
    if (scanned === undefined) return;
    const forward = containsSecret(scanned) ? redactSecrets(scanned, secrets) : scanned;
    pending += encodeSseEvent(forward === data ? event : { ...event, data: forward });
  }

  const decoder = createSseDecoder(onEvent, {
    onComment: (text) => { pending += encodeSseComment(text); },
    ...(options.maxEventBytes === undefined ? {} : { maxEventBytes: options.maxEventBytes }),
  });
  let phase: TapPhase = 'streaming';
  // Read through a function: TypeScript would otherwise keep `phase` narrowed across awaits,
  // during which return() may change it.
  const isStreaming = (): boolean => phase === 'streaming';
  let upstream: AsyncIterator<Uint8Array> | undefined;
  let reading = false;
  /** next() calls not yet answered, and the latest answer: an overlapping call waits for it. */
  let unanswered = 0;
  let latest: Promise<IteratorResult<Uint8Array, undefined>> = Promise.resolve(DONE_RESULT);

  /** Tells the source to stop; its teardown errors are irrelevant to a consumer that has gone. */
  function closeUpstream(): Promise<void> {
    try {
      const closing = upstream?.return?.();
      return closing === undefined ? Promise.resolve() : closing.then(() => undefined, () => undefined);
    } catch {
      return Promise.resolve();
    }
  }

  function takePending(): IteratorResult<Uint8Array, undefined> | undefined {
    if (pending === '') return undefined;
    // Buffer.from allocates small chunks from Node's pool: ~4x cheaper than TextEncoder.encode here
    // (bench/sse-tap.bench.ts). A Buffer is a Uint8Array; consumers must not assume it owns `.buffer`.
    const value = Buffer.from(pending, 'utf8');
    pending = '';
    return { done: false, value };
  }

  /** Reads the source until a chunk yields output or the stream is over; one call per next(). */
  async function pull(): Promise<IteratorResult<Uint8Array, undefined>> {
    try {
      while (isStreaming()) {
        upstream ??= source[Symbol.asyncIterator]();
        let step: IteratorResult<Uint8Array>;
        reading = true;
        try {
          step = await upstream.next();
        } catch (error) {
          if (!isStreaming()) return DONE_RESULT; // The consumer left; the error is the teardown's echo.
          phase = 'failed';
          throw error;
        } finally {
          reading = false;
        }
        if (!isStreaming()) return DONE_RESULT;
        try {
          if (step.done === true) {
            decoder.end();
            writeTrailerOnce();
            phase = 'ended';
          } else {
            decoder.push(step.value);
          }
        } catch (error) {
          // A hook (onUsage, beforeDone) threw or an event was too large: fail the stream, and do not
          // leave the upstream open.
          phase = 'failed';
          await closeUpstream();
          if (error instanceof SseEventTooLargeError) {
            throw new UpstreamResponseTooLargeError(`Provider sent an event over the gateway's limit of ${error.limitBytes} bytes (maxEventBytes).`);
          }
          throw error;
        }
        const result = takePending();
        if (result !== undefined) return result;
      }
      return DONE_RESULT;
    } finally {
      unanswered--;
    }
  }

  const iterator: AsyncIterator<Uint8Array, undefined> = {
    next() {
      // Overlapping next() calls (for-await never makes them) are served one after the other, so
      // answers keep their order; the common, sequential case pays for no extra promise.
      const overlapping = unanswered > 0;
      unanswered++;
      latest = overlapping ? latest.then(pull, pull) : pull();
      return latest;
    },
    async return() {
      if (!isStreaming()) return DONE_RESULT;
      phase = 'cancelled';
      const closing = closeUpstream();
      // An async-generator source queues return() behind a pending next(), which may be waiting for
      // the provider's next token; the call has been made, so do not hold the consumer hostage to it.
      if (!reading) await closing;
      return DONE_RESULT;
    },
  };

  let iterated = false;
  const stream: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]() {
      if (iterated) throw new Error('tapOpenAiChatStream: the stream can only be iterated once.');
      iterated = true;
      return iterator;
    },
  };

  const stats = (): ChatStreamStats => ({
    events,
    outputChars,
    sawUsage,
    sawDone,
    ...(finishReason === undefined ? {} : { finishReason }),
  });

  return { stream, stats, outputChars: () => outputChars };
}
