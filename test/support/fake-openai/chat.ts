import { bigPieces, bigText, echoPieces, isJsonObject, wantsStreamUsage, type JsonObject } from './json';
import type { StreamPlan } from './respond';
import type { Scenario } from './scenario';
import {
  FAKE_CONTENT,
  FAKE_DEFAULT_TOOL_NAME,
  FAKE_STREAM_PIECES,
  FAKE_SYSTEM_FINGERPRINT,
  FAKE_TOOL_ARGUMENT_PIECES,
  FAKE_TOOL_ARGUMENTS,
  FAKE_USAGE,
  SSE_DONE,
  USAGE_JSON,
  fakeId,
  sseEvent,
  unixSeconds,
} from './wire';

/** What the assistant "says": text (whole and as stream pieces) or a single tool call. */
type Answer =
  | { readonly kind: 'text'; readonly content: string; readonly pieces: readonly string[] }
  | { readonly kind: 'tool'; readonly name: string };

const DEFAULT_ANSWER: Answer = { kind: 'text', content: FAKE_CONTENT, pieces: FAKE_STREAM_PIECES };

function lastMessage(body: JsonObject): unknown {
  const messages = body['messages'];
  return Array.isArray(messages) ? messages[messages.length - 1] : undefined;
}

/** Text of a message `content`: a string, or the `text` parts of an array joined by newlines. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (isJsonObject(part) && typeof part['text'] === 'string') texts.push(part['text']);
  }
  return texts.join('\n');
}

function lastUserText(body: JsonObject): string {
  const messages = body['messages'];
  if (!Array.isArray(messages)) return '';
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message: unknown = messages[index];
    if (isJsonObject(message) && message['role'] === 'user') return contentText(message['content']);
  }
  return '';
}

/**
 * The tool to call, or undefined for a text answer: a tool call happens when `tools` is non-empty,
 * `tool_choice` is not `"none"` and the conversation does not already end with a tool result.
 */
function toolToCall(body: JsonObject): string | undefined {
  const tools = body['tools'];
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  const choice = body['tool_choice'];
  if (choice === 'none') return undefined;
  const last = lastMessage(body);
  if (isJsonObject(last) && last['role'] === 'tool') return undefined;
  if (isJsonObject(choice) && isJsonObject(choice['function']) && typeof choice['function']['name'] === 'string') {
    return choice['function']['name'];
  }
  const first: unknown = tools[0];
  if (!isJsonObject(first)) return FAKE_DEFAULT_TOOL_NAME;
  const fn = first['function'];
  if (isJsonObject(fn) && typeof fn['name'] === 'string') return fn['name'];
  return typeof first['name'] === 'string' ? first['name'] : FAKE_DEFAULT_TOOL_NAME;
}

function answerFor(body: JsonObject, scenario: Scenario): Answer {
  const tool = toolToCall(body);
  if (tool !== undefined) return { kind: 'tool', name: tool };
  if (scenario.kind === 'big') return { kind: 'text', content: bigText(scenario.kilobytes), pieces: bigPieces(scenario.kilobytes) };
  if (scenario.kind === 'normal' && scenario.echo) {
    const text = lastUserText(body);
    return { kind: 'text', content: text, pieces: echoPieces(text, scenario, FAKE_STREAM_PIECES.length) };
  }
  return DEFAULT_ANSWER;
}

/** A non-streaming `chat.completion` body. */
export function chatCompletionJson(body: JsonObject, model: string, scenario: Scenario): string {
  const answer = answerFor(body, scenario);
  const message =
    answer.kind === 'tool'
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: fakeId('call_'), type: 'function', function: { name: answer.name, arguments: FAKE_TOOL_ARGUMENTS } }],
          refusal: null,
          annotations: [],
        }
      : { role: 'assistant', content: answer.content, refusal: null, annotations: [] };
  return JSON.stringify({
    id: fakeId('chatcmpl-'),
    object: 'chat.completion',
    created: unixSeconds(),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.kind === 'tool' ? 'tool_calls' : 'stop' }],
    usage: FAKE_USAGE,
    service_tier: 'default',
    system_fingerprint: FAKE_SYSTEM_FINGERPRINT,
  });
}

/** A streamed answer as `chat.completion.chunk` events (plus the usage chunk when asked for) and `[DONE]`. */
export function chatCompletionStream(body: JsonObject, model: string, scenario: Scenario): StreamPlan {
  const answer = answerFor(body, scenario);
  const includeUsage = wantsStreamUsage(body);
  const prefix =
    `{"id":"${fakeId('chatcmpl-')}","object":"chat.completion.chunk","created":${unixSeconds()},` +
    `"model":${JSON.stringify(model)},"service_tier":"default","system_fingerprint":"${FAKE_SYSTEM_FINGERPRINT}","choices":[`;
  const usageNull = includeUsage ? ',"usage":null' : '';
  const chunk = (delta: string, finishReason: string): string =>
    sseEvent(`${prefix}{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finishReason}}]${usageNull}}`);

  let head: string;
  let pieces: string[];
  if (answer.kind === 'tool') {
    head = chunk('{"role":"assistant","content":null,"refusal":null}', 'null');
    const start =
      `{"tool_calls":[{"index":0,"id":"${fakeId('call_')}","type":"function",` +
      `"function":{"name":${JSON.stringify(answer.name)},"arguments":""}}]}`;
    pieces = [chunk(start, 'null')];
    for (const part of FAKE_TOOL_ARGUMENT_PIECES) {
      pieces.push(chunk(`{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(part)}}}]}`, 'null'));
    }
  } else {
    head = chunk('{"role":"assistant","content":"","refusal":null}', 'null');
    pieces = answer.pieces.map((piece) => chunk(`{"content":${JSON.stringify(piece)}}`, 'null'));
  }
  let tail = chunk('{}', answer.kind === 'tool' ? '"tool_calls"' : '"stop"');
  if (includeUsage) tail += sseEvent(`${prefix}],"usage":${USAGE_JSON}}`);
  return { head, pieces, tail: tail + SSE_DONE };
}
