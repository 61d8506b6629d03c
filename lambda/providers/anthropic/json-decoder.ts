import type { StreamEvent } from '../../canonical/events';
import { UpstreamError } from '../../errors/gateway-error';
import { finishReasonOf } from './stream-decoder';
import { parseAnthropicUsage } from './usage';

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function blockEvents(block: Readonly<Record<string, unknown>>, toolIndex: () => number): StreamEvent[] {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? [{ type: 'text_delta', text: block.text }] : [];
    case 'thinking': {
      const events: StreamEvent[] = [];
      if (typeof block.thinking === 'string' && block.thinking !== '') events.push({ type: 'thinking_delta', text: block.thinking });
      if (typeof block.signature === 'string' && block.signature !== '') events.push({ type: 'thinking_signature', signature: block.signature });
      return events;
    }
    case 'redacted_thinking':
      return typeof block.data === 'string' ? [{ type: 'redacted_thinking', data: block.data }] : [];
    case 'tool_use': {
      const index = toolIndex();
      return [
        { type: 'tool_call_start', index, id: typeof block.id === 'string' ? block.id : '', name: typeof block.name === 'string' ? block.name : '' },
        { type: 'tool_call_delta', index, arguments: JSON.stringify(block.input ?? {}) },
        { type: 'tool_call_end', index },
      ];
    }
    default:
      return [];
  }
}

/** An Anthropic Message object (a non-streamed answer) → the same events its stream would give. */
export function decodeMessagesJson(body: unknown): StreamEvent[] {
  if (!isRecord(body) || body.type !== 'message') throw new UpstreamError('The provider returned an unexpected answer.');
  const events: StreamEvent[] = [{
    type: 'message_start',
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
  }];
  let tools = 0;
  const nextToolIndex = (): number => tools++;
  const content = Array.isArray(body.content) ? body.content as unknown[] : [];
  for (const block of content) if (isRecord(block)) events.push(...blockEvents(block, nextToolIndex));
  const reason = tools > 0 && (body.stop_reason === 'end_turn' || body.stop_reason === 'stop_sequence') ? 'tool_calls' : finishReasonOf(body.stop_reason);
  events.push(reason === 'stop_sequence' && typeof body.stop_sequence === 'string'
    ? { type: 'finish', reason, stopSequence: body.stop_sequence }
    : { type: 'finish', reason });
  const usage = parseAnthropicUsage(body.usage);
  if (usage !== undefined) events.push({ type: 'usage', usage });
  return events;
}
