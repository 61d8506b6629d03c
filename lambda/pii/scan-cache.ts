import type { Finding, PiiScanner } from './types';

/** Texts shorter than this are scanned every time: the lookup would cost about as much as the scan. */
const MIN_CACHED_LENGTH = 1024;
/** Characters a fingerprint reads, spread over the text. */
const FINGERPRINT_SAMPLES = 32;

export interface ScanCacheOptions {
  /** Characters of text whose findings are remembered at most (oldest forgotten first). @default 2 Mi (4 MiB of UTF-16) */
  readonly maxChars?: number;
}

interface Entry {
  readonly text: string;
  readonly findings: readonly Finding[];
}

/**
 * A cheap fingerprint of a long text: its length and a few characters spread across it. Not a hash of
 * the whole text — that would read every character, on every request, even for texts never seen before
 * (a Map keyed by the text hashes up to 16 Ki characters of it natively on each lookup). Texts with the
 * same fingerprint share a bucket and are told apart by comparing them whole.
 */
function fingerprint(text: string): number {
  const step = Math.floor(text.length / FINGERPRINT_SAMPLES);
  let hash = text.length;
  for (let index = 0; index < text.length; index += step) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  for (let index = Math.max(0, text.length - 8); index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash;
}

/**
 * Remembers the findings of long texts: a conversation resends its whole history every turn (Claude
 * Code: the system prompt, every file read, every tool result), so without this each turn would scan
 * everything again. Only offsets are kept beside the text, in this process's memory, never persisted;
 * the bound keeps it to the last few MiB of prompt text. A hit is an exact match of the whole text, so
 * another text's findings are never returned; a miss costs a fingerprint of a few dozen characters.
 */
export function cachedScanner(scanner: PiiScanner, options: ScanCacheOptions = {}): PiiScanner {
  const maxChars = options.maxChars ?? 2 * 1024 * 1024;
  /** Buckets by fingerprint, least recently used first (a hit moves its bucket to the end). */
  const buckets = new Map<number, Entry[]>();
  let chars = 0;

  function evictOldest(): void {
    for (const [key, bucket] of buckets) {
      if (chars <= maxChars) return;
      buckets.delete(key);
      for (const entry of bucket) chars -= entry.text.length;
    }
  }

  return {
    scan(text) {
      if (text.length < MIN_CACHED_LENGTH || text.length > maxChars) return scanner.scan(text);
      const key = fingerprint(text);
      const bucket = buckets.get(key);
      const known = bucket?.find((entry) => entry.text === text);
      if (bucket !== undefined) {
        buckets.delete(key);
        buckets.set(key, bucket);
      }
      if (known !== undefined) return [...known.findings];
      const findings = scanner.scan(text);
      if (bucket === undefined) buckets.set(key, [{ text, findings }]);
      else bucket.push({ text, findings });
      chars += text.length;
      evictOldest();
      return [...findings];
    },
  };
}
