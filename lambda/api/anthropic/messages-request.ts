import type {
  CanonicalMessage,
  CanonicalRequest,
  ReasoningRequest,
  ResponseFormat,
  TextPart,
  ToolChoice,
  ToolDefinition,
} from '../../canonical/request';
import { parseContent, parseSystem, parseSystemContent, type BlockContext } from './content-blocks';
import {
  invalid,
  readArray,
  readBoolean,
  readEnum,
  readInteger,
  readNumber,
  readObject,
  readString,
  type JsonObject,
} from './field-readers';

/**
 * Top-level fields this parser understands. Of the rest:
 *  - hints that change nothing about the answer's content are dropped in translation and NOT listed in
 *    `sameFormatOnly`: `cache_control` (prompt caching), `context_management` (Claude Code's thinking
 *    clean-up; "Extra inputs are not permitted" elsewhere), `service_tier`, and `container` (a code
 *    execution container id: only meaningful with a server tool, which is itself same-format-only);
 *  - any other field is listed in `sameFormatOnly`: it still passes through untouched to Anthropic.
 */
const KNOWN_FIELDS = new Set([
  'model', 'max_tokens', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'output_config', 'temperature',
  'top_p', 'top_k', 'stop_sequences', 'stream', 'metadata',
]);
const DROPPABLE_HINTS = new Set(['cache_control', 'context_management', 'service_tier', 'container']);

interface ParsedMessages {
  readonly messages: CanonicalMessage[];
  /** Text of `role: "system"` messages inside `messages`. */
  readonly system: TextPart[];
}

/**
 * Turns in order. Claude Code (2.1.3xx) also sends `role: "system"` messages inside `messages` (its
 * environment section, and notes on tool-result turns); Anthropic accepts them. Toward other APIs their
 * text joins the system prompt, after the top-level one.
 */
function parseMessages(value: unknown, context: BlockContext): ParsedMessages {
  if (value === undefined) invalid('messages', 'is required', 'missing_required_parameter');
  const entries = readArray(value, 'messages');
  if (entries.length === 0) invalid('messages', 'must have at least 1 item(s)');
  const parsed: ParsedMessages = { messages: [], system: [] };
  entries.forEach((entry, index) => {
    const param = `messages[${index}]`;
    const message = readObject(entry, param);
    const role = readEnum(message.role, `${param}.role`, ['user', 'assistant', 'system'] as const);
    if (role === 'system') {
      parsed.system.push(...parseSystemContent(message.content, `${param}.content`));
      return;
    }
    parsed.messages.push({ role, content: parseContent(message.content, `${param}.content`, context) });
  });
  return parsed;
}

/** Custom tools become definitions; server tools (`web_search_*`, `bash_*`, …) only Anthropic can run. */
function parseTools(value: unknown, context: BlockContext): ToolDefinition[] {
  if (value === undefined || value === null) return [];
  const tools: ToolDefinition[] = [];
  readArray(value, 'tools').forEach((entry, index) => {
    const param = `tools[${index}]`;
    const tool = readObject(entry, param);
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      context.sameFormatOnly.push(param);
      return;
    }
    const name = readString(tool.name, `${param}.name`);
    const inputSchema = readObject(tool.input_schema, `${param}.input_schema`);
    tools.push(tool.description === undefined || tool.description === null
      ? { name, inputSchema }
      : { name, description: readString(tool.description, `${param}.description`), inputSchema });
  });
  return tools;
}

interface ToolChoiceFields {
  readonly toolChoice?: ToolChoice;
  readonly parallelToolCalls?: boolean;
}

function parseToolChoice(value: unknown): ToolChoiceFields {
  if (value === undefined || value === null) return {};
  const choice = readObject(value, 'tool_choice');
  const type = readEnum(choice.type, 'tool_choice.type', ['auto', 'any', 'tool', 'none'] as const);
  const toolChoice: ToolChoice = type === 'any' ? { type: 'required' }
    : type === 'tool' ? { type: 'tool', name: readString(choice.name, 'tool_choice.name') }
      : { type };
  const disable = choice.disable_parallel_tool_use;
  if (disable === undefined || disable === null) return { toolChoice };
  return { toolChoice, parallelToolCalls: !readBoolean(disable, 'tool_choice.disable_parallel_tool_use') };
}

/** Anthropic's effort levels onto the canonical (OpenAI-shaped) ones; above `high` there is nothing. */
const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
function canonicalEffort(effort: (typeof EFFORTS)[number]): 'low' | 'medium' | 'high' {
  return effort === 'xhigh' || effort === 'max' ? 'high' : effort;
}

interface OutputConfigFields {
  readonly effort?: 'low' | 'medium' | 'high';
  readonly responseFormat?: ResponseFormat;
}

/** `output_config`: `effort` and `format` are read; anything else in it is a hint. */
function parseOutputConfig(value: unknown): OutputConfigFields {
  if (value === undefined || value === null) return {};
  const config = readObject(value, 'output_config');
  const effort = config.effort === undefined || config.effort === null
    ? undefined : canonicalEffort(readEnum(config.effort, 'output_config.effort', EFFORTS));
  let responseFormat: ResponseFormat | undefined;
  if (config.format !== undefined && config.format !== null) {
    const format = readObject(config.format, 'output_config.format');
    readEnum(format.type, 'output_config.format.type', ['json_schema'] as const);
    responseFormat = { type: 'json_schema', name: 'output', schema: readObject(format.schema, 'output_config.format.schema') };
  }
  return { ...(effort === undefined ? {} : { effort }), ...(responseFormat === undefined ? {} : { responseFormat }) };
}

/**
 * `thinking` with `output_config.effort`: enabled → the budget; adaptive → the effort (medium when
 * none is given, as LiteLLM does); disabled → none. Effort alone (no thinking) still asks for reasoning.
 */
function parseReasoning(value: unknown, effort: OutputConfigFields['effort'], context: BlockContext): ReasoningRequest | undefined {
  const withEffort = effort === undefined ? {} : { effort };
  if (value === undefined || value === null) return effort === undefined ? undefined : { effort };
  const thinking = readObject(value, 'thinking');
  switch (thinking.type) {
    case 'enabled':
      return { ...withEffort, budgetTokens: readInteger(thinking.budget_tokens, 'thinking.budget_tokens', 1), summary: true };
    case 'adaptive':
      return { effort: effort ?? 'medium', summary: thinking.display !== 'omitted' };
    case 'disabled':
      return effort === undefined ? undefined : { effort };
    case undefined:
      return invalid('thinking.type', 'is required', 'missing_required_parameter');
    default:
      context.sameFormatOnly.push('thinking.type');
      return effort === undefined ? undefined : { effort };
  }
}

function parseStop(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return readArray(value, 'stop_sequences').map((entry, index) => readString(entry, `stop_sequences[${index}]`));
}

function parseUser(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const metadata = readObject(value, 'metadata');
  const user = metadata.user_id;
  return user === undefined || user === null ? undefined : readString(user, 'metadata.user_id');
}

function optionalNumber(body: JsonObject, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  return value === undefined || value === null ? undefined : readNumber(value, name, min, max);
}

/**
 * An Anthropic Messages request body → the canonical request. Known fields are checked (a 400 naming
 * the field path); fields and blocks only Anthropic can honour are listed in `sameFormatOnly`.
 */
export function parseMessagesRequest(body: Readonly<Record<string, unknown>>): CanonicalRequest {
  const context: BlockContext = { sameFormatOnly: [] };
  if (body.model === undefined) invalid('model', 'is required', 'missing_required_parameter');
  const model = readString(body.model, 'model');
  if (body.max_tokens === undefined || body.max_tokens === null) invalid('max_tokens', 'is required', 'missing_required_parameter');
  const maxTokens = readInteger(body.max_tokens, 'max_tokens', 1);
  const conversation = parseMessages(body.messages, context);
  const system = [...parseSystem(body.system), ...conversation.system];
  const messages = conversation.messages;
  const tools = parseTools(body.tools, context);
  const choice = parseToolChoice(body.tool_choice);
  const output = parseOutputConfig(body.output_config);
  const reasoning = parseReasoning(body.thinking, output.effort, context);
  const temperature = optionalNumber(body, 'temperature', 0, 1);
  const topP = optionalNumber(body, 'top_p', 0, 1);
  if (body.top_k !== undefined && body.top_k !== null) {
    readInteger(body.top_k, 'top_k', 0);
    context.sameFormatOnly.push('top_k');
  }
  const stream = body.stream === undefined || body.stream === null ? false : readBoolean(body.stream, 'stream');
  const user = parseUser(body.metadata);
  for (const name of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(name) && !DROPPABLE_HINTS.has(name)) context.sameFormatOnly.push(name);
  }
  return {
    model,
    system,
    messages,
    tools,
    ...choice,
    maxTokens,
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
    stop: parseStop(body.stop_sequences),
    stream,
    streamIncludeUsage: false,
    ...(reasoning === undefined ? {} : { reasoning }),
    ...(output.responseFormat === undefined ? {} : { responseFormat: output.responseFormat }),
    ...(user === undefined ? {} : { user }),
    sameFormatOnly: context.sameFormatOnly,
  };
}

/**
 * A `POST /v1/messages/count_tokens` body: the Messages fields without `max_tokens` (which it does not
 * take) — parsed as a Messages request with a placeholder limit, so the same checks apply.
 */
export function parseCountTokensRequest(body: Readonly<Record<string, unknown>>): CanonicalRequest {
  const { maxTokens: _placeholder, ...request } = parseMessagesRequest({ ...body, max_tokens: 1 });
  return request;
}
