import { anthropicMessagesEncoder } from './anthropic/messages-encoder';
import { parseMessagesRequest } from './anthropic/messages-request';
import type { InboundApi } from './inbound-api';
import { chatCompletionsEncoder } from './openai/chat-encoder';
import { parseChatRequest } from './openai/chat-request';
import { validateOpenAiBody } from './openai/request-validation';
import { promptOnlyCanonical } from './prompt-only-canonical';
import { responsesEncoder } from './responses/responses-encoder';
import { parseResponsesRequest } from './responses/responses-request';

/** OpenAI Chat Completions: parsed for translation, passed through to OpenAI-compatible providers. */
export const CHAT_COMPLETIONS: InboundApi = {
  format: 'openai-chat',
  errorFormat: 'openai',
  parse: (body) => {
    validateOpenAiBody('openai-chat', body);
    return parseChatRequest(body);
  },
  encoder: chatCompletionsEncoder,
  // The newer name: reasoning models refuse `max_tokens`, and every OpenAI model accepts this one.
  outputLimitField: 'max_completion_tokens',
};

/** OpenAI embeddings: OpenAI-compatible providers only, never translated. */
export const EMBEDDINGS: InboundApi = {
  format: 'openai-embeddings',
  errorFormat: 'openai',
  parse: (body, model) => {
    validateOpenAiBody('openai-embeddings', body);
    return promptOnlyCanonical(body, 'input', model);
  },
};

/** OpenAI legacy completions (Continue's autocomplete): OpenAI-compatible providers only. */
export const LEGACY_COMPLETIONS: InboundApi = {
  format: 'openai-completions',
  errorFormat: 'openai',
  parse: (body, model) => {
    validateOpenAiBody('openai-completions', body);
    return promptOnlyCanonical(body, 'prompt', model);
  },
  outputLimitField: 'max_tokens',
};

/** OpenAI Responses (Codex, the Vercel AI SDK's default): stateless, `store: false`. */
export const RESPONSES: InboundApi = {
  format: 'openai-responses',
  errorFormat: 'openai',
  parse: (body) => parseResponsesRequest(body),
  encoder: responsesEncoder,
  outputLimitField: 'max_output_tokens',
};

/** Anthropic Messages (Claude Code, the Anthropic SDKs). */
export const MESSAGES: InboundApi = {
  format: 'anthropic-messages',
  errorFormat: 'anthropic',
  parse: (body) => parseMessagesRequest(body),
  encoder: anthropicMessagesEncoder,
  outputLimitField: 'max_tokens',
};
