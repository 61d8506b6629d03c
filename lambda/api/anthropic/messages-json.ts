import type { EncodeContext, StreamEvent } from '../../canonical/events';
import { toAnthropicUsage } from '../../providers/anthropic/usage';
import type { TokenUsage } from '../../canonical/usage';
import { messageId, stopReason } from './wire-shapes';

type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

interface PendingTool {
  readonly block: { type: 'tool_use'; id: string; name: string; input: unknown };
  arguments: string;
}

/** Tool arguments as the `input` object: `{}` when empty; text that is not JSON is kept as a string. */
function parseInput(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The events of a whole answer as Anthropic's Message object. Blocks appear in the order they began;
 * parallel tool calls each get their own block (arguments joined per call index).
 */
export async function collectMessage(events: AsyncIterable<StreamEvent>, context: EncodeContext): Promise<Record<string, unknown>> {
  const content: ContentBlock[] = [];
  const tools = new Map<number, PendingTool>();
  let usage: TokenUsage | undefined;
  let finish: Extract<StreamEvent, { type: 'finish' }> | undefined;
  const last = (): ContentBlock | undefined => content.at(-1);
  for await (const event of events) {
    switch (event.type) {
      case 'text_delta': {
        const tail = last();
        if (tail?.type === 'text') tail.text += event.text;
        else content.push({ type: 'text', text: event.text });
        break;
      }
      case 'thinking_delta': {
        const tail = last();
        if (tail?.type === 'thinking' && tail.signature === '') tail.thinking += event.text;
        else content.push({ type: 'thinking', thinking: event.text, signature: '' });
        break;
      }
      case 'thinking_signature': {
        const tail = last();
        if (tail?.type === 'thinking') tail.signature += event.signature;
        else content.push({ type: 'thinking', thinking: '', signature: event.signature });
        break;
      }
      case 'redacted_thinking':
        content.push({ type: 'redacted_thinking', data: event.data });
        break;
      case 'tool_call_start': {
        const pending: PendingTool = { block: { type: 'tool_use', id: event.id, name: event.name, input: {} }, arguments: '' };
        tools.set(event.index, pending);
        content.push(pending.block);
        break;
      }
      case 'tool_call_delta': {
        const pending = tools.get(event.index);
        if (pending !== undefined) pending.arguments += event.arguments;
        break;
      }
      case 'finish':
        finish = event;
        break;
      case 'usage':
        usage = event.usage;
        break;
      default:
        break;
    }
  }
  for (const pending of tools.values()) pending.block.input = parseInput(pending.arguments);
  const reason = stopReason(finish, tools.size > 0);
  return {
    id: messageId(context.requestId),
    type: 'message',
    role: 'assistant',
    model: context.model,
    content,
    stop_reason: reason,
    stop_sequence: reason === 'stop_sequence' ? finish?.stopSequence ?? null : null,
    usage: { ...toAnthropicUsage(usage), ...(usage === undefined ? {} : context.usageExtras(usage)) },
  };
}
