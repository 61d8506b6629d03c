import type { StreamEvent } from '../../../canonical/events';
import { UpstreamError } from '../../../errors/gateway-error';
import { finishReasonOf, isRecord, responsesFailure } from './failure';
import { parseResponsesUsage } from './usage';

type Json = Readonly<Record<string, unknown>>;

function texts(parts: unknown, keys: readonly string[]): string[] {
  if (!Array.isArray(parts)) return [];
  const found: string[] = [];
  for (const part of parts) {
    if (!isRecord(part)) continue;
    for (const key of keys) {
      const value = part[key];
      if (typeof value === 'string' && value !== '') found.push(value);
    }
  }
  return found;
}

/** The events one output item stands for; `toolIndex` is the index its call would get. */
function itemEvents(item: Json, toolIndex: number): StreamEvent[] {
  switch (item.type) {
    case 'message':
      // output_text carries `text`, refusal parts carry `refusal`: both are what the model said.
      return texts(item.content, ['text', 'refusal']).map((text) => ({ type: 'text_delta', text }));
    case 'reasoning': {
      const summary = texts(item.summary, ['text']);
      const thinking = summary.length > 0 ? summary : texts(item.content, ['text']);
      return thinking.length > 0 ? [{ type: 'thinking_delta', text: thinking.join('\n\n') }] : [];
    }
    case 'function_call': {
      const args = typeof item.arguments === 'string' && item.arguments !== '' ? item.arguments : '{}';
      return [
        { type: 'tool_call_start', index: toolIndex, id: typeof item.call_id === 'string' ? item.call_id : '', name: typeof item.name === 'string' ? item.name : '' },
        { type: 'tool_call_delta', index: toolIndex, arguments: args },
        { type: 'tool_call_end', index: toolIndex },
      ];
    }
    default:
      return []; // Hosted-tool items (web search, …) have no canonical form; their effect is in the text.
  }
}

/** A whole Responses answer (`POST /v1/responses` with `stream: false`) as the same events a stream gives. */
export function decodeResponsesJson(body: unknown): StreamEvent[] {
  if (!isRecord(body)) throw new UpstreamError('The provider answered with something other than a Response object.');
  if (body.status === 'failed' || isRecord(body.error)) throw responsesFailure(body.error);
  const events: StreamEvent[] = [{
    type: 'message_start',
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
  }];
  let toolCalls = 0;
  for (const item of Array.isArray(body.output) ? body.output : []) {
    if (!isRecord(item)) continue;
    events.push(...itemEvents(item, toolCalls));
    if (item.type === 'function_call') toolCalls++;
  }
  events.push({ type: 'finish', reason: finishReasonOf(body, toolCalls > 0) });
  const usage = parseResponsesUsage(body.usage);
  if (usage !== undefined) events.push({ type: 'usage', usage });
  return events;
}
