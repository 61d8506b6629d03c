import type { EncodeContext, ResponseEncoder, StreamEvent } from '../canonical/events';
import { InternalError } from '../errors/gateway-error';
import type { OutboundResponse } from '../http/types';
import type { ProviderResult } from '../providers/provider';
import { formatCost } from './metering';
import { meterStream } from './metered-stream';
import type { GatewayCall } from './types';
import type { UsageTracker } from './usage-tracker';

type EventsResult = Extract<ProviderResult, { kind: 'events' }>;

/** Generated characters in an event: the basis of an estimate when a stream breaks before its usage. */
function generatedChars(event: StreamEvent): number {
  switch (event.type) {
    case 'text_delta':
    case 'thinking_delta':
      return event.text.length;
    case 'tool_call_delta':
      return event.arguments.length;
    default:
      return 0;
  }
}

/**
 * Passes a provider's events on to the caller's encoder, metering on the way: usage events are
 * reported as they come (so the encoder's usage fields and the trailer carry the cost), generated text
 * is counted for the estimate of a stream that breaks off.
 */
class EventMeter {
  private chars = 0;

  constructor(private readonly usage: UsageTracker) {}

  outputChars(): number {
    return this.chars;
  }

  async *observe(events: AsyncIterable<StreamEvent>): AsyncGenerator<StreamEvent> {
    for await (const event of events) {
      if (event.type === 'usage') this.usage.report(event.usage);
      else this.chars += generatedChars(event);
      yield event;
    }
  }
}

function encoderOf(call: GatewayCall): ResponseEncoder {
  // Routes of pass-through-only APIs have no encoder, and adapters never translate for them.
  if (call.encoder === undefined) throw new InternalError(`No encoder for ${call.format} answers.`);
  return call.encoder;
}

/** The text of the cost comment every stream ends with: `gatellm {"request_id","cost_usd","usage_estimated"}`. */
export function costTrailerText(call: GatewayCall, usage: UsageTracker): string {
  const { costUsd, estimated } = usage.current();
  return `gatellm ${JSON.stringify({ request_id: call.requestId, cost_usd: costUsd, usage_estimated: estimated })}`;
}

function encodeContext(call: GatewayCall, usage: UsageTracker): EncodeContext {
  return {
    requestId: call.requestId,
    model: call.model,
    tools: call.canonical.tools,
    createdAt: Math.floor(Date.now() / 1000),
    includeUsage: call.canonical.streamIncludeUsage,
    usageExtras: () => ({ cost_usd: usage.current().costUsd }),
    trailer: () => costTrailerText(call, usage),
  };
}

/** A translated JSON answer: all events collected by the caller's encoder, then one record. */
export async function translatedJson(call: GatewayCall, result: EventsResult, usage: UsageTracker): Promise<OutboundResponse> {
  const meter = new EventMeter(usage);
  const body = await encoderOf(call).encodeJson(meter.observe(result.events), encodeContext(call, usage));
  const record = usage.finish({ httpStatus: 200, status: 'ok', ttftMs: performance.now() - call.receivedAt, outputChars: meter.outputChars() });
  return {
    status: 200,
    headers: { ...result.headers, 'content-type': 'application/json', 'x-gatellm-cost-usd': formatCost(record?.costUsd ?? 0) },
    body,
  };
}

/**
 * A translated stream: provider events → meter → the caller's encoder → bytes. The encoder writes a
 * provider failure as its own format's error frame, so the metered stream adds none of its own.
 */
export function translatedStream(call: GatewayCall, result: EventsResult, usage: UsageTracker): OutboundResponse {
  const meter = new EventMeter(usage);
  const bytes = encoderOf(call).encodeStream(meter.observe(result.events), encodeContext(call, usage));
  const body = meterStream(bytes, {
    receivedAt: call.receivedAt,
    clientGone: () => call.signal.aborted,
    outputChars: () => meter.outputChars(),
    finish: (outcome) => usage.finish(outcome),
  });
  return {
    status: 200,
    headers: { ...result.headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
    body,
  };
}
