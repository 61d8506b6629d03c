import type { ServerResponse } from 'node:http';
import { echoPieces, isJsonObject, type JsonObject } from './json';
import { deliverJson, deliverStream, sendError, type ResponseHost } from './respond';
import { scenarioFor, type Scenario } from './scenario';
import { FAKE_DEFAULT_TOOL_NAME, FAKE_STREAM_PIECES, FAKE_TOOL_ARGUMENT_PIECES, FAKE_TOOL_ARGUMENTS, badRequest, errorReply, fakeId, unixSeconds } from './wire';

/**
 * `POST /v1/responses`, as OpenAI speaks it: a Response object, or the typed SSE sequence
 * (`event: <type>` + `data: {type, sequence_number, …}`) from `response.created` to the terminal event.
 * The model id picks the answer; besides the shared scenarios (`error-<status>`, `paced`, `hang`, …):
 *
 * | model | answer |
 * |---|---|
 * | any, with `tools` (and no function_call_output last) | one function call, arguments split mid-string |
 * | `responses-parallel` | two function calls whose argument deltas interleave |
 * | `responses-args-in-done` | one function call whose arguments come only in `output_item.done` |
 * | `responses-reasoning` | a reasoning item with two summary parts, then text |
 * | `responses-incomplete` | text cut short: `response.incomplete`, reason `max_output_tokens` |
 * | `responses-failed` | `response.failed` (`server_error`) after `response.in_progress` |
 * | `responses-failed-rate-limit` | `response.failed` with `rate_limit_exceeded` |
 * | `responses-error-event` | a top-level `error` event after `response.in_progress` |
 * | `echo`, `echo-fine` | text: the last user input's text (`echo-fine`: in pieces of 3 characters) |
 * | anything else | text: FAKE_STREAM_PIECES |
 */

export const FAKE_RESPONSES_USAGE = {
  input_tokens: 12,
  input_tokens_details: { cached_tokens: 4 },
  output_tokens: 5,
  output_tokens_details: { reasoning_tokens: 2 },
  total_tokens: 17,
} as const;

export const FAKE_REASONING_SUMMARY: readonly string[] = ['**Thinking** about it.', 'Decided to greet.'];
export const FAKE_SECOND_TOOL_ARGUMENTS = '{"timezone":"Europe/Paris"}';

type Frame = Record<string, unknown>;

/** Builds one answer: frames with running sequence numbers, and the output items for the final object. */
class Answer {
  readonly output: Frame[] = [];
  private sequence = 0;
  readonly frames: string[] = [];
  readonly response: Frame;

  constructor(model: string) {
    this.response = {
      id: fakeId('resp_'), object: 'response', created_at: unixSeconds(), status: 'in_progress', background: false, error: null,
      incomplete_details: null, instructions: null, max_output_tokens: null, model, output: [], parallel_tool_calls: true,
      previous_response_id: null, reasoning: { effort: null, summary: null }, store: false, temperature: 1,
      text: { format: { type: 'text' } }, tool_choice: 'auto', tools: [], top_p: 1, truncation: 'disabled', usage: null, metadata: {},
    };
  }

  frame(type: string, fields: Frame): string {
    const text = `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.sequence++, ...fields })}\n\n`;
    this.frames.push(text);
    return text;
  }

  snapshot(status: string, extra: Frame = {}): Frame {
    return { ...this.response, status, output: this.output, ...extra };
  }
}

interface Plan { readonly head: string; readonly pieces: readonly string[]; readonly tail: string; readonly json: Frame }

function toolNames(body: JsonObject): string[] | undefined {
  const tools = body['tools'];
  if (!Array.isArray(tools) || tools.length === 0 || body['tool_choice'] === 'none') return undefined;
  const input = body['input'];
  const last: unknown = Array.isArray(input) ? input[input.length - 1] : undefined;
  if (isJsonObject(last) && last['type'] === 'function_call_output') return undefined;
  return tools.map((tool: unknown) => (isJsonObject(tool) && typeof tool['name'] === 'string' ? tool['name'] : FAKE_DEFAULT_TOOL_NAME));
}

function textItem(a: Answer, pieces: readonly string[]): string[] {
  const id = fakeId('msg_');
  const index = a.output.length;
  const where = { item_id: id, output_index: index, content_index: 0 };
  const out = [a.frame('response.output_item.added', { output_index: index, item: { id, type: 'message', status: 'in_progress', content: [], role: 'assistant' } }),
    a.frame('response.content_part.added', { ...where, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } })];
  for (const delta of pieces) out.push(a.frame('response.output_text.delta', { ...where, delta, logprobs: [], obfuscation: 'x' }));
  const text = pieces.join('');
  const part = { type: 'output_text', annotations: [], logprobs: [], text };
  const item = { id, type: 'message', status: 'completed', content: [part], role: 'assistant' };
  a.output.push(item);
  out.push(a.frame('response.output_text.done', { ...where, text, logprobs: [] }), a.frame('response.content_part.done', { ...where, part }),
    a.frame('response.output_item.done', { output_index: index, item }));
  return out;
}

function reasoningItem(a: Answer): string[] {
  const id = fakeId('rs_');
  const index = a.output.length;
  const out = [a.frame('response.output_item.added', { output_index: index, item: { id, type: 'reasoning', summary: [] } })];
  FAKE_REASONING_SUMMARY.forEach((text, summaryIndex) => {
    const where = { item_id: id, output_index: index, summary_index: summaryIndex };
    out.push(a.frame('response.reasoning_summary_part.added', { ...where, part: { type: 'summary_text', text: '' } }),
      a.frame('response.reasoning_summary_text.delta', { ...where, delta: text.slice(0, 5) }),
      a.frame('response.reasoning_summary_text.delta', { ...where, delta: text.slice(5) }),
      a.frame('response.reasoning_summary_text.done', { ...where, text }),
      a.frame('response.reasoning_summary_part.done', { ...where, part: { type: 'summary_text', text } }));
  });
  const item = { id, type: 'reasoning', summary: FAKE_REASONING_SUMMARY.map((text) => ({ type: 'summary_text', text })), encrypted_content: 'gAAAAfakeEncrypted==' };
  a.output.push(item);
  out.push(a.frame('response.output_item.done', { output_index: index, item }));
  return out;
}

/** Function calls; their argument deltas interleave (round robin) when there are several. */
function callItems(a: Answer, calls: readonly { readonly name: string; readonly pieces: readonly string[] }[], argsInDone: boolean): string[] {
  const started = calls.map((call) => ({ ...call, id: fakeId('fc_'), callId: fakeId('call_'), index: a.output.length + calls.indexOf(call) }));
  const out = started.map((call) => a.frame('response.output_item.added', {
    output_index: call.index, item: { id: call.id, type: 'function_call', status: 'in_progress', arguments: '', call_id: call.callId, name: call.name },
  }));
  const rounds = Math.max(...calls.map((call) => call.pieces.length));
  for (let round = 0; round < rounds && !argsInDone; round++) {
    for (const call of started) {
      const delta = call.pieces[round];
      if (delta !== undefined) out.push(a.frame('response.function_call_arguments.delta', { item_id: call.id, output_index: call.index, delta, obfuscation: 'y' }));
    }
  }
  for (const call of started) {
    const args = call.pieces.join('');
    const item = { id: call.id, type: 'function_call', status: 'completed', arguments: args, call_id: call.callId, name: call.name };
    a.output.push(item);
    if (!argsInDone) out.push(a.frame('response.function_call_arguments.done', { item_id: call.id, output_index: call.index, arguments: args }));
    out.push(a.frame('response.output_item.done', { output_index: call.index, item }));
  }
  return out;
}

/** The text of the last user input: `input` itself when a string, else the last user item's text parts. */
function lastInputText(body: JsonObject): string {
  const input = body['input'];
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return '';
  for (let index = input.length - 1; index >= 0; index -= 1) {
    const item: unknown = input[index];
    if (!isJsonObject(item) || item['role'] !== 'user') continue;
    const content = item['content'];
    if (typeof content === 'string') return content;
    if (Array.isArray(content)) {
      return content.map((part: unknown) => (isJsonObject(part) && typeof part['text'] === 'string' ? part['text'] : '')).join('');
    }
  }
  return '';
}

function plan(body: JsonObject, model: string): Plan {
  const a = new Answer(model);
  const head = a.frame('response.created', { response: a.snapshot('in_progress') }) + a.frame('response.in_progress', { response: a.snapshot('in_progress') });
  const tools = toolNames(body);
  let pieces: string[];
  if (model === 'responses-failed' || model === 'responses-failed-rate-limit') {
    const error = model === 'responses-failed'
      ? { code: 'server_error', message: 'The model failed to generate a response.' }
      : { code: 'rate_limit_exceeded', message: 'Rate limit reached for requests. Please try again in 20s.' };
    const tail = a.frame('response.failed', { response: a.snapshot('failed', { error }) });
    return { head, pieces: [], tail, json: a.snapshot('failed', { error }) };
  }
  if (model === 'responses-error-event') {
    return { head, pieces: [], tail: a.frame('error', { code: 'server_error', message: 'Something went wrong.', param: null }), json: a.snapshot('failed') };
  }
  if (model === 'responses-parallel') {
    pieces = callItems(a, [
      { name: tools?.[0] ?? FAKE_DEFAULT_TOOL_NAME, pieces: FAKE_TOOL_ARGUMENT_PIECES },
      { name: tools?.[1] ?? 'get_time', pieces: ['{"time', 'zone":"Eu', 'rope/Paris"}'] },
    ], false);
  } else if (model === 'responses-args-in-done') {
    pieces = callItems(a, [{ name: tools?.[0] ?? FAKE_DEFAULT_TOOL_NAME, pieces: [FAKE_TOOL_ARGUMENTS] }], true);
  } else if (tools !== undefined) {
    pieces = callItems(a, [{ name: tools[0] ?? FAKE_DEFAULT_TOOL_NAME, pieces: FAKE_TOOL_ARGUMENT_PIECES }], false);
  } else if (model === 'responses-reasoning') {
    pieces = [...reasoningItem(a), ...textItem(a, FAKE_STREAM_PIECES)];
  } else if (model === 'echo' || model === 'echo-fine') {
    const scenario = scenarioFor(model);
    pieces = textItem(a, echoPieces(lastInputText(body), scenario.kind === 'normal' ? scenario : {}, FAKE_STREAM_PIECES.length));
  } else if (model === 'responses-incomplete') {
    pieces = textItem(a, FAKE_STREAM_PIECES.slice(0, 2));
  } else {
    pieces = textItem(a, FAKE_STREAM_PIECES);
  }
  const incomplete = model === 'responses-incomplete';
  const final = a.snapshot(incomplete ? 'incomplete' : 'completed', {
    usage: FAKE_RESPONSES_USAGE,
    ...(incomplete ? { incomplete_details: { reason: 'max_output_tokens' } } : { completed_at: unixSeconds() }),
  });
  const tail = a.frame(incomplete ? 'response.incomplete' : 'response.completed', { response: final });
  return { head, pieces, tail, json: final };
}

/** Serves `POST /v1/responses` (auth already checked by the server). */
export function respondResponses(host: ResponseHost, res: ServerResponse, requestId: string, body: unknown, invalidJson: boolean): void {
  if (invalidJson || !isJsonObject(body)) {
    sendError(res, badRequest('We could not parse the JSON body of your request.'), requestId);
    return;
  }
  const model = body['model'];
  if (typeof model !== 'string' || model.length === 0) {
    sendError(res, badRequest('Missing required parameter: \'model\'.', 'model'), requestId);
    return;
  }
  if (body['previous_response_id'] !== undefined && body['previous_response_id'] !== null) {
    sendError(res, { status: 400, body: JSON.stringify({ error: { message: 'Previous response not found.', type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' } }) }, requestId);
    return;
  }
  const scenario: Scenario = scenarioFor(model);
  if (scenario.kind === 'error') {
    sendError(res, errorReply(scenario.status, model), requestId);
    return;
  }
  if (scenario.kind === 'hang') return;
  const answer = plan(body, model);
  if (body['stream'] === true) deliverStream(host, res, requestId, scenario, answer);
  else deliverJson(host, res, requestId, scenario, JSON.stringify(answer.json));
}
