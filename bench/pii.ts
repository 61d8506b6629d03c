/**
 * Data protection: detection quality on the labelled set the test suite builds, scan throughput on a
 * realistic ~1 MB prompt mix (this repository's own source, docs, JSON tool results, shell output and
 * chat), and the time a scan adds to a 50 KB Claude Code-shaped request. In-process; every loop is bounded.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolDefinition } from '../lambda/canonical/request';
import type { StageInput } from '../lambda/core/stage';
import { CREDENTIAL_PII_TYPES, PATTERN_PII_TYPES, type PiiScanner } from '../lambda/pii/types';
import { randomApiKey, randomEmail, randomPhone, seededRng, type Rng } from '../test/pii/detectors/generators';
import { CODE_SNIPPETS } from '../test/pii/detectors/snippets';
import { buildPiiCorpus, scoreCorpus } from '../test/support/pii-corpus';
import { canonicalRequest } from '../test/support/canonical';
import { importBundled } from './lib/bundled';
import { fmt, median, percentile } from './lib/stats';

const MIX_BYTES = 1_000_000;
/** Scans before timing: long enough for every detector to be optimised (20 left it half-warm in some runs, at ~75 MB/s). */
const MIX_WARMUP = 200;
const MIX_ROUNDS = 51;
const BODY_WARMUP = 300;
const BODY_ROUNDS = 2000;
/** Requests with texts new to the stage: fewer, since each is built (and flattened) first. */
const FRESH_ROUNDS = 500;
const TARGET_MB_PER_S = 100;
const TARGET_BODY_MS = 0.5;
const TARGET_QUALITY = 0.95;

function sourceFiles(dir: string, out: string[], limit: number): void {
  for (const entry of readdirSync(dir).sort()) {
    if (out.length >= limit) return;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) sourceFiles(path, out, limit);
    else if (path.endsWith('.ts')) out.push(readFileSync(path, 'utf8'));
  }
}

/** A JSON tool result: records with ids, timestamps, UUID-like ids, amounts and nested objects. */
function jsonToolResult(rng: Rng, records: number): string {
  const hex = (n: number): string => rng.chars('0123456789abcdef', n);
  const rows = Array.from({ length: records }, (_, i) => ({
    id: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`, seq: 1_000 + i, status: rng.pick(['open', 'paid', 'void']),
    amount_cents: rng.int(100, 500_000), currency: 'EUR', created_at: new Date(1_700_000_000_000 + rng.int(0, 3e10)).toISOString(),
    sku: `SKU-${rng.int(10_000, 99_999)}`, tags: ['priority', 'eu-west-1'], meta: { retries: rng.int(0, 3), latency_ms: rng.int(3, 900) / 10 },
  }));
  return JSON.stringify({ object: 'list', has_more: true, data: rows }, null, 2);
}

const CHAT = [
  'Can you look at why the invoice export fails for large teams? It started after the last deploy, around 14:20 UTC.',
  'I read the handler and the failing test. The export builds every row in memory before writing; with 40k rows it exceeds the 512 MB limit. I will stream the rows instead and add a test with 50,000 rows.',
  'Thanks. Also make sure the CSV keeps the original column order (id, created_at, amount, currency) and that amounts stay in cents.',
];

/** Claude Code's Read tool output: each line prefixed with its number and a tab. */
function numbered(source: string): string {
  return source.split('\n').map((line, i) => `${String(i + 1).padStart(6)}\t${line}`).join('\n');
}

interface PromptMix {
  readonly text: string;
  /** Bytes per kind of content, for the report. */
  readonly shares: Readonly<Record<string, number>>;
}

/** ~1 MB of what coding prompts carry: file reads, JSON tool results, docs, chat and shell output. */
function promptMix(rng: Rng): PromptMix {
  const code: string[] = [];
  sourceFiles(join(process.cwd(), 'lambda'), code, 400);
  const prose = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const kinds: [string, (i: number) => string][] = [
    ['source file reads', (i) => numbered(code[i % code.length] ?? '')],
    ['JSON tool results', () => jsonToolResult(rng, 20)],
    ['source file reads', (i) => numbered(code[(i * 7) % code.length] ?? '')],
    ['docs', (i) => prose.slice((i * 4096) % prose.length, ((i * 4096) % prose.length) + 4096)],
    ['chat and shell output', (i) => `${rng.pick(CHAT)} My email is ${randomEmail(rng)}.\n${CODE_SNIPPETS[i % CODE_SNIPPETS.length] ?? ''}`],
  ];
  const parts: string[] = [];
  const shares: Record<string, number> = {};
  let size = 0;
  for (let i = 0; size < MIX_BYTES && i < 10_000; i += 1) {
    const [kind, make] = kinds[i % kinds.length] ?? ['docs', () => ''];
    const part = make(i);
    parts.push(part);
    const bytes = Buffer.byteLength(part);
    shares[kind] = (shares[kind] ?? 0) + bytes;
    size += bytes;
  }
  return { text: parts.join('\n\n'), shares };
}

const TOOLS = ['Read', 'Write', 'Edit', 'MultiEdit', 'Bash', 'Grep', 'Glob', 'LS', 'WebFetch', 'TodoWrite', 'Task', 'NotebookEdit'];

/**
 * A Claude Code-shaped request of ~50 KB: the system prompt, then the messages' texts (file reads, a JSON
 * tool result, chat), and a dozen tool definitions. The stage scans the texts; tool definitions are the
 * client's own schemas and travel in `tools`, which it does not scan (lambda/pii/prompt-texts.ts).
 */
interface ClaudeCodeBody {
  /** The system prompt first, then every message text. */
  readonly texts: readonly string[];
  readonly tools: readonly ToolDefinition[];
}

function claudeCodeBody(rng: Rng): ClaudeCodeBody {
  const code: string[] = [];
  sourceFiles(join(process.cwd(), 'lambda', 'core'), code, 40);
  const system = `You are an interactive CLI tool that helps users with software engineering tasks. ${'Follow the repository conventions, prefer small focused changes, run the tests before you finish, never commit unless asked, and explain what you changed and why in a few sentences. '.repeat(12)}\n<env>\nWorking directory: /home/dev/acme/billing\nIs directory a git repo: Yes\nPlatform: linux\nToday's date: 2025-06-02\n</env>`;
  const tools = TOOLS.map((name): ToolDefinition => ({
    name, description: `${name}: ${'Use this tool when the task needs it. It takes absolute paths, respects .gitignore, returns at most 2000 lines and truncates lines longer than 2000 characters. '.repeat(3)}`,
    inputSchema: { type: 'object', properties: { file_path: { type: 'string', description: 'The absolute path' }, limit: { type: 'number' }, offset: { type: 'number' } }, required: ['file_path'] },
  }));
  const texts = [system, CHAT[0] ?? '', `Contact for the incident: ${randomEmail(rng)}, on call ${randomPhone(rng)}.`];
  let size = [...texts, ...tools.map((tool) => JSON.stringify(tool))].reduce((sum, text) => sum + text.length, 0);
  for (let i = 0; i < code.length && size < 42_000; i += 1) {
    const file = numbered((code[i] ?? '').slice(0, 9_000));
    texts.push(file);
    size += file.length;
  }
  texts.push(jsonToolResult(rng, 10), CHAT[1] ?? '', `Here is the staging key if you need it: ${randomApiKey(rng)}`, CODE_SNIPPETS[7] ?? '');
  return { texts: texts.map(asParsed), tools };
}

/** The tool definitions as message texts: the same bytes, every one of them scanned (the bench's conservative case). */
function toolsAsTexts(body: ClaudeCodeBody): ClaudeCodeBody {
  const [system = '', ...turns] = body.texts;
  return { texts: [system, ...body.tools.map((tool) => asParsed(JSON.stringify(tool))), ...turns], tools: [] };
}

/**
 * The gateway scans strings that JSON.parse produced (flat, sequential); text built here by concatenation
 * is a rope, which would give V8 string shapes a request never has. Round-tripping gives the real ones.
 */
function asParsed(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

function scanAll(scanner: PiiScanner, texts: readonly string[]): number {
  let findings = 0;
  for (const text of texts) findings += scanner.scan(text).length;
  return findings;
}

/**
 * A figure and, measured in the same rounds (alternating with it), JSON.parse of the same text: this
 * machine is shared and runs in fast and slow phases (everything about 1.7 times slower), so the
 * reference shows which phase a figure was taken in.
 */
interface WithReference {
  readonly value: number;
  readonly reference: number;
}

function elapsedMs(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** Scan throughput (MB/s) on `text`, and JSON.parse's on the same text as a JSON string, in the same rounds. */
function throughputMBps(scanner: PiiScanner, text: string): WithReference {
  const megabytes = Buffer.byteLength(text) / 1e6;
  const json = JSON.stringify(text);
  for (let i = 0; i < MIX_WARMUP; i += 1) scanner.scan(text);
  const rates: number[] = [];
  const references: number[] = [];
  for (let i = 0; i < MIX_ROUNDS; i += 1) {
    rates.push(megabytes / (elapsedMs(() => scanner.scan(text)) / 1000));
    references.push(megabytes / (elapsedMs(() => JSON.parse(json)) / 1000));
  }
  return { value: median(rates), reference: median(references) };
}

/** Times of `run` and, alternating with it, of `reference`. */
function bodyTimes(run: () => unknown, reference: () => unknown): { times: number[]; parseTimes: number[] } {
  for (let i = 0; i < BODY_WARMUP; i += 1) run();
  const times: number[] = [];
  const parseTimes: number[] = [];
  for (let i = 0; i < BODY_ROUNDS; i += 1) {
    times.push(elapsedMs(run));
    parseTimes.push(elapsedMs(reference));
  }
  return { times, parseTimes };
}

/**
 * The whole stage on the same request, as the gateway runs it: rules resolved from the (cached)
 * policies, every prompt text walked and scanned, the findings counted, the API key redacted (its rule
 * set to redact + restore here, so the rewrite of body and canonical request is part of the figure).
 */
type PiiModules = typeof import('./lib/pii-modules');

function stageInput(body: ClaudeCodeBody): StageInput {
  const [system = '', ...turns] = body.texts;
  const canonical = canonicalRequest('bench', {
    system: [{ type: 'text', text: system }],
    messages: turns.map((text) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] })),
    tools: body.tools,
  });
  return {
    call: {
      requestId: 'bench', format: 'anthropic-messages', apiFormat: 'anthropic', model: 'bench', stream: true, canonical, bodyBytes: 0, headers: {},
      body: requestBody(body), signal: new AbortController().signal, receivedAt: 0,
    },
    principal: { keyId: 'k', teamId: 't', models: [], teamModels: [] }, deployments: [], nowMs: Date.now(), annotate: () => undefined,
  };
}

/** The Messages request body the gateway would have parsed (and the stage rewrites when it redacts). */
function requestBody(body: ClaudeCodeBody): Record<string, unknown> {
  const [system = '', ...turns] = body.texts;
  return {
    model: 'claude-sonnet', system, messages: turns.map((text) => ({ role: 'user', content: text })),
    tools: body.tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.inputSchema })),
  };
}

/**
 * The whole stage: `repeat` sends the same request every time, as each turn of a conversation resends
 * its history (the stage's scan cache answers); otherwise every request's texts are new to the stage
 * (a numbered prefix each, added before the clock starts), so every text is scanned.
 */
async function stageTimes(modules: PiiModules, body: ClaudeCodeBody, repeat: boolean): Promise<{ times: number[]; parseTimes: number[] }> {
  const { createPiiStage, createPolicyCache, createMemoryStores, silentLogger } = modules;
  const config = { providers: {}, models: {}, pii: { rules: { api_key: { action: 'redact' as const, restore: true } } } };
  const stage = createPiiStage({ config, policies: createPolicyCache(createMemoryStores().policies, { ttlMs: 60_000 }), logger: silentLogger });
  const repeated = stageInput(body);
  const inputFor = (round: number): StageInput => {
    if (repeat) return repeated;
    // Through JSON, as the gateway gets them from a request body, before the clock starts.
    const texts = JSON.parse(JSON.stringify(body.texts.map((text) => `${round}:${text}`))) as string[];
    return stageInput({ texts, tools: body.tools });
  };
  const run = async (input: StageInput): Promise<number> => {
    const started = performance.now();
    const admission = await stage.admit(input);
    admission.rewriteCall?.(input.call);
    return performance.now() - started;
  };
  const rounds = repeat ? BODY_ROUNDS : FRESH_ROUNDS;
  const bodyJson = requestJson(body);
  for (let i = 0; i < BODY_WARMUP; i += 1) await run(inputFor(-1 - i));
  const times: number[] = [];
  const parseTimes: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    times.push(await run(inputFor(i * 7919)));
    parseTimes.push(elapsedMs(() => JSON.parse(bodyJson)));
  }
  return { times, parseTimes };
}

/** The request as JSON: the gateway parses every request body anyway. */
function requestJson(body: ClaudeCodeBody): string {
  return JSON.stringify(requestBody(body));
}

export async function piiScanSection(): Promise<string> {
  const modules = await importBundled<PiiModules>('bench/lib/pii-modules.ts');
  const { createScanner } = modules;
  const all = createScanner();
  const credentialsOnly = createScanner({ types: new Set(CREDENTIAL_PII_TYPES) });
  const corpus = buildPiiCorpus();
  const scores = scoreCorpus(all, { samples: corpus.samples.map((entry) => ({ ...entry, text: asParsed(entry.text) })) });
  const rng = seededRng(0xbe9c4);
  const { text: mixText, shares } = promptMix(rng);
  const mix = asParsed(mixText);
  const mixBytes = Buffer.byteLength(mix);
  const shareText = Object.entries(shares).map(([kind, bytes]) => `${kind} ${Math.round((100 * bytes) / mixBytes)} %`).join(', ');
  const body = claudeCodeBody(rng);
  const textBytes = body.texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  const toolBytes = body.tools.reduce((sum, tool) => sum + Buffer.byteLength(JSON.stringify(tool)), 0);
  const mbps = throughputMBps(all, mix);
  const credentialMbps = throughputMBps(credentialsOnly, mix);
  const bodyJson = requestJson(body);
  const scans = bodyTimes(() => scanAll(all, body.texts), () => JSON.parse(bodyJson));
  const stage = await stageTimes(modules, body, false);
  const everyByteScanned = await stageTimes(modules, toolsAsTexts(body), false);
  const repeatTurn = await stageTimes(modules, body, true);
  const stageP50 = median(stage.times);
  const parsed = (times: readonly number[]): string => `${fmt(median(times))} ms`;
  const worstPrecision = Math.min(...PATTERN_PII_TYPES.map((type) => scores[type]?.precision ?? 0));
  const worstRecall = Math.min(...PATTERN_PII_TYPES.map((type) => scores[type]?.recall ?? 0));
  const yes = (met: boolean): string => (met ? 'yes' : 'no');
  return [
    '## Data protection: detection quality and scan speed',
    'Pattern detectors (lambda/pii/detectors/) on the labelled set the test suite builds (test/support/pii-corpus.ts: every type in varied',
    'formats inside sentences, code, JSON, YAML, env files, CSV and logs, plus hard negatives: code, UUIDs, git hashes, timestamps, versions,',
    'order numbers, prices, big integers, base64 images, placeholders). A finding counts only with the exact type and span.',
    '',
    '| type | precision | recall | support | false positives | misses |',
    '|---|---|---|---|---|---|',
    ...PATTERN_PII_TYPES.map((type) => {
      const score = scores[type];
      return `| ${type} | ${fmt(score?.precision ?? 0)} | ${fmt(score?.recall ?? 0)} | ${score?.support ?? 0} | ${score?.fp ?? 0} | ${score?.fn ?? 0} |`;
    }),
    '',
    `Scan speed, in process, one core, the code bundled by esbuild as the gateway runs it: a ${fmt(mixBytes / 1e6, 2)} MB prompt mix (${shareText}; the source files are this repository's,`,
    `as Read tool output with line numbers), median of ${MIX_ROUNDS} scans after ${MIX_WARMUP} warm-up; a Claude Code-shaped request of ${fmt((textBytes + toolBytes) / 1024, 1)} KiB`,
    `(system prompt, file reads, a JSON tool result, chat with an email, a phone number and an API key: ${body.texts.length} texts, ${fmt(textBytes / 1024, 1)} KiB, scanned one by one`,
    `as the stage does, ${BODY_ROUNDS} times after ${BODY_WARMUP} warm-up, ${scanAll(all, body.texts)} findings; and ${TOOLS.length} tool definitions, ${fmt(toolBytes / 1024, 1)} KiB, in \`tools\`, which the stage`,
    'does not scan: they are the client\'s own schemas, not user data). The last stage row sends the tool definitions as message text instead,',
    'so that every byte of the request is scanned.',
    '',
    'This machine is shared and runs in fast and slow phases (everything then takes up to about twice as long), so each figure is measured',
    'alternating with JSON.parse of the same text (the mix as one JSON string; the request body), which the gateway does to every request',
    'anyway: the last column tells which phase a figure was taken in, and compares runs.',
    '',
    '| measure | value | JSON.parse in the same rounds, p50 |',
    '|---|---|---|',
    `| throughput, every pattern type (MB/s) | ${fmt(mbps.value, 1)} | ${fmt(mbps.reference, 1)} MB/s |`,
    `| throughput, credential types only (MB/s) | ${fmt(credentialMbps.value, 1)} | ${fmt(credentialMbps.reference, 1)} MB/s |`,
    `| 50 KB request, scan of its texts, same texts each time, p50 (ms) | ${fmt(median(scans.times))} | ${parsed(scans.parseTimes)} |`,
    `| 50 KB request, scan of its texts, same texts each time, p99 (ms) | ${fmt(percentile(scans.times, 99))} | |`,
    `| whole stage, texts new to it (rules, text walk, scan, counts, redaction of the key in body and canonical request), p50 (ms) | ${fmt(stageP50)} | ${parsed(stage.parseTimes)} |`,
    `| whole stage, texts new to it, p99 (ms) | ${fmt(percentile(stage.times, 99))} | |`,
    `| whole stage, the same request again (a conversation's next turn resends its history: scan cache), p50 (ms) | ${fmt(median(repeatTurn.times))} | ${parsed(repeatTurn.parseTimes)} |`,
    `| whole stage, texts new to it, tool definitions sent as message text (every byte scanned), p50 (ms) | ${fmt(median(everyByteScanned.times))} | ${parsed(everyByteScanned.parseTimes)} |`,
    '',
    '| target | measured | met |',
    '|---|---|---|',
    `| precision ≥ ${TARGET_QUALITY} for every pattern type | lowest ${fmt(worstPrecision)} | ${yes(worstPrecision >= TARGET_QUALITY)} |`,
    `| recall ≥ ${TARGET_QUALITY} for every pattern type | lowest ${fmt(worstRecall)} | ${yes(worstRecall >= TARGET_QUALITY)} |`,
    `| throughput ≥ ${TARGET_MB_PER_S} MB/s | ${fmt(mbps.value, 1)} MB/s | ${yes(mbps.value >= TARGET_MB_PER_S)} |`,
    `| ≤ ${TARGET_BODY_MS} ms added for 50 KB (whole stage, p50) | ${fmt(stageP50)} ms | ${yes(stageP50 <= TARGET_BODY_MS)} |`,
    '',
  ].join('\n');
}
