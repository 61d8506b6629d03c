import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGatewayConfig } from '../../../lambda/config/validate-config';
import { silentLogger } from '../../../lambda/logging/logger';
import { startLocalGateway, type LocalGateway } from '../../../lambda/local/local-gateway';
import type { UsageRecord } from '../../../lambda/stores/store';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { startFakeOpenAi, type FakeOpenAi } from '../../support/fake-openai';
import { createMemoryStores, seedKey, type MemoryStores } from '../../support/memory-stores';
import { startEgressTrap, startRecordingProxy, type EgressTrap, type RecordingProxy } from './loopback';
import { killRunningChildren } from './run-process';

/**
 * Public model names the tools ask for, and where the gateway sends them. Names a real user would
 * type, so each tool takes its ordinary code path for them (Claude Code knows `claude-*` models).
 */
export const TOOL_MODELS = {
  /** Anthropic provider (the fake Anthropic): Messages in, Messages out for Claude Code; translated for Codex. */
  claude: 'claude-sonnet-5-5',
  /** OpenAI provider (the fake OpenAI, Responses route): pass-through for Codex. */
  openai: 'gpt-5.4',
  /** OpenAI-compatible provider (the fake OpenAI, Chat Completions): translated for Claude Code. */
  compatible: 'qwen3-coder',
} as const;

const UPSTREAM_OPENAI_KEY = 'sk-tools-upstream-openai';
const UPSTREAM_ANTHROPIC_KEY = 'sk-ant-tools-upstream';
const PRICE = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 };
const ADMIN_TOKEN = 'tools-suite-admin-token';

export interface ToolGateway {
  readonly gateway: LocalGateway;
  readonly fakeOpenAi: FakeOpenAi;
  readonly fakeAnthropic: FakeAnthropic;
  readonly memory: MemoryStores;
  /** A gateway key of team `team_tools`. */
  readonly key: string;
  /** What the tools are pointed at: the recorder in front of the gateway, e.g. `http://127.0.0.1:PORT` (no `/v1`). */
  readonly url: string;
  readonly recorder: RecordingProxy;
  readonly egress: EgressTrap;
  /** A scratch folder for this test file (HOME, CODEX_HOME, working directory), removed by close(). */
  readonly scratch: string;
  /** Writes pending usage, then returns every usage record so far. */
  usage(): Promise<UsageRecord[]>;
  /** Clears request logs and usage between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Fakes for OpenAI (Chat Completions and Responses) and Anthropic on 127.0.0.1, the gateway in-process
 * over memory stores, a recorder in front of it and an egress trap for everything else.
 */
export async function startToolGateway(): Promise<ToolGateway> {
  const scratch = await mkdtemp(join(tmpdir(), 'gatellm-tools-'));
  const fakeOpenAi = await startFakeOpenAi({ apiKey: UPSTREAM_OPENAI_KEY });
  const fakeAnthropic = await startFakeAnthropic({ apiKey: UPSTREAM_ANTHROPIC_KEY });
  const config = parseGatewayConfig({
    providers: {
      openai: { type: 'openai', baseUrl: fakeOpenAi.baseUrl, apiKey: { env: 'TOOLS_OPENAI_KEY' } },
      compatible: { type: 'openai-compatible', baseUrl: fakeOpenAi.baseUrl, apiKey: { env: 'TOOLS_COMPATIBLE_KEY' } },
      anthropic: { type: 'anthropic', baseUrl: fakeAnthropic.baseUrl, apiKey: { env: 'TOOLS_ANTHROPIC_KEY' } },
    },
    models: {
      [TOOL_MODELS.claude]: { provider: 'anthropic', model: TOOL_MODELS.claude, price: PRICE },
      [TOOL_MODELS.openai]: { provider: 'openai', model: 'fake-model', price: PRICE },
      [TOOL_MODELS.compatible]: { provider: 'compatible', model: 'fake-model', price: PRICE },
    },
  });
  const memory = createMemoryStores();
  const gateway = await startLocalGateway({
    config, stores: memory, logger: silentLogger, adminToken: ADMIN_TOKEN, port: 0,
    secrets: async (provider) => (provider === 'anthropic' ? UPSTREAM_ANTHROPIC_KEY : UPSTREAM_OPENAI_KEY),
  });
  const { key } = await seedKey(memory, { teamId: 'team_tools', user: 'tools@example.com' });
  const recorder = await startRecordingProxy(gateway.url);
  const egress = await startEgressTrap();
  return {
    gateway, fakeOpenAi, fakeAnthropic, memory, key, recorder, egress, scratch, url: recorder.url,
    async usage() {
      await gateway.app.drain();
      return [...memory.usageRecords];
    },
    async reset() {
      await gateway.app.drain();
      fakeOpenAi.reset();
      fakeAnthropic.reset();
      memory.usageRecords.splice(0);
      recorder.exchanges.splice(0);
      egress.attempts.splice(0);
    },
    async close() {
      killRunningChildren();
      await recorder.close();
      await egress.close();
      await gateway.close();
      await fakeOpenAi.close();
      await fakeAnthropic.close();
      if (process.env['GATELLM_TOOLS_KEEP'] === undefined) await rm(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * The environment every CLI gets, and nothing else from the caller's: PATH (Node for Codex's
 * launcher), a scratch HOME, a C locale, and every proxy variable pointing at the egress trap (loopback
 * exempt), so no credential or config of the person running the suite reaches the tools.
 */
export function baseToolEnv(tools: ToolGateway, home: string): NodeJS.ProcessEnv {
  const trap = tools.egress.url;
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    TMPDIR: process.env['TMPDIR'] ?? tmpdir(),
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    NO_COLOR: '1',
    HTTP_PROXY: trap, HTTPS_PROXY: trap, ALL_PROXY: trap, http_proxy: trap, https_proxy: trap, all_proxy: trap,
    NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost',
  };
}
