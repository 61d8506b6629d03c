/**
 * The real Claude Code CLI (`@anthropic-ai/claude-code` from npm) completing one non-interactive turn
 * through the gateway, against a `claude-*` model on the (fake) Anthropic provider — Messages passed
 * through — and against a model on an OpenAI-compatible provider — Messages translated to Chat
 * Completions and back. Opt-in: `npm run test:tools` (see test/tools/README.md).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FAKE_TEXT_PIECES } from '../support/fake-anthropic';
import { FAKE_STREAM_PIECES } from '../support/fake-openai';
import { expectCompletedTurn } from './support/assert-turn';
import { CLAUDE_CODE } from './support/install-cli';
import { runProcess, type RunResult } from './support/run-process';
import { TOOL_MODELS, baseToolEnv } from './support/tool-gateway';
import { useCliAndGateway } from './support/use-cli';

const PROMPT = 'Reply with the word pong';
const RUN_TIMEOUT_MS = 120_000;

const setUp = useCliAndGateway(CLAUDE_CODE);

/** What `claude -p --output-format json` prints: one result object. */
interface ClaudeResult {
  readonly result?: unknown;
  readonly is_error?: unknown;
  readonly subtype?: unknown;
}

function parseResult(stdout: string): ClaudeResult | undefined {
  const line = stdout.trim().split('\n').at(-1);
  if (line === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

type Auth = 'ANTHROPIC_AUTH_TOKEN' | 'ANTHROPIC_API_KEY';

/**
 * `claude -p` with a scratch HOME, the gateway as ANTHROPIC_BASE_URL and the key in `auth` — the
 * two variables a user sets — plus the switches that keep it on loopback. Every model slot (haiku,
 * sonnet, opus) names the same public model, so no side request asks for a model the gateway lacks.
 */
async function runClaude(model: string, auth: Auth, name: string): Promise<{ run: RunResult; answer: string | undefined }> {
  const { cli: claude, tools: gw } = setUp();
  const home = join(gw.scratch, name, 'home');
  const work = join(gw.scratch, name, 'work');
  await mkdir(home, { recursive: true });
  await mkdir(work, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...baseToolEnv(gw, home),
    ANTHROPIC_BASE_URL: gw.url,
    [auth]: gw.key,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: model,
    ANTHROPIC_DEFAULT_SONNET_MODEL: model,
    ANTHROPIC_DEFAULT_OPUS_MODEL: model,
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
  const run = await runProcess(claude.bin, [
    '-p', PROMPT, '--output-format', 'json', '--model', model,
    '--no-session-persistence',
    // Nothing may wait for a person: a tool call that would ask is denied (the fakes may ask for one).
    '--permission-prompts', 'none',
  ], { cwd: work, env, timeoutMs: RUN_TIMEOUT_MS });
  const result = parseResult(run.stdout);
  return { run, answer: result?.is_error === false && typeof result.result === 'string' ? result.result : undefined };
}

describe('Claude Code through the gateway', () => {
  test(`a claude-* model on the Anthropic provider, key as ANTHROPIC_AUTH_TOKEN (Bearer)`, async () => {
    const { tools: gw } = setUp();
    const { run, answer } = await runClaude(TOOL_MODELS.claude, 'ANTHROPIC_AUTH_TOKEN', 'anthropic-token');
    await expectCompletedTurn(gw, {
      label: `claude -p --model ${TOOL_MODELS.claude} (ANTHROPIC_AUTH_TOKEN)`, run, answer, expectedText: FAKE_TEXT_PIECES.join(''),
      model: TOOL_MODELS.claude, upstream: gw.fakeAnthropic.requests, upstreamPath: '/v1/messages', userAgent: 'claude-cli',
    });
    expect(gw.recorder.exchanges.some((e) => e.requestHeaders.authorization === `Bearer ${gw.key}`)).toBe(true);
  });

  test(`a claude-* model on the Anthropic provider, key as ANTHROPIC_API_KEY (x-api-key)`, async () => {
    const { tools: gw } = setUp();
    const { run, answer } = await runClaude(TOOL_MODELS.claude, 'ANTHROPIC_API_KEY', 'anthropic-api-key');
    await expectCompletedTurn(gw, {
      label: `claude -p --model ${TOOL_MODELS.claude} (ANTHROPIC_API_KEY)`, run, answer, expectedText: FAKE_TEXT_PIECES.join(''),
      model: TOOL_MODELS.claude, upstream: gw.fakeAnthropic.requests, upstreamPath: '/v1/messages', userAgent: 'claude-cli',
    });
    expect(gw.recorder.exchanges.some((e) => e.requestHeaders['x-api-key'] === gw.key)).toBe(true);
  });

  test(`a model on an OpenAI-compatible provider (Messages translated to Chat Completions)`, async () => {
    const { tools: gw } = setUp();
    const { run, answer } = await runClaude(TOOL_MODELS.compatible, 'ANTHROPIC_AUTH_TOKEN', 'compatible');
    await expectCompletedTurn(gw, {
      label: `claude -p --model ${TOOL_MODELS.compatible}`, run, answer, expectedText: FAKE_STREAM_PIECES.join(''),
      model: TOOL_MODELS.compatible, upstream: gw.fakeOpenAi.requests, upstreamPath: '/v1/chat/completions', userAgent: 'claude-cli',
    });
  });
});
