import { bigPieces, bigText, echoPieces, wantsStreamUsage, type JsonObject } from './json';
import type { StreamPlan } from './respond';
import type { Scenario } from './scenario';
import {
  FAKE_CONTENT,
  FAKE_LEGACY_USAGE,
  FAKE_STREAM_PIECES,
  FAKE_SYSTEM_FINGERPRINT,
  LEGACY_USAGE_JSON,
  SSE_DONE,
  fakeId,
  sseEvent,
  unixSeconds,
} from './wire';

/** Legacy `/v1/completions`: basic support only (text, echo of the prompt, big-N, stream with usage). */

function promptText(body: JsonObject): string {
  const prompt = body['prompt'];
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && typeof prompt[0] === 'string') return prompt[0];
  return '';
}

function textFor(body: JsonObject, scenario: Scenario): { content: string; pieces: readonly string[] } {
  if (scenario.kind === 'big') return { content: bigText(scenario.kilobytes), pieces: bigPieces(scenario.kilobytes) };
  if (scenario.kind === 'normal' && scenario.echo) {
    const text = promptText(body);
    return { content: text, pieces: echoPieces(text, scenario, FAKE_STREAM_PIECES.length) };
  }
  return { content: FAKE_CONTENT, pieces: FAKE_STREAM_PIECES };
}

export function textCompletionJson(body: JsonObject, model: string, scenario: Scenario): string {
  return JSON.stringify({
    id: fakeId('cmpl-'),
    object: 'text_completion',
    created: unixSeconds(),
    model,
    choices: [{ text: textFor(body, scenario).content, index: 0, logprobs: null, finish_reason: 'stop' }],
    usage: FAKE_LEGACY_USAGE,
    system_fingerprint: FAKE_SYSTEM_FINGERPRINT,
  });
}

export function textCompletionStream(body: JsonObject, model: string, scenario: Scenario): StreamPlan {
  const includeUsage = wantsStreamUsage(body);
  const prefix = `{"id":"${fakeId('cmpl-')}","object":"text_completion","created":${unixSeconds()},"choices":[`;
  const suffix = `],"model":${JSON.stringify(model)},"system_fingerprint":"${FAKE_SYSTEM_FINGERPRINT}"${includeUsage ? ',"usage":null' : ''}}`;
  const chunk = (text: string, finishReason: string): string =>
    sseEvent(`${prefix}{"text":${JSON.stringify(text)},"index":0,"logprobs":null,"finish_reason":${finishReason}}${suffix}`);
  const [first = '', ...rest] = textFor(body, scenario).pieces.map((piece) => chunk(piece, 'null'));
  let tail = chunk('', '"stop"');
  if (includeUsage) {
    tail += sseEvent(`${prefix}],"model":${JSON.stringify(model)},"system_fingerprint":"${FAKE_SYSTEM_FINGERPRINT}","usage":${LEGACY_USAGE_JSON}}`);
  }
  return { head: first, pieces: rest, tail: tail + SSE_DONE };
}
