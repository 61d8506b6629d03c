import { InvalidRequestError } from '../../errors/gateway-error';
import type { WireFormat } from '../../providers/provider';
import {
  anyOf, arrayOf, boolean, checkFields, integer, number, object, oneOf, string, type FieldCheck,
} from './field-checks';

/**
 * The known fields of each OpenAI endpoint, with the types and ranges OpenAI documents. A request that
 * breaks one gets a 400 naming the field instead of reaching (and maybe being billed by) a provider.
 * Fields not listed here — new OpenAI parameters, provider extensions — pass through untouched.
 */

/** Longest `user` accepted; it may be copied into logs and records, so it is bounded like the model name. */
const MAX_USER_LENGTH = 256;
/** OpenAI's own metadata limits: 16 pairs, keys of 64 characters, values of 512. */
const METADATA_LIMITS = { pairs: 16, keyLength: 64, valueLength: 512 } as const;

function metadataError(param: string, message: string, code: 'invalid_type' | 'invalid_value'): never {
  throw new InvalidRequestError(`'${param}' ${message}.`, code, { param });
}

const metadata: FieldCheck = (value, param) => {
  object(value, param);
  const entries = Object.entries(value as Readonly<Record<string, unknown>>);
  if (entries.length > METADATA_LIMITS.pairs) metadataError(param, `may have at most ${METADATA_LIMITS.pairs} pairs`, 'invalid_value');
  for (const [key, entry] of entries) {
    // The key itself is caller input: the param names the object, not a possibly huge key.
    if (key.length > METADATA_LIMITS.keyLength) metadataError(param, `keys must be at most ${METADATA_LIMITS.keyLength} characters`, 'invalid_value');
    if (typeof entry !== 'string') metadataError(param, 'values must be strings', 'invalid_type');
    if (entry.length > METADATA_LIMITS.valueLength) metadataError(param, `values must be at most ${METADATA_LIMITS.valueLength} characters`, 'invalid_value');
  }
};

/** Each message is an object with a string `role`; its content is the provider's business. */
const messageWithRole: FieldCheck = (value, param) => {
  object(value, param);
  const role = (value as Readonly<Record<string, unknown>>).role;
  if (role === undefined || role === null) {
    throw new InvalidRequestError(`Missing required parameter: '${param}.role'.`, 'missing_required_parameter', { param: `${param}.role` });
  }
  string()(role, `${param}.role`);
};

const tokenId = integer(0);
const isString = (value: unknown): boolean => typeof value === 'string';
const isArrayOf = (test: (item: unknown) => boolean) => (value: unknown): boolean => Array.isArray(value) && value.every(test);
const isNumber = (value: unknown): boolean => typeof value === 'number';

/** `prompt` and embeddings `input`: text, texts, token ids, or lists of token ids — never empty. */
const textOrTokens = anyOf('a string, an array of strings, an array of token ids or an array of token-id arrays', [
  { matches: isString, check: string() },
  { matches: isArrayOf(isString), check: arrayOf(string(), { minItems: 1 }) },
  { matches: isArrayOf(isNumber), check: arrayOf(tokenId, { minItems: 1 }) },
  { matches: isArrayOf(Array.isArray), check: arrayOf(arrayOf(tokenId, { minItems: 1 }), { minItems: 1 }) },
]);

const stop = anyOf('a string or an array of up to 4 strings', [
  { matches: isString, check: string() },
  { matches: Array.isArray, check: arrayOf(string(), { maxItems: 4 }) },
]);

/** Fields the chat and legacy completions endpoints share. */
const SAMPLING: Readonly<Record<string, FieldCheck>> = {
  n: integer(1, 128),
  temperature: number(0, 2),
  top_p: number(0, 1),
  presence_penalty: number(-2, 2),
  frequency_penalty: number(-2, 2),
  stream: boolean,
  stream_options: object,
  stop,
  seed: integer(Number.MIN_SAFE_INTEGER),
  user: string(MAX_USER_LENGTH),
  logit_bias: object,
};

interface EndpointFields {
  /** The field the endpoint cannot work without. */
  readonly required: string;
  readonly fields: Readonly<Record<string, FieldCheck>>;
}

/** The OpenAI endpoints this file knows the fields of; Responses bodies are checked by their own parser. */
export type ValidatedOpenAiFormat = Extract<WireFormat, 'openai-chat' | 'openai-completions' | 'openai-embeddings'>;

const ENDPOINTS: Readonly<Record<ValidatedOpenAiFormat, EndpointFields>> = {
  'openai-chat': {
    required: 'messages',
    fields: {
      ...SAMPLING,
      messages: arrayOf(messageWithRole, { minItems: 1 }),
      max_tokens: integer(1),
      max_completion_tokens: integer(1),
      logprobs: boolean,
      top_logprobs: integer(0, 20),
      tools: arrayOf(object),
      parallel_tool_calls: boolean,
      metadata,
      store: boolean,
    },
  },
  'openai-completions': {
    required: 'prompt',
    fields: {
      ...SAMPLING,
      prompt: textOrTokens,
      // 0 is meaningful here: with `echo` it scores the prompt without generating.
      max_tokens: integer(0),
      logprobs: integer(0, 5),
      best_of: integer(1, 20),
      echo: boolean,
      suffix: string(),
    },
  },
  'openai-embeddings': {
    required: 'input',
    fields: {
      input: textOrTokens,
      encoding_format: oneOf(['float', 'base64']),
      dimensions: integer(1),
      user: string(MAX_USER_LENGTH),
      stream: (value, param) => {
        if (value === true) throw new InvalidRequestError('This endpoint does not stream.', 'invalid_value', { param });
        boolean(value, param);
      },
    },
  },
};

/** Checks the known fields of a parsed body for one endpoint; throws a 400 naming the first bad field. */
export function validateOpenAiBody(format: ValidatedOpenAiFormat, body: Readonly<Record<string, unknown>>): void {
  const endpoint = ENDPOINTS[format];
  const required = body[endpoint.required];
  if (required === undefined || required === null || required === '') {
    throw new InvalidRequestError(`Missing required parameter: '${endpoint.required}'.`, 'missing_required_parameter', { param: endpoint.required });
  }
  checkFields(body, endpoint.fields);
}
