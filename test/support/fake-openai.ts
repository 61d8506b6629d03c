/**
 * A fake OpenAI-compatible upstream for integration tests and benchmarks. The request's `model` picks the
 * scenario (see `./fake-openai/scenario.ts`); see `./fake-openai/server.ts` for the API.
 */
export { startFakeOpenAi, type FakeOpenAi } from './fake-openai/server';
export { fakeEmbedding } from './fake-openai/embeddings';
export { parseSseData } from './fake-openai/sse';
export {
  FAKE_CONTENT,
  FAKE_LEGACY_USAGE,
  FAKE_RETRY_AFTER_SECONDS,
  FAKE_STREAM_PIECES,
  FAKE_TOOL_ARGUMENTS,
  FAKE_USAGE,
} from './fake-openai/wire';
