import { CUSTOM_TOOL_INPUT, namespacedToolName, type CanonicalRequest, type ReasoningRequest, type ResponseFormat, type ToolChoice, type ToolDefinition } from '../../canonical/request';
import { InvalidRequestError } from '../../errors/gateway-error';
import { boolean, checkFields, integer, number, string } from '../openai/field-checks';
import { invalid, isJson, parseInput, requiredString } from './input-items';

/** Longest `user` accepted; it may be copied into logs and usage records. */
const MAX_USER_LENGTH = 256;

/** Fields the translation reads. */
const MAPPED = new Set([
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_output_tokens', 'temperature',
  'top_p', 'reasoning', 'text', 'stream', 'user', 'safety_identifier',
]);
/** Hints that are safe to drop toward another format: they change nothing the caller reads. */
/**
 * Fields that change nothing in the answer (caching, storage, bookkeeping): dropped in translation.
 * `client_metadata` is Codex's per-turn bookkeeping (turn ids as a JSON string), sent on every call.
 */
const DROPPABLE = new Set([
  'store', 'include', 'prompt_cache_key', 'prompt_cache_retention', 'metadata', 'service_tier', 'truncation', 'stream_options',
  'client_metadata',
]);

/**
 * A custom tool (free-text input, e.g. Codex's apply_patch) as a function of one string argument. Its
 * input grammar cannot be enforced by other providers, so it travels in the description, for the model
 * to follow, rather than being dropped.
 */
function customTool(tool: Readonly<Record<string, unknown>>, param: string, namespace?: string): ToolDefinition {
  const name = inNamespace(requiredString(tool, 'name', param), namespace);
  const description = typeof tool.description === 'string' ? tool.description : '';
  const format = isJson(tool.format) ? tool.format : undefined;
  const grammar = format?.type === 'grammar' && typeof format.definition === 'string'
    ? `\n\nThe input must follow this ${typeof format.syntax === 'string' ? format.syntax : ''} grammar:\n${format.definition}` : '';
  return {
    name,
    kind: 'custom',
    ...(namespace === undefined ? {} : { namespace }),
    description: `${description}${grammar}`.trim(),
    inputSchema: {
      type: 'object',
      properties: { [CUSTOM_TOOL_INPUT]: { type: 'string', description: 'The raw input of the tool, as free text.' } },
      required: [CUSTOM_TOOL_INPUT],
    },
  };
}

function inNamespace(name: string, namespace: string | undefined): string {
  return namespace === undefined ? name : namespacedToolName(namespace, name);
}

/**
 * A namespace's function and custom tools, flattened: providers without namespaces see
 * `<namespace>__<tool>`, and the encoder splits their calls back (see ToolDefinition.namespace).
 */
function namespaceTools(tool: Readonly<Record<string, unknown>>, param: string, sameFormatOnly: string[]): ToolDefinition[] {
  const namespace = requiredString(tool, 'name', param);
  if (!Array.isArray(tool.tools)) invalid(`${param}.tools`, 'must be an array');
  return tool.tools.flatMap((inner: unknown, index) => {
    const innerParam = `${param}.tools[${index}]`;
    if (!isJson(inner)) invalid(innerParam, 'must be an object');
    if (inner.type === 'custom') return [customTool(inner, innerParam, namespace)];
    if (inner.type === 'function') return [functionTool(inner, innerParam, namespace)];
    sameFormatOnly.push(innerParam);
    return [];
  });
}

function tools(value: unknown, sameFormatOnly: string[]): ToolDefinition[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) invalid('tools', 'must be an array');
  const definitions: ToolDefinition[] = [];
  value.forEach((tool: unknown, index) => {
    const param = `tools[${index}]`;
    if (!isJson(tool)) invalid(param, 'must be an object');
    if (tool.type === 'custom') {
      definitions.push(customTool(tool, param));
    } else if (tool.type === 'namespace') {
      definitions.push(...namespaceTools(tool, param, sameFormatOnly));
    } else if (tool.type === 'function') {
      definitions.push(functionTool(tool, param));
    } else {
      if (typeof tool.type !== 'string') invalid(`${param}.type`, 'must be a string');
      sameFormatOnly.push(param); // web_search, file_search, mcp, …: hosted tools only OpenAI runs
    }
  });
  return definitions;
}

function functionTool(tool: Readonly<Record<string, unknown>>, param: string, namespace?: string): ToolDefinition {
  const name = inNamespace(requiredString(tool, 'name', param), namespace);
  const description = tool.description;
  if (description !== undefined && description !== null && typeof description !== 'string') invalid(`${param}.description`, 'must be a string');
  const parameters = tool.parameters ?? { type: 'object', properties: {} };
  if (!isJson(parameters)) invalid(`${param}.parameters`, 'must be an object');
  if (tool.strict !== undefined && tool.strict !== null && typeof tool.strict !== 'boolean') invalid(`${param}.strict`, 'must be a boolean');
  return { name, ...(typeof description === 'string' ? { description } : {}), inputSchema: parameters, ...(namespace === undefined ? {} : { namespace }) };
}

function toolChoice(value: unknown, sameFormatOnly: string[]): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  if (typeof value === 'string') invalid('tool_choice', "must be 'auto', 'none', 'required' or an object", 'invalid_value');
  if (!isJson(value)) invalid('tool_choice', "must be 'auto', 'none', 'required' or an object");
  if (value.type === 'function') return { type: 'tool', name: requiredString(value, 'name', 'tool_choice') };
  sameFormatOnly.push('tool_choice'); // allowed_tools, hosted tools, custom tools
  return undefined;
}

const EFFORTS: Readonly<Record<string, ReasoningRequest['effort'] | null>> = {
  none: null, minimal: 'minimal', low: 'low', medium: 'medium', high: 'high', xhigh: 'high',
};

function reasoning(value: unknown): ReasoningRequest | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJson(value)) invalid('reasoning', 'must be an object');
  const effortName = value.effort;
  let effort: ReasoningRequest['effort'] | null = null;
  if (effortName !== undefined && effortName !== null) {
    if (typeof effortName !== 'string' || !(effortName in EFFORTS)) invalid('reasoning.effort', `must be one of ${Object.keys(EFFORTS).join(', ')}`, 'invalid_value');
    effort = EFFORTS[effortName] ?? null;
  }
  const summary = value.summary;
  if (summary !== undefined && summary !== null && summary !== 'auto' && summary !== 'concise' && summary !== 'detailed' && summary !== 'none') {
    invalid('reasoning.summary', "must be one of 'auto', 'concise', 'detailed', 'none'", 'invalid_value');
  }
  const wantsSummary = typeof summary === 'string' && summary !== 'none';
  return { ...(effort === null ? {} : { effort }), ...(wantsSummary ? { summary: true } : {}) };
}

function responseFormat(text: unknown): ResponseFormat | undefined {
  if (text === undefined || text === null) return undefined;
  if (!isJson(text)) invalid('text', 'must be an object');
  const format = text.format;
  if (format === undefined || format === null) return undefined;
  if (!isJson(format)) invalid('text.format', 'must be an object');
  switch (format.type) {
    case 'text':
    case 'json_object':
      return { type: format.type };
    case 'json_schema': {
      const schema = format.schema;
      if (!isJson(schema)) invalid('text.format.schema', 'must be an object', schema === undefined ? 'missing_required_parameter' : 'invalid_type');
      if (format.strict !== undefined && format.strict !== null && typeof format.strict !== 'boolean') invalid('text.format.strict', 'must be a boolean');
      return { type: 'json_schema', name: requiredString(format, 'name', 'text.format'), schema, ...(typeof format.strict === 'boolean' ? { strict: format.strict } : {}) };
    }
    default:
      invalid('text.format.type', "must be one of 'text', 'json_object', 'json_schema'", 'invalid_value');
  }
}

/**
 * An OpenAI Responses request body (`POST /v1/responses`) as the canonical request. Stateless: the
 * whole conversation must be in `input`, so `previous_response_id` is refused. Fields and items only
 * OpenAI can honour (hosted and custom tools, item references, files) are listed in `sameFormatOnly`
 * so that translation fails with a 400 naming them; malformed fields fail here, naming their path.
 */
export function parseResponsesRequest(body: Readonly<Record<string, unknown>>): CanonicalRequest {
  if (body.previous_response_id !== undefined && body.previous_response_id !== null) {
    throw new InvalidRequestError(
      "GateLLM keeps no conversation state, so 'previous_response_id' cannot be used. Send the whole conversation in 'input' with store: false.",
      'unsupported_parameter',
      { param: 'previous_response_id' },
    );
  }
  checkFields(body, {
    model: string(), instructions: string(), parallel_tool_calls: boolean, max_output_tokens: integer(1),
    temperature: number(0, 2), top_p: number(0, 1), stream: boolean, user: string(MAX_USER_LENGTH), safety_identifier: string(MAX_USER_LENGTH),
  });
  const model = body.model;
  if (typeof model !== 'string') invalid('model', 'is required', 'missing_required_parameter');
  if (body.input === undefined || body.input === null) invalid('input', 'is required', 'missing_required_parameter');

  const parsed = parseInput(body.input);
  const sameFormatOnly: string[] = [];
  for (const key of Object.keys(body)) if (!MAPPED.has(key) && !DROPPABLE.has(key) && body[key] !== null) sameFormatOnly.push(key);
  sameFormatOnly.push(...parsed.sameFormatOnly);

  const instructions = typeof body.instructions === 'string' && body.instructions !== '' ? [{ type: 'text' as const, text: body.instructions }] : [];
  const definitions = tools(body.tools, sameFormatOnly);
  const choice = toolChoice(body.tool_choice, sameFormatOnly);
  const reasoningRequest = reasoning(body.reasoning);
  const format = responseFormat(body.text);
  const user = [body.safety_identifier, body.user].find((value): value is string => typeof value === 'string');
  return {
    model,
    system: [...instructions, ...parsed.system],
    messages: parsed.messages,
    tools: definitions,
    ...(choice === undefined ? {} : { toolChoice: choice }),
    ...(typeof body.parallel_tool_calls === 'boolean' ? { parallelToolCalls: body.parallel_tool_calls } : {}),
    ...(typeof body.max_output_tokens === 'number' ? { maxTokens: body.max_output_tokens } : {}),
    ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
    ...(typeof body.top_p === 'number' ? { topP: body.top_p } : {}),
    stop: [],
    stream: body.stream === true,
    streamIncludeUsage: false,
    ...(reasoningRequest === undefined ? {} : { reasoning: reasoningRequest }),
    ...(format === undefined ? {} : { responseFormat: format }),
    ...(user === undefined ? {} : { user }),
    sameFormatOnly,
  };
}
