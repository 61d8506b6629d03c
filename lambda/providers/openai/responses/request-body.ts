import type {
  CanonicalMessage, CanonicalRequest, ImagePart, ReasoningRequest, ResponseFormat, TextPart, ToolChoice, ToolResultPart,
} from '../../../canonical/request';
import { InvalidRequestError } from '../../../errors/gateway-error';
import type { Deployment } from '../../provider';

type Item = Record<string, unknown>;

/** How a tool result marked as an error reads toward OpenAI, which has no such flag. */
export const TOOL_ERROR_PREFIX = '[tool error] ';

function imageUrl(part: ImagePart): string {
  return part.source.kind === 'url' ? part.source.url : `data:${part.source.mediaType};base64,${part.source.data}`;
}

function inputPart(part: TextPart | ImagePart): Item {
  return part.type === 'text' ? { type: 'input_text', text: part.text } : { type: 'input_image', image_url: imageUrl(part), detail: 'auto' };
}

/** `function_call_output.output`: a plain string when it is only text (what every model handles best). */
function toolOutput(part: ToolResultPart): string | Item[] {
  const prefix = part.isError ? TOOL_ERROR_PREFIX : '';
  if (part.content.every((inner) => inner.type === 'text')) {
    return prefix + part.content.map((inner) => (inner.type === 'text' ? inner.text : '')).join('\n');
  }
  const parts = part.content.map(inputPart);
  return prefix === '' ? parts : [{ type: 'input_text', text: prefix.trim() }, ...parts];
}

/**
 * One canonical turn as Responses input items, in order. Text and images of a turn gather into message
 * items; each tool call and tool result is its own item, paired by `call_id`. Thinking is not sent:
 * without the provider's own `encrypted_content` OpenAI rejects replayed reasoning, and a foreign
 * one is a 400 (research/translation.md §2).
 */
function turnItems(message: CanonicalMessage): Item[] {
  const items: Item[] = [];
  let content: Item[] = [];
  const flush = (): void => {
    if (content.length === 0) return;
    items.push({ type: 'message', role: message.role, content });
    content = [];
  };
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
        content.push(message.role === 'assistant' ? { type: 'output_text', text: part.text, annotations: [] } : inputPart(part));
        break;
      case 'image':
        if (message.role === 'user') content.push(inputPart(part));
        break;
      case 'tool_call':
        flush();
        items.push({ type: 'function_call', call_id: part.id, name: part.name, arguments: part.arguments === '' ? '{}' : part.arguments });
        break;
      case 'tool_result':
        flush();
        items.push({ type: 'function_call_output', call_id: part.toolCallId, output: toolOutput(part) });
        break;
      case 'thinking':
      case 'redacted_thinking':
        break;
    }
  }
  flush();
  return items;
}

function toolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : choice.type;
}

/** Anthropic-style thinking budgets, bucketed into OpenAI's efforts. */
function effortOf(reasoning: ReasoningRequest): ReasoningRequest['effort'] {
  if (reasoning.effort !== undefined) return reasoning.effort;
  if (reasoning.budgetTokens === undefined) return undefined;
  if (reasoning.budgetTokens < 4096) return 'low';
  return reasoning.budgetTokens < 16_384 ? 'medium' : 'high';
}

function textFormat(format: ResponseFormat): Item {
  if (format.type !== 'json_schema') return { type: format.type };
  return { type: 'json_schema', name: format.name, schema: format.schema, ...(format.strict === undefined ? {} : { strict: format.strict }) };
}

/**
 * The canonical request as an OpenAI Responses request body for `deployment`. Stateless by design:
 * `store: false`, the whole conversation in `input`. Responses has no stop sequences, so a request with
 * some fails with a 400 naming `stop` rather than generating past them.
 */
export function buildResponsesBody(request: CanonicalRequest, deployment: Deployment): Record<string, unknown> {
  if (request.stop.length > 0) {
    throw new InvalidRequestError(`Model '${deployment.modelName}' is served through the OpenAI Responses API, which has no stop sequences.`, 'unsupported_parameter', { param: 'stop' });
  }
  const body: Record<string, unknown> = { model: deployment.model.model };
  if (request.system.length > 0) body.instructions = request.system.map((part) => part.text).join('\n\n');
  body.input = request.messages.flatMap(turnItems);
  if (request.tools.length > 0) {
    // Responses makes function tools strict by default, which rejects most real-world schemas.
    body.tools = request.tools.map((tool) => ({
      type: 'function', name: tool.name, ...(tool.description === undefined ? {} : { description: tool.description }), parameters: tool.inputSchema, strict: false,
    }));
  }
  if (request.toolChoice !== undefined) body.tool_choice = toolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.maxTokens !== undefined) body.max_output_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.reasoning !== undefined) {
    const effort = effortOf(request.reasoning);
    const reasoning = { ...(effort === undefined ? {} : { effort }), ...(request.reasoning.summary === true ? { summary: 'auto' } : {}) };
    if (Object.keys(reasoning).length > 0) body.reasoning = reasoning;
  }
  if (request.responseFormat !== undefined) body.text = { format: textFormat(request.responseFormat) };
  if (request.user !== undefined) body.user = request.user;
  body.store = false;
  body.stream = request.stream;
  return body;
}
