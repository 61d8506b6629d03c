/**
 * The OpenAI Responses API as a provider format: request building, stream and JSON decoding into
 * typed events, the same-format pass-through tap, and usage parsing.
 */
export { buildResponsesBody, TOOL_ERROR_PREFIX } from './request-body';
export { decodeResponsesStream } from './stream-decoder';
export { decodeResponsesJson } from './json-decoder';
export { tapResponsesStream } from './tap';
export { parseResponsesUsage } from './usage';
