import { FAKE_PACED_DELAY_MS } from './wire';

/**
 * What the fake does for a request, chosen by its `model` field:
 *
 * | model | behaviour |
 * |---|---|
 * | anything else (`fake-model`, …) | normal answer |
 * | `echo` | answers with the last user message's text (chat), the prompt (legacy completions) or the last input text (Responses) |
 * | `echo-fine` | the same, streamed in pieces of 3 characters (so that any placeholder is split across chunks) |
 * | `paced`, `paced-<ms>` | streams with `<ms>` (default 50) between content chunks; non-stream answers after 5 × `<ms>` |
 * | `error-<status>` | that status with an OpenAI error body (`error-429` adds `retry-after: 7`) |
 * | `error-429-bare` | 429 with an OpenAI error body and no `retry-after` |
 * | `error-<status>-echo-headers` | that status, with every request header (credentials included) echoed in the message |
 * | `huge-event-<MiB>` | streams the role chunk, then one event of that many MiB, written in 64 KiB pieces |
 * | `huge-json-<MiB>` | a chat completion of that many MiB, sent chunked in 64 KiB pieces |
 * | `hang` | reads the request and never answers |
 * | `hang-after-first` | sends the headers and the first event (role chunk), then nothing |
 * | `drop-mid-stream` | sends the role chunk and two content chunks (non-stream: half the JSON), then destroys the socket |
 * | `big-<N>` | content of N KiB (streamed as N chunks of 1 KiB) |
 * | `slow-end-<ms>` | streams the whole answer, its terminal event (`[DONE]`) included, and ends the response `<ms>` later, as a provider whose last bytes come in a later packet |
 * | `no-base64` | embeddings ignore `encoding_format` and always return floats |
 */
export type Scenario =
  | { readonly kind: 'normal'; readonly echo: boolean; readonly pieceLength?: number }
  | { readonly kind: 'paced'; readonly delayMs: number }
  | { readonly kind: 'error'; readonly status: number; readonly retryAfter?: false; readonly echoHeaders?: true }
  | { readonly kind: 'huge-event'; readonly mebibytes: number }
  | { readonly kind: 'huge-json'; readonly mebibytes: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'hang-after-first' }
  | { readonly kind: 'drop-mid-stream' }
  | { readonly kind: 'big'; readonly kilobytes: number }
  | { readonly kind: 'slow-end'; readonly delayMs: number }
  | { readonly kind: 'no-base64' };

const NORMAL: Scenario = { kind: 'normal', echo: false };
const MAX_PACED_DELAY_MS = 60_000;
const MAX_BIG_KILOBYTES = 64 * 1024;
const MAX_HUGE_MEBIBYTES = 1024;

const cache = new Map<string, Scenario>();
const CACHE_LIMIT = 1000;

/** Parses (and memoises) the scenario for a model id. */
export function scenarioFor(model: string): Scenario {
  const cached = cache.get(model);
  if (cached !== undefined) return cached;
  const scenario = parse(model);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(model, scenario);
  return scenario;
}

function parse(model: string): Scenario {
  switch (model) {
    case 'echo':
      return { kind: 'normal', echo: true };
    case 'echo-fine':
      return { kind: 'normal', echo: true, pieceLength: 3 };
    case 'hang':
      return { kind: 'hang' };
    case 'hang-after-first':
      return { kind: 'hang-after-first' };
    case 'drop-mid-stream':
      return { kind: 'drop-mid-stream' };
    case 'no-base64':
      return { kind: 'no-base64' };
    case 'paced':
      return { kind: 'paced', delayMs: FAKE_PACED_DELAY_MS };
  }
  const paced = /^paced-(\d{1,6})$/.exec(model);
  if (paced?.[1] !== undefined) return { kind: 'paced', delayMs: Math.min(Number(paced[1]), MAX_PACED_DELAY_MS) };
  const slowEnd = /^slow-end-(\d{1,5})$/.exec(model);
  if (slowEnd?.[1] !== undefined) return { kind: 'slow-end', delayMs: Math.min(Number(slowEnd[1]), MAX_PACED_DELAY_MS) };
  const error = /^error-([45]\d\d)$/.exec(model);
  if (error?.[1] !== undefined) return { kind: 'error', status: Number(error[1]) };
  if (model === 'error-429-bare') return { kind: 'error', status: 429, retryAfter: false };
  const echo = /^error-([45]\d\d)-echo-headers$/.exec(model);
  if (echo?.[1] !== undefined) return { kind: 'error', status: Number(echo[1]), echoHeaders: true };
  const huge = /^huge-(event|json)-(\d{1,4})$/.exec(model);
  if (huge?.[2] !== undefined) {
    return { kind: huge[1] === 'event' ? 'huge-event' : 'huge-json', mebibytes: Math.min(Number(huge[2]), MAX_HUGE_MEBIBYTES) };
  }
  const big = /^big-(\d{1,6})$/.exec(model);
  if (big?.[1] !== undefined) return { kind: 'big', kilobytes: Math.min(Number(big[1]), MAX_BIG_KILOBYTES) };
  return NORMAL;
}
