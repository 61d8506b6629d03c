/**
 * Constants and small builders for the OpenAI wire format the fake speaks. Everything a test may want to
 * assert against (content, usage, tool arguments) is exported so tests never hard-code it twice.
 */

/** Non-streaming assistant content for ordinary models. */
export const FAKE_CONTENT = 'Hello from fake!';

/** Streamed content pieces for ordinary models; the last one is multi-byte UTF-8 on purpose. */
export const FAKE_STREAM_PIECES: readonly string[] = ['Hello', ' from', ' fake', '!', ' 👋'];

/** Arguments of the tool call the fake makes when the request carries `tools`. */
export const FAKE_TOOL_ARGUMENTS = '{"location":"Paris"}';

/** The same arguments as streamed, split across several `tool_calls` deltas. */
export const FAKE_TOOL_ARGUMENT_PIECES: readonly string[] = ['{"lo', 'cation"', ':"Par', 'is"}'];

/** Tool name used when the first tool has no recognisable name. */
export const FAKE_DEFAULT_TOOL_NAME = 'get_weather';

/** Usage reported by every chat completion, streamed or not. */
export const FAKE_USAGE = {
  prompt_tokens: 12,
  completion_tokens: 5,
  total_tokens: 17,
  prompt_tokens_details: { cached_tokens: 4 },
  completion_tokens_details: { reasoning_tokens: 2 },
} as const;

/** Usage reported by the legacy `/v1/completions` endpoint. */
export const FAKE_LEGACY_USAGE = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 } as const;

export const FAKE_SYSTEM_FINGERPRINT = 'fp_fake0001';

/** `retry-after` sent with `error-429`. */
export const FAKE_RETRY_AFTER_SECONDS = 7;

/** Default embedding width when the request has no `dimensions`. */
export const FAKE_EMBEDDING_DIMENSIONS = 8;

/** Delay between streamed content chunks for the `paced` model. */
export const FAKE_PACED_DELAY_MS = 50;

/** Model ids listed by `GET /v1/models`; any other model id is accepted too. */
const FAKE_MODEL_IDS: readonly string[] = [
  'fake-model',
  'echo',
  'paced',
  'hang',
  'hang-after-first',
  'drop-mid-stream',
  'error-429',
  'error-500',
  'error-401',
  'big-64',
  'fake-embedding',
  'no-base64',
];

const MODEL_CREATED = 1_700_000_000;

export const USAGE_JSON = JSON.stringify(FAKE_USAGE);
export const LEGACY_USAGE_JSON = JSON.stringify(FAKE_LEGACY_USAGE);

export const MODELS_LIST_JSON = JSON.stringify({
  object: 'list',
  data: FAKE_MODEL_IDS.map(modelObject),
});

export function modelObject(id: string): { id: string; object: 'model'; created: number; owned_by: string } {
  return { id, object: 'model', created: MODEL_CREATED, owned_by: 'gatellm-fake' };
}

/** `{ error: { message, type, param, code } }` as a JSON string. */
export function openAiErrorJson(message: string, type: string, code: string | null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

export interface ErrorReply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The error an `error-<status>` model (or a failed check) answers with, in OpenAI's own wording where known. */
export function errorReply(status: number, model: string): ErrorReply {
  switch (status) {
    case 400:
      return { status, body: openAiErrorJson('Fake bad request.', 'invalid_request_error', null) };
    case 401:
      return invalidApiKey();
    case 403:
      return { status, body: openAiErrorJson('You are not allowed to use this model.', 'permission_error', 'permission_denied') };
    case 404:
      return {
        status,
        body: openAiErrorJson(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'),
      };
    case 429:
      return {
        status,
        headers: { 'retry-after': String(FAKE_RETRY_AFTER_SECONDS) },
        body: openAiErrorJson(`Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1.`, 'requests', 'rate_limit_exceeded'),
      };
    case 500:
      return { status, body: openAiErrorJson('The server had an error while processing your request. Sorry about that!', 'server_error', null) };
    case 503:
      return { status, body: openAiErrorJson('The engine is currently overloaded, please try again later.', 'server_error', null) };
    default:
      return { status, body: openAiErrorJson(`Fake error ${status}.`, status >= 500 ? 'server_error' : 'invalid_request_error', null) };
  }
}

export function invalidApiKey(): ErrorReply {
  return {
    status: 401,
    body: openAiErrorJson(
      'Incorrect API key provided: sk-fake***. You can find your API key at https://platform.openai.com/account/api-keys.',
      'invalid_request_error',
      'invalid_api_key',
    ),
  };
}

export function badRequest(message: string, param: string | null = null): ErrorReply {
  return { status: 400, body: openAiErrorJson(message, 'invalid_request_error', null, param) };
}

/** A run-unique tag so ids from different fake instances and processes rarely collide. */
const RUN_TAG = Math.floor(Math.random() * 36 ** 6)
  .toString(36)
  .padStart(6, '0');
let sequence = 0;

/** `prefix` + a short unique suffix, e.g. `chatcmpl-fk3k9a0b000001`. */
export function fakeId(prefix: string): string {
  sequence += 1;
  return `${prefix}fk${RUN_TAG}${sequence.toString(36).padStart(6, '0')}`;
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** One SSE event carrying `data`. */
export function sseEvent(data: string): string {
  return `data: ${data}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';
