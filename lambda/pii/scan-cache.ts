import type { Finding, PiiScanner } from './types';

/** Texts shorter than this are scanned every time: the lookup would cost about as much as the scan. */
const MIN_CACHED_LENGTH = 1024;

export interface ScanCacheOptions {
  /** Characters of text whose findings are remembered at most (oldest forgotten first). @default 2 Mi (4 MiB of UTF-16) */
  readonly maxChars?: number;
}

/**
 * Remembers the findings of long texts: a conversation resends its whole history every turn (Claude
 * Code: the system prompt, every file read, every tool result), so without this each turn would scan
 * everything again. Only offsets are kept beside the text, in this process's memory, never persisted;
 * the bound keeps it to the last few MiB of prompt text. The text itself is the key: its hash is
 * computed natively, far faster than a digest, and an exact key can never return another text's findings.
 */
export function cachedScanner(scanner: PiiScanner, options: ScanCacheOptions = {}): PiiScanner {
  const maxChars = options.maxChars ?? 2 * 1024 * 1024;
  const entries = new Map<string, readonly Finding[]>();
  let chars = 0;
  return {
    scan(text) {
      if (text.length < MIN_CACHED_LENGTH || text.length > maxChars) return scanner.scan(text);
      const known = entries.get(text);
      if (known !== undefined) {
        // Most recently used last, so eviction takes the oldest.
        entries.delete(text);
        entries.set(text, known);
        return [...known];
      }
      const findings = scanner.scan(text);
      entries.set(text, findings);
      chars += text.length;
      for (const oldest of entries.keys()) {
        if (chars <= maxChars) break;
        entries.delete(oldest);
        chars -= oldest.length;
      }
      return [...findings];
    },
  };
}
