/**
 * The real Codex CLI (`@openai/codex` from npm) completing one `codex exec` turn through the gateway
 * over the Responses API (`wire_api = "responses"`), against an OpenAI model — Responses passed
 * through — and against a `claude-*` model on the Anthropic provider — Responses translated to
 * Messages and back. Opt-in: `npm run test:tools` (see test/tools/README.md).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FAKE_TEXT_PIECES } from '../support/fake-anthropic';
import { FAKE_STREAM_PIECES } from '../support/fake-openai';
import { expectCompletedTurn } from './support/assert-turn';
import { CODEX } from './support/install-cli';
import { runProcess, type RunResult } from './support/run-process';
import { TOOL_MODELS, baseToolEnv } from './support/tool-gateway';
import { useCliAndGateway } from './support/use-cli';

const PROMPT = 'Reply with the word pong';
const RUN_TIMEOUT_MS = 120_000;
const KEY_VARIABLE = 'GATELLM_API_KEY';

const setUp = useCliAndGateway(CODEX);

/**
 * `$CODEX_HOME/config.toml`: the gateway as a custom provider (what the README tells users), plus
 * what keeps Codex on loopback and quick to fail. Run with `--strict-config`, so a key a newer
 * Codex no longer knows fails the run instead of being ignored.
 */
function codexConfig(model: string, gatewayUrl: string): string {
  return `# Written by test/tools/codex.tools.ts
model = "${model}"
model_provider = "gatellm"
# No version check against GitHub / npm.
check_for_update_on_startup = false
# Hosted web search runs at OpenAI only: toward another provider the gateway answers 400 naming the
# tool rather than dropping it, so the README tells users of non-OpenAI models to turn it off.
web_search = "disabled"

[model_providers.gatellm]
name = "GateLLM"
base_url = "${gatewayUrl}/v1"
env_key = "${KEY_VARIABLE}"
wire_api = "responses"
# A failing gateway fails the run at once instead of after Codex's back-off retries.
request_max_retries = 0
stream_max_retries = 0
stream_idle_timeout_ms = 60000

# No usage analytics, feedback uploads or OpenTelemetry export.
[analytics]
enabled = false

[feedback]
enabled = false

[otel]
exporter = "none"

[history]
persistence = "none"

# The curated plugin marketplace is fetched from github.com at start-up otherwise.
[features]
plugins = false
`;
}

async function runCodex(model: string, name: string): Promise<{ run: RunResult; answer: string | undefined }> {
  const { cli: codex, tools: gw } = setUp();
  const home = join(gw.scratch, name, 'home');
  const codexHome = join(home, '.codex');
  const work = join(gw.scratch, name, 'work');
  const lastMessage = join(gw.scratch, name, 'last-message.txt');
  await mkdir(codexHome, { recursive: true });
  await mkdir(work, { recursive: true });
  await writeFile(join(codexHome, 'config.toml'), codexConfig(model, gw.url));
  const env: NodeJS.ProcessEnv = { ...baseToolEnv(gw, home), CODEX_HOME: codexHome, [KEY_VARIABLE]: gw.key };
  const run = await runProcess(codex.bin, [
    'exec', '--strict-config', '--skip-git-repo-check', '--ephemeral', '--sandbox', 'read-only', '--color', 'never',
    '--json', '--output-last-message', lastMessage, PROMPT,
  ], { cwd: work, env, timeoutMs: RUN_TIMEOUT_MS });
  const answer = await readFile(lastMessage, 'utf8').catch(() => undefined);
  return { run, answer };
}

describe('Codex through the gateway (wire_api = "responses")', () => {
  test('an OpenAI model on the OpenAI provider (Responses passed through)', async () => {
    const { tools: gw } = setUp();
    const { run, answer } = await runCodex(TOOL_MODELS.openai, 'openai');
    await expectCompletedTurn(gw, {
      label: `codex exec (${TOOL_MODELS.openai})`, run, answer, expectedText: FAKE_STREAM_PIECES.join(''),
      model: TOOL_MODELS.openai, upstream: gw.fakeOpenAi.requests, upstreamPath: '/v1/responses', userAgent: 'codex_exec',
    });
  });

  test('a claude-* model on the Anthropic provider (Responses translated to Messages)', async () => {
    const { tools: gw } = setUp();
    const { run, answer } = await runCodex(TOOL_MODELS.claude, 'anthropic');
    await expectCompletedTurn(gw, {
      label: `codex exec (${TOOL_MODELS.claude})`, run, answer, expectedText: FAKE_TEXT_PIECES.join(''),
      model: TOOL_MODELS.claude, upstream: gw.fakeAnthropic.requests, upstreamPath: '/v1/messages', userAgent: 'codex_exec',
    });
  });
});
