import type { EncodeContext, ResponseEncoder, StreamEvent } from '../../canonical/events';
import { streamErrorEvent } from '../../errors/serialize';
import { toAnthropicUsage } from '../../providers/anthropic/usage';
import type { TokenUsage } from '../../canonical/usage';
import { encodeSseEvent } from '../../sse/encoder';
import { BlockSequencer, type AnthropicFrame } from './block-sequencer';
import { collectMessage } from './messages-json';
import { withSilencePings } from './silence-pings';
import { messageId, stopReason } from './wire-shapes';
import { encodeSseComment } from '../../sse/encoder';

export interface AnthropicEncoderOptions {
  /**
   * Silence after which `event: ping` is written. Claude Code aborts a stream after ~15–20 s without an
   * event (comments do not count, pings do), so 10 s leaves margin. @default 10000
   */
  readonly pingIntervalMs?: number;
}

const DEFAULT_PING_INTERVAL_MS = 10_000;
const PING_FRAME = encodeSseEvent({ event: 'ping', data: '{"type":"ping"}' });

function frameText(frame: AnthropicFrame): string {
  return encodeSseEvent({ event: frame.event, data: JSON.stringify(frame.data) });
}

/**
 * Canonical events → Anthropic Messages SSE, every frame with its `event:` line (the SDK dispatches on
 * it). `message_delta` (stop reason and the full final usage, which Claude Code reads) is held until the
 * source ends, because OpenAI-side usage arrives after the finish reason; then the trailer comment,
 * then `message_stop`. A failure writes `event: error` in Anthropic's shape and is rethrown.
 */
async function* encodeStream(events: AsyncIterable<StreamEvent>, context: EncodeContext, pingIntervalMs: number): AsyncGenerator<Uint8Array> {
  const blocks = new BlockSequencer();
  let usage: TokenUsage | undefined;
  let finish: Extract<StreamEvent, { type: 'finish' }> | undefined;
  let started = false;
  const startFrame = (): string => frameText({
    event: 'message_start',
    data: {
      type: 'message_start',
      message: {
        id: messageId(context.requestId), type: 'message', role: 'assistant', model: context.model, content: [],
        stop_reason: null, stop_sequence: null, usage: toAnthropicUsage(usage),
      },
    },
  });
  try {
    for await (const step of withSilencePings(events, pingIntervalMs)) {
      if (step.ping) {
        yield Buffer.from(PING_FRAME, 'utf8');
        continue;
      }
      const event = step.value;
      let out = '';
      if (event.type === 'message_start') {
        if (started) continue;
        started = true;
        out = startFrame();
      } else if (event.type === 'usage') {
        usage = event.usage;
      } else if (event.type === 'finish') {
        finish = event;
        for (const frame of blocks.closeAll()) out += frameText(frame);
      } else {
        for (const frame of blocks.push(event)) out += frameText(frame);
      }
      if (out !== '') yield Buffer.from(out, 'utf8');
    }
    let out = started ? '' : startFrame();
    for (const frame of blocks.closeAll()) out += frameText(frame);
    const reason = stopReason(finish, blocks.sawToolCalls);
    const stopSequence = reason === 'stop_sequence' ? finish?.stopSequence ?? null : null;
    out += frameText({
      event: 'message_delta',
      data: { type: 'message_delta', delta: { stop_reason: reason, stop_sequence: stopSequence }, usage: { ...toAnthropicUsage(usage), ...(usage === undefined ? {} : context.usageExtras(usage)) } },
    });
    const trailer = context.trailer();
    if (trailer !== undefined && trailer !== '') out += encodeSseComment(trailer);
    out += frameText({ event: 'message_stop', data: { type: 'message_stop' } });
    yield Buffer.from(out, 'utf8');
  } catch (error) {
    yield Buffer.from(streamErrorEvent(error, 'anthropic', context.requestId), 'utf8');
    throw error;
  }
}

export function createAnthropicMessagesEncoder(options: AnthropicEncoderOptions = {}): ResponseEncoder {
  const pingIntervalMs = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
  return {
    encodeStream: (events, context) => encodeStream(events, context, pingIntervalMs),
    async encodeJson(events, context) {
      return JSON.stringify(await collectMessage(events, context));
    },
  };
}

export const anthropicMessagesEncoder: ResponseEncoder = createAnthropicMessagesEncoder();
