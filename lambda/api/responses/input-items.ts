import { CUSTOM_TOOL_INPUT, namespacedToolName, type CanonicalMessage, type ContentPart, type ImagePart, type TextPart } from '../../canonical/request';
import { InvalidRequestError } from '../../errors/gateway-error';

type Json = Readonly<Record<string, unknown>>;

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function invalid(param: string, message: string, code: 'invalid_type' | 'invalid_value' | 'missing_required_parameter' = 'invalid_type'): never {
  throw new InvalidRequestError(`'${param}' ${message}.`, code, { param });
}

export function requiredString(record: Json, key: string, param: string): string {
  const value = record[key];
  if (value === undefined || value === null) invalid(`${param}.${key}`, 'is required', 'missing_required_parameter');
  if (typeof value !== 'string') invalid(`${param}.${key}`, 'must be a string');
  return value;
}

/** What the input items parse into: conversation turns, system text found among them, and what only OpenAI can honour. */
export interface ParsedInput {
  readonly system: TextPart[];
  readonly messages: CanonicalMessage[];
  readonly sameFormatOnly: string[];
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function image(part: Json, param: string, sameFormatOnly: string[]): ImagePart | undefined {
  const url = part.image_url;
  if (typeof url !== 'string') {
    if (part.file_id !== undefined && part.file_id !== null) sameFormatOnly.push(`${param}.file_id`);
    else invalid(`${param}.image_url`, 'must be a string');
    return undefined;
  }
  const data = DATA_URL.exec(url);
  if (data?.[1] !== undefined && data[2] !== undefined) return { type: 'image', source: { kind: 'base64', mediaType: data[1], data: data[2] } };
  return { type: 'image', source: { kind: 'url', url } };
}

/** One content part of a message or a function_call_output; undefined when only OpenAI can read it. */
function contentPart(part: unknown, param: string, sameFormatOnly: string[]): TextPart | ImagePart | undefined {
  if (!isJson(part)) invalid(param, 'must be an object');
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: requiredString(part, 'text', param) };
    case 'refusal':
      return { type: 'text', text: requiredString(part, 'refusal', param) };
    case 'input_image':
      return image(part, param, sameFormatOnly);
    default:
      if (typeof part.type !== 'string') invalid(`${param}.type`, 'must be a string');
      sameFormatOnly.push(`${param}.type`); // input_file, input_audio, …
      return undefined;
  }
}

function contentParts(content: unknown, param: string, sameFormatOnly: string[]): (TextPart | ImagePart)[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) invalid(param, 'must be a string or an array of content parts');
  const parts: (TextPart | ImagePart)[] = [];
  content.forEach((part: unknown, index) => {
    const parsed = contentPart(part, `${param}[${index}]`, sameFormatOnly);
    if (parsed !== undefined) parts.push(parsed);
  });
  return parts;
}

/** Summary text of a replayed reasoning item; its `encrypted_content` is OpenAI's alone and never leaves. */
function reasoningText(item: Json, param: string): string {
  const summary = item.summary;
  if (summary === undefined || summary === null) return '';
  if (!Array.isArray(summary)) invalid(`${param}.summary`, 'must be an array');
  const texts: string[] = [];
  summary.forEach((part: unknown, index) => {
    if (!isJson(part)) invalid(`${param}.summary[${index}]`, 'must be an object');
    texts.push(requiredString(part, 'text', `${param}.summary[${index}]`));
  });
  return texts.join('\n\n');
}

/**
 * Accumulates turns: consecutive items of the same role share one canonical message, so an assistant
 * message and the function calls after it form one turn, and consecutive function_call_outputs one user turn.
 */
class TurnBuilder {
  readonly messages: CanonicalMessage[] = [];
  private role: CanonicalMessage['role'] | undefined;
  private parts: ContentPart[] = [];

  add(role: CanonicalMessage['role'], parts: readonly ContentPart[]): void {
    if (parts.length === 0) return;
    if (role !== this.role) this.flush();
    this.role = role;
    this.parts.push(...parts);
  }

  flush(): void {
    if (this.role !== undefined && this.parts.length > 0) this.messages.push({ role: this.role, content: this.parts });
    this.role = undefined;
    this.parts = [];
  }
}

function messageItem(item: Json, param: string, turns: TurnBuilder, result: ParsedInput): void {
  const role = item.role;
  const parts = contentParts(item.content, `${param}.content`, result.sameFormatOnly);
  switch (role) {
    case 'user':
    case 'assistant':
      turns.add(role, parts);
      return;
    case 'system':
    case 'developer':
      for (const part of parts) if (part.type === 'text') result.system.push(part);
      return;
    default:
      if (role === undefined || role === null) invalid(`${param}.role`, 'is required', 'missing_required_parameter');
      invalid(`${param}.role`, "must be one of 'user', 'assistant', 'system', 'developer'", 'invalid_value');
  }
}

function functionCallOutput(item: Json, param: string, sameFormatOnly: string[]): ContentPart {
  const toolCallId = requiredString(item, 'call_id', param);
  const output = item.output;
  if (output === undefined || output === null) invalid(`${param}.output`, 'is required', 'missing_required_parameter');
  return { type: 'tool_result', toolCallId, content: contentParts(output, `${param}.output`, sameFormatOnly), isError: false };
}

/** A replayed call's tool name as other providers know it: namespaced tools are flattened (see ToolDefinition.namespace). */
function callName(item: Json, param: string): string {
  const name = requiredString(item, 'name', param);
  return typeof item.namespace === 'string' && item.namespace !== '' ? namespacedToolName(item.namespace, name) : name;
}

/** Responses `input` (a string, or an array of items) as canonical turns. */
export function parseInput(input: unknown): ParsedInput {
  const result: ParsedInput = { system: [], messages: [], sameFormatOnly: [] };
  if (typeof input === 'string') {
    result.messages.push({ role: 'user', content: [{ type: 'text', text: input }] });
    return result;
  }
  if (!Array.isArray(input)) invalid('input', 'must be a string or an array of input items');
  const turns = new TurnBuilder();
  input.forEach((item: unknown, index) => {
    const param = `input[${index}]`;
    if (!isJson(item)) invalid(param, 'must be an object');
    switch (item.type ?? 'message') {
      case 'message':
        messageItem(item, param, turns, result);
        break;
      case 'function_call': {
        // `call_id` pairs the call with its output; the item's own `id` (fc_…) is not the call's id.
        const args = requiredString(item, 'arguments', param);
        turns.add('assistant', [{ type: 'tool_call', id: requiredString(item, 'call_id', param), name: callName(item, param), arguments: args === '' ? '{}' : args }]);
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output':
        turns.add('user', [functionCallOutput(item, param, result.sameFormatOnly)]);
        break;
      case 'custom_tool_call': {
        // A custom tool is a one-string-argument function toward other providers (see customTool).
        const input = typeof item.input === 'string' ? item.input : invalid(`${param}.input`, 'must be a string');
        turns.add('assistant', [{
          type: 'tool_call', id: requiredString(item, 'call_id', param), name: callName(item, param),
          arguments: JSON.stringify({ [CUSTOM_TOOL_INPUT]: input }),
        }]);
        break;
      }
      case 'reasoning': {
        const text = reasoningText(item, param);
        // No signature: toward other formats this is readable history only, never a provider's proof.
        if (text !== '') turns.add('assistant', [{ type: 'thinking', text }]);
        break;
      }
      default:
        if (typeof item.type !== 'string') invalid(`${param}.type`, 'must be a string');
        // web_search_call, item_reference, …: OpenAI's own item kinds.
        result.sameFormatOnly.push(`${param}.type`);
    }
  });
  turns.flush();
  result.messages.push(...turns.messages);
  return result;
}
