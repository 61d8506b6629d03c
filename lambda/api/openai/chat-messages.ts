import type {
  CanonicalMessage, ContentPart, ImagePart, TextPart, ToolResultPart,
} from '../../canonical/request';

/**
 * Chat `messages` → canonical system and turns. Everything a translation could not carry is recorded
 * in `sameFormatOnly` by path (`messages[3].content[1]`), never thrown: a provider speaking Chat gets the
 * caller's body untouched and may well understand it.
 *
 *  - `system` and `developer` messages become system text, wherever they are: a system message in the
 *    middle of the conversation is appended to the system prompt (the formats we translate to have
 *    one system prompt, in front);
 *  - `tool` messages become tool_result parts of a user turn; consecutive ones share that turn, in order;
 *  - `reasoning_content` of assistant messages (DeepSeek's replay field) becomes a thinking part
 *    without signature; a `refusal` is kept as text;
 *  - `function` messages, legacy `function_call`, audio and file parts are Chat-only.
 */

type Json = Readonly<Record<string, unknown>>;

export interface ParsedMessages {
  readonly system: TextPart[];
  readonly messages: CanonicalMessage[];
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** An `image_url` part: a data URL becomes a base64 source (what Anthropic requires), any other URL stays one. */
export function imageFromUrl(url: string): ImagePart {
  const data = DATA_URL.exec(url);
  if (data?.[1] !== undefined && data[2] !== undefined) return { type: 'image', source: { kind: 'base64', mediaType: data[1], data: data[2] } };
  return { type: 'image', source: { kind: 'url', url } };
}

class MessageParser {
  readonly system: TextPart[] = [];
  readonly messages: CanonicalMessage[] = [];
  /** The user turn consecutive `tool` messages are collecting into, if the last message was one. */
  private toolTurn: ToolResultPart[] | undefined;

  constructor(private readonly sameFormatOnly: string[]) {}

  message(message: Json, path: string): void {
    const role = message.role;
    if (role !== 'tool') this.toolTurn = undefined;
    switch (role) {
      case 'system':
      case 'developer':
        this.system.push(...this.textParts(message.content, `${path}.content`));
        return;
      case 'user':
        this.messages.push({ role: 'user', content: this.userParts(message.content, `${path}.content`) });
        return;
      case 'assistant':
        this.messages.push({ role: 'assistant', content: this.assistantParts(message, path) });
        return;
      case 'tool':
        this.toolResult(message, path);
        return;
      case 'function':
        this.sameFormatOnly.push(path);
        return;
      default:
        this.sameFormatOnly.push(`${path}.role`);
    }
  }

  /** Text-only content (system, developer, tool, assistant text parts). */
  private textParts(content: unknown, path: string): TextPart[] {
    if (content === undefined || content === null) return [];
    if (typeof content === 'string') return [{ type: 'text', text: content }];
    if (!Array.isArray(content)) {
      this.sameFormatOnly.push(path);
      return [];
    }
    const parts: TextPart[] = [];
    (content as unknown[]).forEach((part, index) => {
      if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') parts.push({ type: 'text', text: part.text });
      else this.sameFormatOnly.push(`${path}[${index}]`);
    });
    return parts;
  }

  private userParts(content: unknown, path: string): (TextPart | ImagePart)[] {
    if (!Array.isArray(content)) return this.textParts(content, path);
    const parts: (TextPart | ImagePart)[] = [];
    (content as unknown[]).forEach((part, index) => {
      if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') {
        parts.push({ type: 'text', text: part.text });
      } else if (isRecord(part) && part.type === 'image_url' && isRecord(part.image_url) && typeof part.image_url.url === 'string') {
        // `detail` is a resolution hint other formats do not have; the image itself is what matters.
        parts.push(imageFromUrl(part.image_url.url));
      } else {
        // input_audio, file and anything newer: no other format we speak takes them.
        this.sameFormatOnly.push(`${path}[${index}]`);
      }
    });
    return parts;
  }

  private assistantParts(message: Json, path: string): ContentPart[] {
    const parts: ContentPart[] = [];
    if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') {
      parts.push({ type: 'thinking', text: message.reasoning_content });
    }
    const content = message.content;
    if (Array.isArray(content)) {
      (content as unknown[]).forEach((part, index) => {
        if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') parts.push({ type: 'text', text: part.text });
        else if (isRecord(part) && part.type === 'refusal' && typeof part.refusal === 'string') parts.push({ type: 'text', text: part.refusal });
        else this.sameFormatOnly.push(`${path}.content[${index}]`);
      });
    } else {
      parts.push(...this.textParts(content, `${path}.content`));
    }
    if (typeof message.refusal === 'string' && message.refusal !== '') parts.push({ type: 'text', text: message.refusal });
    if (Array.isArray(message.tool_calls)) {
      (message.tool_calls as unknown[]).forEach((call, index) => {
        const fn = isRecord(call) ? call.function : undefined;
        if (isRecord(call) && call.type === 'function' && typeof call.id === 'string' && isRecord(fn) && typeof fn.name === 'string') {
          const args = typeof fn.arguments === 'string' && fn.arguments !== '' ? fn.arguments : '{}';
          parts.push({ type: 'tool_call', id: call.id, name: fn.name, arguments: args });
        } else {
          this.sameFormatOnly.push(`${path}.tool_calls[${index}]`);
        }
      });
    }
    for (const field of ['function_call', 'audio'] as const) {
      if (message[field] !== undefined && message[field] !== null) this.sameFormatOnly.push(`${path}.${field}`);
    }
    return parts;
  }

  private toolResult(message: Json, path: string): void {
    if (typeof message.tool_call_id !== 'string') {
      this.sameFormatOnly.push(`${path}.tool_call_id`);
      return;
    }
    const result: ToolResultPart = {
      type: 'tool_result',
      toolCallId: message.tool_call_id,
      content: this.textParts(message.content, `${path}.content`),
      isError: false,
    };
    if (this.toolTurn === undefined) {
      this.toolTurn = [];
      this.messages.push({ role: 'user', content: this.toolTurn });
    }
    this.toolTurn.push(result);
  }
}

/**
 * Parses validated Chat messages (an array of objects with a string `role`, checked by
 * request-validation.ts). Appends Chat-only paths to `sameFormatOnly`.
 */
export function parseChatMessages(messages: readonly unknown[], sameFormatOnly: string[]): ParsedMessages {
  const parser = new MessageParser(sameFormatOnly);
  messages.forEach((message, index) => {
    if (isRecord(message)) parser.message(message, `messages[${index}]`);
    else sameFormatOnly.push(`messages[${index}]`);
  });
  return { system: parser.system, messages: parser.messages };
}
