import type { FinishReason, StreamEvent } from '../../canonical/events';

/** Anthropic `stop_reason` for each canonical finish reason (research/translation.md §5). */
export const STOP_REASONS: Readonly<Record<FinishReason, string>> = {
  stop: 'end_turn',
  stop_sequence: 'stop_sequence',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/**
 * `msg_` + the request id's letters and digits: stable per request, so a log line, the `request-id`
 * header and the message id can be matched, and within Anthropic's own id alphabet.
 */
export function messageId(requestId: string): string {
  return `msg_${requestId.replace(/^req_/, '').replace(/[^A-Za-z0-9]/g, '')}`;
}

/** A turn that made tool calls ends in `tool_use` unless it was cut short (max_tokens, refusal). */
export function stopReason(finish: Extract<StreamEvent, { type: 'finish' }> | undefined, sawToolCalls: boolean): string {
  const reason = finish?.reason ?? 'stop';
  return sawToolCalls && (reason === 'stop' || reason === 'stop_sequence') ? STOP_REASONS.tool_calls : STOP_REASONS[reason];
}
