import type { CanonicalMessage, CanonicalRequest, ContentPart, ImagePart, ReasoningRequest, TextPart } from '../../canonical/request';
import { InvalidRequestError } from '../../errors/gateway-error';
import type { Deployment } from '../provider';
import { sanitizeToolId } from './tool-ids';

/** `max_tokens` when the caller gave none (Codex sends none; Anthropic requires it). */
export const DEFAULT_MAX_TOKENS = 8192;
/**
 * Thinking budgets for an OpenAI-style effort: minimal 1,024 (Anthropic's minimum budget), low 2,048,
 * medium 8,192, high 24,576. A request without an effort or a budget that still asks for reasoning gets
 * `medium`.
 */
export const THINKING_BUDGETS = { minimal: 1024, low: 2048, medium: 8192, high: 24576 } as const;
const MIN_THINKING_BUDGET = 1024;
/** Room left for the answer itself when `max_tokens` has to be raised above the thinking budget. */
const ANSWER_HEADROOM = 4096;

type Block = Record<string, unknown>;

function imageBlock(image: ImagePart): Block {
  const source = image.source;
  if (source.kind === 'base64') return { type: 'image', source: { type: 'base64', media_type: source.mediaType, data: source.data } };
  // Chat and Responses carry inline images as data URLs; Anthropic wants them as base64 sources.
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(source.url);
  if (dataUrl?.[1] !== undefined && dataUrl[2] !== undefined) {
    return { type: 'image', source: { type: 'base64', media_type: dataUrl[1], data: dataUrl[2] } };
  }
  return { type: 'image', source: { type: 'url', url: source.url } };
}

function toolInput(argumentsText: string, messageIndex: number): unknown {
  if (argumentsText.trim() === '') return {};
  try {
    const input: unknown = JSON.parse(argumentsText);
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) return input;
  } catch {
    // Reported below.
  }
  throw new InvalidRequestError(`'messages[${messageIndex}]' has a tool call whose arguments are not a JSON object.`, 'invalid_value', { param: `messages[${messageIndex}]` });
}

/** One canonical part as an Anthropic block; undefined for a part Anthropic could not verify. */
function partBlock(part: ContentPart, messageIndex: number): Block | undefined {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      return imageBlock(part);
    case 'tool_call':
      return { type: 'tool_use', id: sanitizeToolId(part.id), name: part.name, input: toolInput(part.arguments, messageIndex) };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: sanitizeToolId(part.toolCallId),
        content: part.content.map((inner: TextPart | ImagePart) => (inner.type === 'text' ? { type: 'text', text: inner.text } : imageBlock(inner))),
        ...(part.isError ? { is_error: true } : {}),
      };
    case 'thinking':
      // Anthropic checks signatures; a thinking part without one (another provider's reasoning) cannot be sent.
      return part.signature === undefined || part.signature === '' ? undefined : { type: 'thinking', thinking: part.text, signature: part.signature };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: part.data };
  }
}

interface Turn {
  readonly role: 'user' | 'assistant';
  readonly blocks: Block[];
}

/**
 * Messages with alternating roles: consecutive turns of one role merged, and in each user turn its
 * tool results first (all results of one assistant turn in ONE user message, before that turn's text).
 * Turns left empty (only unverifiable thinking) are skipped.
 */
function buildMessages(messages: readonly CanonicalMessage[]): Turn[] {
  const turns: Turn[] = [];
  messages.forEach((message, index) => {
    const blocks = message.content.map((part) => partBlock(part, index)).filter((block): block is Block => block !== undefined);
    if (blocks.length === 0) return;
    const previous = turns.at(-1);
    if (previous?.role === message.role) previous.blocks.push(...blocks);
    else turns.push({ role: message.role, blocks });
  });
  for (const turn of turns) {
    if (turn.role !== 'user') continue;
    const results = turn.blocks.filter((block) => block.type === 'tool_result');
    if (results.length === 0) continue;
    const others = turn.blocks.filter((block) => block.type !== 'tool_result');
    turn.blocks.splice(0, turn.blocks.length, ...results, ...others);
  }
  return turns;
}

function thinkingBudget(reasoning: ReasoningRequest | undefined): number | undefined {
  if (reasoning === undefined) return undefined;
  if (reasoning.budgetTokens !== undefined) return Math.max(MIN_THINKING_BUDGET, reasoning.budgetTokens);
  if (reasoning.effort !== undefined) return THINKING_BUDGETS[reasoning.effort];
  return reasoning.summary === true ? THINKING_BUDGETS.medium : undefined;
}

/**
 * With thinking on, Anthropic requires an assistant turn that made tool calls to start with its thinking
 * block. When the last such turn lost it (reasoning from another provider), thinking is left off.
 */
function toolLoopKeepsThinking(turns: readonly Turn[]): boolean {
  const lastAssistant = turns.findLast((turn) => turn.role === 'assistant');
  if (lastAssistant === undefined || !lastAssistant.blocks.some((block) => block.type === 'tool_use')) return true;
  const first = lastAssistant.blocks[0]?.type;
  return first === 'thinking' || first === 'redacted_thinking';
}

function toolChoice(request: CanonicalRequest): Block | undefined {
  const disableParallel = request.parallelToolCalls === false && request.tools.length > 0 ? { disable_parallel_tool_use: true } : {};
  const choice = request.toolChoice;
  if (choice === undefined) return request.parallelToolCalls === false && request.tools.length > 0 ? { type: 'auto', ...disableParallel } : undefined;
  switch (choice.type) {
    case 'auto':
      return { type: 'auto', ...disableParallel };
    case 'required':
      return { type: 'any', ...disableParallel };
    case 'tool':
      return { type: 'tool', name: choice.name, ...disableParallel };
    case 'none':
      return { type: 'none' };
  }
}

/**
 * A canonical request as an Anthropic Messages body (for callers of another format). Thinking: an
 * effort becomes a budget (THINKING_BUDGETS); `max_tokens` is raised to budget + 4,096 when it does not
 * exceed the budget, and `temperature`/`top_p` are left off, which Anthropic rejects with thinking on.
 */
export function buildMessagesBody(request: CanonicalRequest, deployment: Deployment): Record<string, unknown> {
  if (request.responseFormat !== undefined && request.responseFormat.type !== 'text') {
    throw new InvalidRequestError(`'response_format' ${request.responseFormat.type} is not supported by model '${request.model}' (an Anthropic model).`,
      'unsupported_parameter', { param: 'response_format' });
  }
  if (request.temperature !== undefined && request.temperature > 1) {
    throw new InvalidRequestError("'temperature' must be between 0 and 1 for an Anthropic model.", 'invalid_value', { param: 'temperature' });
  }
  const turns = buildMessages(request.messages);
  const budget = toolLoopKeepsThinking(turns) ? thinkingBudget(request.reasoning) : undefined;
  let maxTokens = request.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (budget !== undefined && maxTokens <= budget) maxTokens = budget + ANSWER_HEADROOM;
  const choice = toolChoice(request);
  return {
    model: deployment.model.model,
    max_tokens: maxTokens,
    ...(request.system.length === 0 ? {} : { system: request.system.map((part) => ({ type: 'text', text: part.text })) }),
    messages: turns.map((turn) => ({ role: turn.role, content: turn.blocks })),
    ...(request.tools.length === 0 ? {} : {
      tools: request.tools.map((tool) => ({
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        input_schema: tool.inputSchema,
      })),
    }),
    ...(choice === undefined ? {} : { tool_choice: choice }),
    ...(budget === undefined ? {} : { thinking: { type: 'enabled', budget_tokens: budget } }),
    ...(budget === undefined && request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(budget === undefined && request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.stop.length === 0 ? {} : { stop_sequences: request.stop }),
    ...(request.user === undefined ? {} : { metadata: { user_id: request.user } }),
    stream: request.stream,
  };
}
