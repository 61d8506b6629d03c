import type { AnswerRewriter } from '../../core/stage';
import type { WireFormat } from '../../providers/provider';
import { restoreEvents } from './answer-events';
import { restoreJsonAnswer } from './answer-json';
import { createChatRewrite } from './chat-sse';
import { createMessagesRewrite } from './messages-sse';
import { compilePlaceholderTable, type PlaceholderTable } from './placeholder-table';
import { createResponsesRewrite } from './responses-sse';
import { rewriteSseStream, type SseRewrite } from './sse-rewrite';

export { compilePlaceholderTable } from './placeholder-table';
export { createTextRestorer, restoreText, type RestoreMode } from './text-restorer';

function sseRewrite(format: WireFormat, table: PlaceholderTable): SseRewrite | undefined {
  switch (format) {
    case 'openai-chat':
      return createChatRewrite(table, false);
    case 'openai-completions':
      return createChatRewrite(table, true);
    case 'anthropic-messages':
      return createMessagesRewrite(table);
    case 'openai-responses':
      return createResponsesRewrite(table);
    default:
      return undefined;
  }
}

/**
 * Puts redacted values back into the answer the caller sees: `originals` maps each placeholder of the
 * request (`[EMAIL_1]`) to the value it stands for. Placeholder-shaped text that is not a key — the
 * model's own `[NOTE_1]`, a placeholder of another request — is left exactly as it is, and so is
 * every answer without a placeholder in it (JSON bodies come back as the very same object; stream
 * events without one keep their bytes). Streams are restored across every split: deltas, network
 * chunks, UTF-8 sequences; at most a run that could still become a placeholder is held back.
 *
 * Throws a TypeError when a key is not placeholder-shaped (`[` + A–Z, 0–9, `_` + `]`).
 */
export function createAnswerRestorer(originals: ReadonlyMap<string, string>): AnswerRewriter {
  const table = compilePlaceholderTable(originals);
  if (table.size === 0) {
    return { json: (body) => body, stream: (bytes) => bytes, events: (events) => events };
  }
  return {
    json: (body, format) => restoreJsonAnswer(body, format, table),
    stream(bytes, format) {
      const rewrite = sseRewrite(format, table);
      return rewrite === undefined ? bytes : rewriteSseStream(bytes, rewrite);
    },
    events: (events) => restoreEvents(events, table),
  };
}
