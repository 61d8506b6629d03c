import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in the command line itself (exit code 2): nothing was sent to the gateway. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/** Options every command accepts, before or after its words. */
export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  url: { type: 'string' },
  token: { type: 'string' },
  'data-dir': { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  auth: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

export interface SplitCommand {
  /** The leading bare words (at most `maxWords`): the command path and possibly its first argument. */
  readonly words: readonly string[];
  /** Indexes in argv of those words, so the rest can be parsed as the command's own arguments. */
  readonly wordIndexes: readonly number[];
}

/**
 * Finds the command words wherever global options sit around them (`gatellm --json keys list`): a
 * token that is a global option taking a value consumes the next token.
 */
export function splitCommandWords(argv: readonly string[], maxWords: number): SplitCommand {
  const words: string[] = [];
  const wordIndexes: number[] = [];
  for (let index = 0; index < argv.length && words.length < maxWords; index += 1) {
    const token = argv[index] ?? '';
    if (token === '--') break;
    if (token.startsWith('-')) {
      const name = token.replace(/^-+/, '');
      const spec: { type: string } | undefined = (GLOBAL_OPTIONS as OptionSpecs)[name];
      if (spec?.type === 'string') index += 1;
      continue;
    }
    words.push(token);
    wordIndexes.push(index);
  }
  return { words, wordIndexes };
}

export interface ParsedArguments {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
}

/** node:util parseArgs in strict mode; its errors become usage errors (exit 2). */
export function parseCommandArguments(args: readonly string[], options: OptionSpecs): ParsedArguments {
  try {
    const parsed = parseArgs({ args: [...args], options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} needs a value.`);
  return value;
}

export function requiredOption(values: OptionValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined) throw new UsageError(`--${name} is required.`);
  return value;
}

/** `a,b,c` → ['a', 'b', 'c'], blanks dropped. */
export function splitList(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

export function listOption(values: OptionValues, name: string): string[] | undefined {
  const value = stringOption(values, name);
  return value === undefined ? undefined : splitList(value);
}

/** Every value of a repeatable option (`--tag a=1 --tag b=2`). */
export function repeatedOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

export function numberOption(values: OptionValues, name: string, { integer = false, min = 0 } = {}): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} of at least ${min}, got '${text}'.`);
  }
  return value;
}

/** `k=v` pairs → an object; a repeated key keeps its last value. */
export function parseTags(pairs: readonly string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--tag takes key=value, got '${pair}'.`);
    tags[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return tags;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** `90` (seconds), `45s`, `30m`, `1h`, `2d`, or combinations like `1h30m` → whole seconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const parts = [...trimmed.matchAll(/(\d+)([smhd])/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== trimmed) {
    throw new UsageError(`'${text}' is not a duration: use seconds (3600) or units like 30m, 1h, 1h30m, 2d.`);
  }
  return parts.reduce((total, part) => total + Number(part[1]) * (DURATION_UNITS[part[2] ?? 's'] ?? 1), 0);
}

/** An ISO date or time as typed, checked here so a typo is a usage error rather than a round trip. */
export function timeOption(values: OptionValues, name: string): string | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (Number.isNaN(Date.parse(text))) throw new UsageError(`--${name} must be an ISO-8601 date or time, got '${text}'.`);
  return text;
}
