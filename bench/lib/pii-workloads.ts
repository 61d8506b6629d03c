/**
 * What the data-protection bench scans: a ~1 MB mix of what coding prompts carry, and a Claude
 * Code-shaped request. Built from this repository's own source and README, so they are real text.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolDefinition } from '../../lambda/canonical/request';
import { randomApiKey, randomEmail, randomPhone, type Rng } from '../../test/pii/detectors/generators';
import { CODE_SNIPPETS } from '../../test/pii/detectors/snippets';

const MIX_BYTES = 1_000_000;

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
export function promptMix(rng: Rng): PromptMix {
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

export const TOOLS = ['Read', 'Write', 'Edit', 'MultiEdit', 'Bash', 'Grep', 'Glob', 'LS', 'WebFetch', 'TodoWrite', 'Task', 'NotebookEdit'];

/**
 * A Claude Code-shaped request of ~50 KB: the system prompt, then the messages' texts (file reads, a JSON
 * tool result, chat), and a dozen tool definitions. The stage scans the texts; tool definitions are the
 * client's own schemas and travel in `tools`, which it does not scan (lambda/pii/prompt-texts.ts).
 */
export interface ClaudeCodeBody {
  /** The system prompt first, then every message text. */
  readonly texts: readonly string[];
  readonly tools: readonly ToolDefinition[];
}

export function claudeCodeBody(rng: Rng): ClaudeCodeBody {
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

/** Texts a long session's request holds: short pieces (under 1 KiB) of the prompt mix, in order. */
const LONG_SESSION_TEXTS = 160;

/**
 * A long session's history: LONG_SESSION_TEXTS short texts (tool calls, short tool results, messages:
 * the mix's pieces under 1 KiB that `keep` accepts), ~55 KiB in all. Each turn resends them, as new strings.
 */
export function longSessionTexts(mix: string, keep: (piece: string) => boolean): string[] {
  return mix.split('\n\n').filter((piece) => piece.length > 0 && piece.length < 1024 && keep(piece)).slice(0, LONG_SESSION_TEXTS).map(asParsed);
}

/** Sentences with a value of each type the default rules redact and restore, placed once each early in a history. */
const VALUES_TO_REDACT = ['Charge it to 4539 1488 0343 6467.', 'The refund goes to DE67 7605 0101 4871 2365 90.', 'Her SSN is 412-73-5561.'];

/** The same history with a card number, an IBAN and an SSN in three of its texts (the 10th, 20th and 30th). */
export function withValuesToRedact(texts: readonly string[]): string[] {
  return texts.map((text, index) => (index % 10 === 0 && index > 0 && index <= 30 ? asParsed(`${text} ${VALUES_TO_REDACT[index / 10 - 1] ?? ''}`) : text));
}

/** The tool definitions as message texts: the same bytes, every one of them scanned (the bench's conservative case). */
export function toolsAsTexts(body: ClaudeCodeBody): ClaudeCodeBody {
  const [system = '', ...turns] = body.texts;
  return { texts: [system, ...body.tools.map((tool) => asParsed(JSON.stringify(tool))), ...turns], tools: [] };
}

/**
 * The gateway scans strings that JSON.parse produced (flat, sequential); text built here by concatenation
 * is a rope, which would give V8 string shapes a request never has. Round-tripping gives the real ones.
 */
export function asParsed(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

const PACKAGE_TEXT = /\.(?:md|js|ts|json|txt|ya?ml)$/;
const MAX_PACKAGE_FILE = 300_000;

/**
 * Text nobody typed into a prompt: the source, type definitions and docs of the packages `npm ci`
 * installs, in path order, up to `limitBytes`. Coding agents read exactly this kind of text into prompts.
 * Minified bundles and source maps are left out (agents rarely read them).
 */
export function installedPackageTexts(limitBytes: number): string[] {
  const texts: string[] = [];
  let bytes = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      if (bytes >= limitBytes) return;
      const path = join(dir, entry);
      const stats = statSync(path, { throwIfNoEntry: false });
      if (stats === undefined) continue;
      if (stats.isDirectory()) walk(path);
      else if (PACKAGE_TEXT.test(entry) && !entry.endsWith('.min.js') && stats.size < MAX_PACKAGE_FILE) {
        texts.push(readFileSync(path, 'utf8'));
        bytes += stats.size;
      }
    }
  };
  walk(join(process.cwd(), 'node_modules'));
  return texts;
}
