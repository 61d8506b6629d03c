/** A fake Anthropic Messages API for tests; the request's `model` picks the scenario (see ./scenarios.ts). */
export { startFakeAnthropic, type FakeAnthropic } from './server';
export { FAKE_CACHE_USAGE, FAKE_RETRY_AFTER_SECONDS, FAKE_SIGNATURE, FAKE_TEXT_PIECES, FAKE_TOOL_INPUT, FAKE_USAGE } from './scenarios';
