/**
 * Data protection: detection quality on the labelled set the test suite builds, scan throughput on a
 * realistic ~1 MB prompt mix (this repository's own source, docs, JSON tool results, shell output and
 * chat), and the time a scan adds to a 50 KB Claude Code-shaped request. In-process; every loop is bounded.
 */
import type { StageInput } from '../lambda/core/stage';
import { CREDENTIAL_PII_TYPES, PATTERN_PII_TYPES, type PiiScanner } from '../lambda/pii/types';
import { seededRng } from '../test/pii/detectors/generators';
import { buildPiiCorpus, scoreCorpus } from '../test/support/pii-corpus';
import { canonicalRequest } from '../test/support/canonical';
import { importBundled } from './lib/bundled';
import { asParsed, claudeCodeBody, installedPackageTexts, longSessionTexts, promptMix, toolsAsTexts, TOOLS, withValuesToRedact, type ClaudeCodeBody } from './lib/pii-workloads';
import { fmt, median, percentile } from './lib/stats';

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
/** Installed packages' text scanned for the findings-in-the-wild table. */
const PACKAGE_TEXT_BYTES = 40_000_000;

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

/**
 * Scan throughput (MB/s) of each scanner on `text`, and JSON.parse's on the same text as a JSON string,
 * all in the same rounds (alternating), so that their ratios hold whatever the machine's phase.
 */
function throughputMBps<Name extends string>(scanners: Readonly<Record<Name, PiiScanner>>, text: string): Record<Name, WithReference> {
  const megabytes = Buffer.byteLength(text) / 1e6;
  const json = JSON.stringify(text);
  const entries = Object.entries(scanners) as [Name, PiiScanner][];
  for (let i = 0; i < MIX_WARMUP; i += 1) for (const [, scanner] of entries) scanner.scan(text);
  const rates = new Map<Name, number[]>(entries.map(([name]) => [name, []]));
  const references: number[] = [];
  for (let i = 0; i < MIX_ROUNDS; i += 1) {
    for (const [name, scanner] of entries) rates.get(name)?.push(megabytes / (elapsedMs(() => scanner.scan(text)) / 1000));
    references.push(megabytes / (elapsedMs(() => JSON.parse(json)) / 1000));
  }
  const reference = median(references);
  return Object.fromEntries(entries.map(([name]) => [name, { value: median(rates.get(name) ?? []), reference }])) as Record<Name, WithReference>;
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
 * Which texts of the request are new to the stage: `all` (a numbered prefix each, added before the clock
 * starts, so every text is scanned: a conversation's first turn, or one whose history the cache has
 * dropped); `none` (the very same request object again); `last-turn` (the history parsed anew from JSON
 * every time, as the gateway gets it, with only the last NEW_IN_TURN texts new: what each turn of a
 * conversation sends, its history resent).
 */
type NewTexts = 'all' | 'none' | 'last-turn';
/** Texts a turn adds in the `last-turn` case: a JSON tool result, a message, a pasted key and shell output (~4.5 KiB). */
const NEW_IN_TURN = 4;

async function stageTimes(modules: PiiModules, body: ClaudeCodeBody, fresh: NewTexts): Promise<{ times: number[]; parseTimes: number[] }> {
  const { createPiiStage, createPolicyCache, createMemoryStores, silentLogger } = modules;
  const config = { providers: {}, models: {}, pii: { rules: { api_key: { action: 'redact' as const, restore: true } } } };
  const stage = createPiiStage({ config, policies: createPolicyCache(createMemoryStores().policies, { ttlMs: 60_000 }), logger: silentLogger });
  const repeated = stageInput(body);
  const history = body.texts.length - NEW_IN_TURN;
  const inputFor = (round: number): StageInput => {
    if (fresh === 'none') return repeated;
    const marked = body.texts.map((text, index) => (fresh === 'all' || index >= history ? `${round}:${text}` : text));
    // Through JSON, as the gateway gets them from a request body, before the clock starts.
    const texts = JSON.parse(JSON.stringify(marked)) as string[];
    return stageInput({ texts, tools: body.tools });
  };
  const run = async (input: StageInput): Promise<number> => {
    const started = performance.now();
    const admission = await stage.admit(input);
    admission.rewriteCall?.(input.call);
    return performance.now() - started;
  };
  const rounds = fresh === 'none' ? BODY_ROUNDS : FRESH_ROUNDS;
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

/** Findings per type in the installed packages' text (see installedPackageTexts). */
function findingsInPackages(scanner: PiiScanner): { megabytes: number; files: number; counts: Record<string, number> } {
  const texts = installedPackageTexts(PACKAGE_TEXT_BYTES);
  const counts: Record<string, number> = {};
  let bytes = 0;
  for (const text of texts) {
    bytes += Buffer.byteLength(text);
    for (const finding of scanner.scan(text)) counts[finding.type] = (counts[finding.type] ?? 0) + 1;
  }
  return { megabytes: bytes / 1e6, files: texts.length, counts };
}

export async function piiScanSection(): Promise<string> {
  const modules = await importBundled<PiiModules>('bench/lib/pii-modules.ts');
  const { createScanner, Triggers } = modules;
  const all = createScanner();
  const credentialsOnly = createScanner({ types: new Set(CREDENTIAL_PII_TYPES) });
  // The same scanner with every trigger searched for, as before the trigger index (and wherever WebAssembly is unavailable).
  const searchingOnly = createScanner({}, (text) => new Triggers(text));
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
  const { all: mbps, searchingOnly: searchedMbps, credentialsOnly: credentialMbps } = throughputMBps({ all, searchingOnly, credentialsOnly }, mix);
  const bodyJson = requestJson(body);
  const scans = bodyTimes(() => scanAll(all, body.texts), () => JSON.parse(bodyJson));
  const stage = await stageTimes(modules, body, 'all');
  const everyByteScanned = await stageTimes(modules, toolsAsTexts(body), 'all');
  const repeatTurn = await stageTimes(modules, body, 'none');
  const nextTurn = await stageTimes(modules, body, 'last-turn');
  // Only log-level findings in the plain session (so that README edits never change what its row measures).
  const onlyLogged = (piece: string): boolean => all.scan(piece).every((finding) => modules.DEFAULT_PII_RULES[finding.type]?.action === 'log');
  const session = longSessionTexts(mix, onlyLogged);
  const sessionTurn = await stageTimes(modules, { texts: session, tools: [] }, 'last-turn');
  const redactingTurn = await stageTimes(modules, { texts: withValuesToRedact(session), tools: [] }, 'last-turn');
  const sessionBytes = session.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  const newInTurn = body.texts.slice(-NEW_IN_TURN).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  // Last: 40 MB of strings read now would leave garbage collection work in the timed rounds above.
  const packages = findingsInPackages(all);
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
    `And in text nobody typed into a prompt, but coding agents read into one: ${fmt(packages.megabytes, 1)} MB of the packages \`npm ci\` installs (${packages.files} files`,
    'of source, type definitions and docs, in path order; bench/lib/pii-workloads.ts). Emails there are real (package authors), IP addresses',
    "public DNS servers, example hosts and private-network examples; any other finding is a documentation example that looks real, or a false positive.",
    '',
    '| type | findings | per MB |',
    '|---|---|---|',
    ...PATTERN_PII_TYPES.map((type) => `| ${type} | ${packages.counts[type] ?? 0} | ${fmt((packages.counts[type] ?? 0) / packages.megabytes, 2)} |`),
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
    `| throughput, every pattern type, no trigger index: each trigger searched for (MB/s) | ${fmt(searchedMbps.value, 1)} | same rounds |`,
    `| throughput, credential types only (MB/s) | ${fmt(credentialMbps.value, 1)} | same rounds |`,
    `| 50 KB request, scan of its texts, same texts each time, p50 (ms) | ${fmt(median(scans.times))} | ${parsed(scans.parseTimes)} |`,
    `| 50 KB request, scan of its texts, same texts each time, p99 (ms) | ${fmt(percentile(scans.times, 99))} | |`,
    `| whole stage, texts new to it (rules, text walk, scan, counts, redaction of the key in body and canonical request), p50 (ms) | ${fmt(stageP50)} | ${parsed(stage.parseTimes)} |`,
    `| whole stage, texts new to it, p99 (ms) | ${fmt(percentile(stage.times, 99))} | |`,
    `| whole stage, the very same request object again (every text answered by the scan cache), p50 (ms) | ${fmt(median(repeatTurn.times))} | ${parsed(repeatTurn.parseTimes)} |`,
    `| whole stage, a conversation's next turn: its history parsed anew, its last ${NEW_IN_TURN} texts (${fmt(newInTurn / 1024, 1)} KiB) new, p50 (ms) | ${fmt(median(nextTurn.times))} | ${parsed(nextTurn.parseTimes)} |`,
    `| whole stage, a long session's next turn: ${session.length} short texts (${fmt(sessionBytes / 1024, 1)} KiB: tool calls, short results, messages), history parsed anew, the last ${NEW_IN_TURN} new, p50 (ms) | ${fmt(median(sessionTurn.times))} | ${parsed(sessionTurn.parseTimes)} |`,
    `| whole stage, the same turn with a card number, an IBAN and an SSN in its history (redacted, to be restored: every turn rewrites body and canonical request), p50 (ms) | ${fmt(median(redactingTurn.times))} | ${parsed(redactingTurn.parseTimes)} |`,
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
