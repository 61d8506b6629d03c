import type { CanonicalRequest, ContentPart } from '../canonical/request';

/** Where a scanned text came from: tool-call arguments are JSON text, everything else plain text. */
export type TextKind = 'text' | 'json';

export interface PromptText {
  readonly text: string;
  readonly kind: TextKind;
}

export interface PromptTexts {
  readonly texts: readonly PromptText[];
  /** Images, binary and replayed reasoning parts: not scanned, and the record says how many. */
  readonly skippedParts: number;
}

/**
 * Every piece of prompt text of a request, read from the canonical request so that every inbound API
 * (Chat, Responses input items, Messages, legacy prompts, embeddings inputs) is covered alike: system
 * blocks, message text, tool-call arguments and tool results.
 *
 * Not scanned, and counted as skipped: images, Anthropic's encrypted reasoning, and reasoning text the
 * model wrote earlier and the client replays — its signature must travel byte-exact, so it could not be
 * redacted anyway, and its author is the provider. Tool definitions are the client's own schemas, not
 * user data, and are not scanned either.
 */
export function promptTexts(canonical: CanonicalRequest): PromptTexts {
  const texts: PromptText[] = [];
  let skippedParts = 0;
  const visit = (part: ContentPart): void => {
    switch (part.type) {
      case 'text':
        if (part.text.length > 0) texts.push({ text: part.text, kind: 'text' });
        return;
      case 'tool_call':
        if (part.arguments.length > 2) texts.push({ text: part.arguments, kind: 'json' });
        return;
      case 'tool_result':
        for (const inner of part.content) visit(inner);
        return;
      case 'image':
      case 'thinking':
      case 'redacted_thinking':
        skippedParts += 1;
        return;
    }
  };
  for (const part of canonical.system) visit(part);
  for (const message of canonical.messages) for (const part of message.content) visit(part);
  return { texts, skippedParts };
}
