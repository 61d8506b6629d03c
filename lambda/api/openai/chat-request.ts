import type {
  CanonicalRequest, ReasoningRequest, ResponseFormat, ToolChoice, ToolDefinition,
} from '../../canonical/request';
import { parseChatMessages } from './chat-messages';

/**
 * A Chat Completions body → the canonical request. Called after validateOpenAiBody (request-validation.ts),
 * so known fields have their documented types; anything else is read defensively and, when a translation
 * could not honour it, named in `sameFormatOnly` rather than rejected — a Chat provider still gets it.
 *
 * Field by field:
 *  - mapped: messages, tools (function tools), tool_choice, parallel_tool_calls, max_completion_tokens
 *    (else max_tokens), temperature, top_p, stop, stream, stream_options.include_usage, reasoning_effort,
 *    response_format, user / safety_identifier;
 *  - same format only when set to a value that changes the answer: n > 1, logprobs, top_logprobs,
 *    logit_bias, seed, presence/frequency_penalty ≠ 0, audio, modalities other than text, prediction,
 *    web_search_options, and every top-level field this file does not know;
 *  - hints dropped in translation: store, metadata, service_tier, prompt_cache_key,
 *    prompt_cache_retention, the rest of stream_options, a tool's `strict` flag (research: never force
 *    strict on another provider).
 */

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Null means "not set", as OpenAI treats it. */
function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Fields read into the canonical request, and hints a translation may drop. */
const HANDLED = new Set([
  'model', 'messages', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_tokens', 'max_completion_tokens',
  'temperature', 'top_p', 'stop', 'stream', 'stream_options', 'reasoning_effort', 'response_format', 'user',
  'safety_identifier', 'store', 'metadata', 'service_tier', 'prompt_cache_key', 'prompt_cache_retention',
]);

/** Fields with no canonical home, and whether a given value changes the answer (a default one does not). */
const ANSWER_CHANGING: Readonly<Record<string, (value: unknown) => boolean>> = {
  n: (value) => value !== 1,
  logprobs: (value) => value !== false,
  top_logprobs: (value) => value !== 0,
  logit_bias: (value) => !isRecord(value) || Object.keys(value).length > 0,
  seed: () => true,
  presence_penalty: (value) => value !== 0,
  frequency_penalty: (value) => value !== 0,
  audio: () => true,
  modalities: (value) => !(Array.isArray(value) && value.every((modality) => modality === 'text')),
  prediction: () => true,
  web_search_options: () => true,
};

const EFFORTS: readonly NonNullable<ReasoningRequest['effort']>[] = ['minimal', 'low', 'medium', 'high'];

function tools(value: unknown, sameFormatOnly: string[]): ToolDefinition[] {
  if (!Array.isArray(value)) return [];
  const definitions: ToolDefinition[] = [];
  (value as unknown[]).forEach((tool, index) => {
    const fn = isRecord(tool) ? tool.function : undefined;
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(fn) || typeof fn.name !== 'string') {
      // custom (grammar) tools and anything newer have no equivalent elsewhere.
      sameFormatOnly.push(`tools[${index}]`);
      return;
    }
    // A function without parameters takes none; other formats need the schema spelled out.
    const inputSchema = isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} };
    definitions.push(typeof fn.description === 'string'
      ? { name: fn.name, description: fn.description, inputSchema }
      : { name: fn.name, inputSchema });
  });
  return definitions;
}

function toolChoice(value: unknown, sameFormatOnly: string[]): ToolChoice | undefined {
  if (!isSet(value)) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  if (isRecord(value) && value.type === 'function' && isRecord(value.function) && typeof value.function.name === 'string') {
    return { type: 'tool', name: value.function.name };
  }
  sameFormatOnly.push('tool_choice');
  return undefined;
}

function reasoning(value: unknown, sameFormatOnly: string[]): ReasoningRequest | undefined {
  // 'none' asks for no reasoning: what other formats do when not asked for any.
  if (!isSet(value) || value === 'none') return undefined;
  const effort = EFFORTS.find((candidate) => candidate === value);
  if (effort !== undefined) return { effort };
  sameFormatOnly.push('reasoning_effort');
  return undefined;
}

function responseFormat(value: unknown, sameFormatOnly: string[]): ResponseFormat | undefined {
  if (!isRecord(value)) return undefined;
  if (value.type === 'text' || value.type === 'json_object') return { type: value.type };
  const spec = value.json_schema;
  if (value.type === 'json_schema' && isRecord(spec) && typeof spec.name === 'string' && isRecord(spec.schema)) {
    return typeof spec.strict === 'boolean'
      ? { type: 'json_schema', name: spec.name, schema: spec.schema, strict: spec.strict }
      : { type: 'json_schema', name: spec.name, schema: spec.schema };
  }
  sameFormatOnly.push('response_format');
  return undefined;
}

function stopSequences(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? (value as unknown[]).filter((item): item is string => typeof item === 'string') : [];
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** The Chat Completions body as a canonical request (see the field list above). */
export function parseChatRequest(body: Readonly<Record<string, unknown>>): CanonicalRequest {
  const sameFormatOnly: string[] = [];
  const { system, messages } = parseChatMessages(Array.isArray(body.messages) ? (body.messages as unknown[]) : [], sameFormatOnly);
  for (const [field, value] of Object.entries(body)) {
    if (HANDLED.has(field) || !isSet(value)) continue;
    const changesAnswer = ANSWER_CHANGING[field];
    if (changesAnswer === undefined || changesAnswer(value)) sameFormatOnly.push(field);
  }
  const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};
  const user = typeof body.safety_identifier === 'string' ? body.safety_identifier : body.user;
  const maxTokens = optionalNumber(body.max_completion_tokens) ?? optionalNumber(body.max_tokens);
  const temperature = optionalNumber(body.temperature);
  const topP = optionalNumber(body.top_p);
  const choice = toolChoice(body.tool_choice, sameFormatOnly);
  const effort = reasoning(body.reasoning_effort, sameFormatOnly);
  const format = responseFormat(body.response_format, sameFormatOnly);
  return {
    model: typeof body.model === 'string' ? body.model : '',
    system,
    messages,
    tools: tools(body.tools, sameFormatOnly),
    ...(choice === undefined ? {} : { toolChoice: choice }),
    ...(typeof body.parallel_tool_calls === 'boolean' ? { parallelToolCalls: body.parallel_tool_calls } : {}),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
    stop: stopSequences(body.stop),
    stream: body.stream === true,
    streamIncludeUsage: body.stream === true && streamOptions.include_usage === true,
    ...(effort === undefined ? {} : { reasoning: effort }),
    ...(format === undefined ? {} : { responseFormat: format }),
    ...(typeof user === 'string' ? { user } : {}),
    sameFormatOnly,
  };
}
