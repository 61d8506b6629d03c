import type { CanonicalRequest, ContentPart } from '../../canonical/request';

/**
 * A local estimate of a request's input tokens, for `POST /v1/messages/count_tokens` on models whose
 * provider has no counting endpoint. Claude Code trusts the number to decide when to compact, so it
 * must count everything that is sent (system, every message part, tool definitions), never return 0
 * for a real prompt, and rather over- than under-count:
 *  - text of every kind (system, message text, thinking, tool-call arguments, tool-result text, tool
 *    names, descriptions and JSON-serialised input schemas): characters / 4, rounded up — about what
 *    BPE tokenisers give for English and code;
 *  - per message: 4 tokens of role and framing; per tool: 8 tokens of framing;
 *  - per image: a flat 1,600 tokens (Anthropic's cost of a ~1.15 megapixel image, the size it scales
 *    larger images down to); redacted thinking: its data / 4.
 */
const CHARS_PER_TOKEN = 4;
const MESSAGE_OVERHEAD = 4;
const TOOL_OVERHEAD = 8;
const IMAGE_TOKENS = 1600;

function partChars(part: ContentPart): { chars: number; images: number } {
  switch (part.type) {
    case 'text':
      return { chars: part.text.length, images: 0 };
    case 'thinking':
      return { chars: part.text.length, images: 0 };
    case 'redacted_thinking':
      return { chars: part.data.length, images: 0 };
    case 'image':
      return { chars: 0, images: 1 };
    case 'tool_call':
      return { chars: part.name.length + part.arguments.length, images: 0 };
    case 'tool_result': {
      let chars = 0;
      let images = 0;
      for (const inner of part.content) {
        if (inner.type === 'text') chars += inner.text.length;
        else images += 1;
      }
      return { chars, images };
    }
  }
}

export function estimateInputTokens(request: CanonicalRequest): number {
  let chars = 0;
  let images = 0;
  let overhead = 0;
  for (const block of request.system) chars += block.text.length;
  for (const message of request.messages) {
    overhead += MESSAGE_OVERHEAD;
    for (const part of message.content) {
      const counted = partChars(part);
      chars += counted.chars;
      images += counted.images;
    }
  }
  for (const tool of request.tools) {
    overhead += TOOL_OVERHEAD;
    chars += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.inputSchema).length;
  }
  return Math.ceil(chars / CHARS_PER_TOKEN) + images * IMAGE_TOKENS + overhead;
}
