import type {
  CanonicalMessage, CanonicalRequest, ImagePart, ImageSource, ResponseFormat, TextPart, ToolChoice, ToolResultPart,
} from '../../canonical/request';
import { InvalidRequestError } from '../../errors/gateway-error';
import type { Deployment } from '../provider';

/**
 * Canonical request → Chat Completions body, for callers of another format (Messages, Responses)
 * served by OpenAI or an OpenAI-compatible server. Choices that differ by provider type:
 *  - `max_completion_tokens` for OpenAI itself (its reasoning models reject `max_tokens`), `max_tokens`
 *    for compatible servers (vLLM, Ollama, Groq… and many proxies reject or ignore the newer name);
 *  - `reasoning_effort` only for OpenAI: compatible servers reject it or read it differently, and the
 *    effort is a hint that the model's own default replaces;
 *  - at most 4 stop sequences for OpenAI (its limit); compatible servers get them all.
 * Thinking parts of replayed assistant turns are dropped: Chat has no field to send reasoning back.
 */

type ChatMessage = Record<string, unknown>;
type ChatContentPart = Readonly<Record<string, unknown>>;

/** OpenAI's limit on stop sequences; only Messages callers can send more (Chat caps at 4, Responses has none). */
const OPENAI_MAX_STOP = 4;
/** Chat has no error flag on tool results; the model reads this prefix instead (research/translation.md §3). */
export const TOOL_ERROR_PREFIX = '[tool error] ';
/** What a tool message says in place of an image, which Chat only accepts in user messages. */
export const TOOL_IMAGE_PLACEHOLDER = '[image: attached in the next user message]';

function imageUrl(source: ImageSource): string {
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

function imagePart(part: ImagePart): ChatContentPart {
  return { type: 'image_url', image_url: { url: imageUrl(part.source) } };
}

/** A string when the content is text only (every compatible server accepts it), else content parts. */
function userContent(parts: readonly (TextPart | ImagePart)[]): string | ChatContentPart[] {
  if (parts.every((part) => part.type === 'text')) return parts.map((part) => part.text).join('\n');
  return parts.map((part) => (part.type === 'text' ? { type: 'text', text: part.text } : imagePart(part)));
}

/**
 * A user turn: its tool results first, as `tool` messages (Chat wants them right after the assistant
 * turn that made the calls), then one user message with the images tool results returned — Chat's
 * tool messages take text only, so each image is announced in its tool message and sent here — and the
 * turn's own text and images.
 */
function userMessages(message: CanonicalMessage): ChatMessage[] {
  const toolMessages: ChatMessage[] = [];
  const userParts: (TextPart | ImagePart)[] = [];
  const ownParts: (TextPart | ImagePart)[] = [];
  for (const part of message.content) {
    if (part.type === 'tool_result') {
      toolMessages.push(toolMessage(part, userParts));
    } else if (part.type === 'text' || part.type === 'image') {
      ownParts.push(part);
    }
  }
  const parts = [...userParts, ...ownParts];
  return parts.length === 0 && toolMessages.length > 0 ? toolMessages : [...toolMessages, { role: 'user', content: userContent(parts) }];
}

function toolMessage(result: ToolResultPart, imagesOut: (TextPart | ImagePart)[]): ChatMessage {
  const texts: string[] = [];
  for (const inner of result.content) {
    if (inner.type === 'text') {
      texts.push(inner.text);
    } else {
      texts.push(TOOL_IMAGE_PLACEHOLDER);
      imagesOut.push({ type: 'text', text: `Image returned by tool call ${result.toolCallId}:` }, inner);
    }
  }
  const text = texts.join('\n');
  return { role: 'tool', tool_call_id: result.toolCallId, content: result.isError ? `${TOOL_ERROR_PREFIX}${text}` : text };
}

function assistantMessage(message: CanonicalMessage): ChatMessage {
  const texts: string[] = [];
  const toolCalls: ChatContentPart[] = [];
  for (const part of message.content) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'tool_call') {
      toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments === '' ? '{}' : part.arguments } });
    }
  }
  const content = texts.length === 0 && toolCalls.length > 0 ? null : texts.join('');
  return toolCalls.length === 0 ? { role: 'assistant', content } : { role: 'assistant', content, tool_calls: toolCalls };
}

function chatMessages(request: CanonicalRequest): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (request.system.length > 0) messages.push({ role: 'system', content: request.system.map((part) => part.text).join('\n\n') });
  for (const message of request.messages) {
    if (message.role === 'assistant') messages.push(assistantMessage(message));
    else messages.push(...userMessages(message));
  }
  return messages;
}

function toolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

function responseFormat(format: ResponseFormat): Readonly<Record<string, unknown>> {
  if (format.type !== 'json_schema') return { type: format.type };
  const schema: Record<string, unknown> = { name: format.name, schema: format.schema };
  if (format.strict !== undefined) schema.strict = format.strict;
  return { type: 'json_schema', json_schema: schema };
}

function stopSequences(request: CanonicalRequest, isOpenAi: boolean): readonly string[] {
  if (isOpenAi && request.stop.length > OPENAI_MAX_STOP) {
    throw new InvalidRequestError(
      `This model's provider accepts at most ${OPENAI_MAX_STOP} stop sequences; the request has ${request.stop.length}.`,
      'unsupported_parameter', { param: 'stop_sequences' },
    );
  }
  return request.stop;
}

/** The Chat Completions body for `request` on `deployment` (model id swapped in). */
export function buildChatBody(request: CanonicalRequest, deployment: Deployment): Record<string, unknown> {
  const provider = deployment.provider;
  const isOpenAi = provider.type === 'openai';
  const body: Record<string, unknown> = { model: deployment.model.model, messages: chatMessages(request) };
  if (request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: tool.description === undefined
        ? { name: tool.name, parameters: tool.inputSchema }
        : { name: tool.name, description: tool.description, parameters: tool.inputSchema },
    }));
    // OpenAI rejects both fields when no tools are sent.
    if (request.toolChoice !== undefined) body.tool_choice = toolChoice(request.toolChoice);
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.maxTokens !== undefined) body[isOpenAi ? 'max_completion_tokens' : 'max_tokens'] = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  const stop = stopSequences(request, isOpenAi);
  if (stop.length > 0) body.stop = stop;
  if (isOpenAi && request.reasoning?.effort !== undefined) body.reasoning_effort = request.reasoning.effort;
  if (request.responseFormat !== undefined) body.response_format = responseFormat(request.responseFormat);
  if (request.user !== undefined) body.user = request.user;
  if (request.stream) {
    body.stream = true;
    // Metering needs the provider's own token counts.
    const refusesStreamUsage = provider.type !== 'anthropic' && provider.supportsStreamUsage === false;
    if (!refusesStreamUsage) body.stream_options = { include_usage: true };
  }
  return body;
}
