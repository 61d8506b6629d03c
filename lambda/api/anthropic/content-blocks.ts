import type { ContentPart, ImagePart, TextPart, ToolResultPart } from '../../canonical/request';
import { invalid, readArray, readBoolean, readObject, readString, type JsonObject } from './field-readers';

/**
 * Anthropic content blocks → canonical parts. Blocks only Anthropic understands (documents, search
 * results, server-tool blocks, file-id images) are not errors: the request can still pass through to
 * Anthropic untouched, so their paths are recorded in `sameFormatOnly` and translation refuses them.
 */
export interface BlockContext {
  /** Paths of fields only an Anthropic provider can honour. */
  readonly sameFormatOnly: string[];
}

/** Anthropic image source → canonical image, or undefined for a source only Anthropic knows (`file`). */
function parseImage(block: JsonObject, param: string, context: BlockContext): ImagePart | undefined {
  const source = readObject(block.source, `${param}.source`);
  switch (source.type) {
    case 'base64':
      return {
        type: 'image',
        source: {
          kind: 'base64',
          mediaType: readString(source.media_type, `${param}.source.media_type`),
          data: readString(source.data, `${param}.source.data`),
        },
      };
    case 'url':
      return { type: 'image', source: { kind: 'url', url: readString(source.url, `${param}.source.url`) } };
    default:
      context.sameFormatOnly.push(`${param}.source`);
      return undefined;
  }
}

function parseToolResultContent(value: unknown, param: string, context: BlockContext): (TextPart | ImagePart)[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  const parts: (TextPart | ImagePart)[] = [];
  readArray(value, param).forEach((entry, index) => {
    const blockParam = `${param}[${index}]`;
    const block = readObject(entry, blockParam);
    if (block.type === 'text') parts.push({ type: 'text', text: readString(block.text, `${blockParam}.text`) });
    else if (block.type === 'image') {
      const image = parseImage(block, blockParam, context);
      if (image !== undefined) parts.push(image);
    } else context.sameFormatOnly.push(blockParam);
  });
  return parts;
}

function parseToolResult(block: JsonObject, param: string, context: BlockContext): ToolResultPart {
  return {
    type: 'tool_result',
    toolCallId: readString(block.tool_use_id, `${param}.tool_use_id`),
    content: parseToolResultContent(block.content, `${param}.content`, context),
    isError: block.is_error === undefined || block.is_error === null ? false : readBoolean(block.is_error, `${param}.is_error`),
  };
}

/** One content block; undefined when it is Anthropic-only (and recorded as such). */
function parseBlock(entry: unknown, param: string, context: BlockContext): ContentPart | undefined {
  const block = readObject(entry, param);
  switch (block.type) {
    case 'text':
      return { type: 'text', text: readString(block.text, `${param}.text`) };
    case 'image':
      return parseImage(block, param, context);
    case 'tool_use':
      return {
        type: 'tool_call',
        id: readString(block.id, `${param}.id`),
        name: readString(block.name, `${param}.name`),
        arguments: JSON.stringify(block.input === undefined ? {} : readObject(block.input, `${param}.input`)),
      };
    case 'tool_result':
      return parseToolResult(block, param, context);
    case 'thinking': {
      const text = readString(block.thinking, `${param}.thinking`);
      const signature = block.signature === undefined ? undefined : readString(block.signature, `${param}.signature`);
      return signature === undefined ? { type: 'thinking', text } : { type: 'thinking', text, signature };
    }
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: readString(block.data, `${param}.data`) };
    case undefined:
      return invalid(`${param}.type`, 'is required', 'missing_required_parameter');
    default:
      // document, search_result, server_tool_use, web_search_tool_result, container_upload, …
      context.sameFormatOnly.push(param);
      return undefined;
  }
}

/** A message's `content`: a string (one text part) or an array of blocks. */
export function parseContent(value: unknown, param: string, context: BlockContext): ContentPart[] {
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  if (!Array.isArray(value)) invalid(param, 'must be a string or an array of content blocks', 'invalid_type');
  const parts: ContentPart[] = [];
  value.forEach((entry: unknown, index) => {
    const part = parseBlock(entry, `${param}[${index}]`, context);
    if (part !== undefined) parts.push(part);
  });
  return parts;
}

/** `system`: a string or an array of text blocks (their `cache_control` is a hint, dropped in translation). */
export function parseSystem(value: unknown): TextPart[] {
  return parseSystemContent(value, 'system');
}

/** System text: a string or text blocks (their `cache_control` is a hint, dropped in translation). */
export function parseSystemContent(value: unknown, field: string): TextPart[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value === '' ? [] : [{ type: 'text', text: value }];
  if (!Array.isArray(value)) invalid(field, 'must be a string or an array of text blocks', 'invalid_type');
  return value.map((entry: unknown, index) => {
    const param = `${field}[${index}]`;
    const block = readObject(entry, param);
    if (block.type !== 'text') invalid(`${param}.type`, "must be 'text'");
    return { type: 'text', text: readString(block.text, `${param}.text`) };
  });
}
