/**
 * A fake OpenAI-compatible upstream for integration tests and benchmarks. The request's `model` picks the
 * scenario (see `./fake-openai/scenario.ts`); see `./fake-openai/server.ts` for the API.
 */
export { startFakeOpenAi, type FakeOpenAi, type FakeOpenAiOptions, type RecordedRequest } from './fake-openai/server';
export { fakeEmbedding } from './fake-openai/embeddings';
export { parseSseData } from './fake-openai/sse';
export type { Scenario } from './fake-openai/scenario';
export {
  FAKE_CONTENT,
  FAKE_DEFAULT_TOOL_NAME,
  FAKE_EMBEDDING_DIMENSIONS,
  FAKE_LEGACY_USAGE,
  FAKE_MODEL_IDS,
  FAKE_PACED_DELAY_MS,
  FAKE_RETRY_AFTER_SECONDS,
  FAKE_STREAM_PIECES,
  FAKE_SYSTEM_FINGERPRINT,
  FAKE_TOOL_ARGUMENT_PIECES,
  FAKE_TOOL_ARGUMENTS,
  FAKE_USAGE,
} from './fake-openai/wire';
