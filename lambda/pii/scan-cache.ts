import type { Finding, PiiScanner } from './types';

/**
 * Texts shorter than this are scanned every time: the lookup would cost about as much as the scan. From
 * here on a hit costs a fraction of a scan (measured on prompt text parsed anew, 128–256 characters: a
 * hit 0.3–0.6 µs, a scan 0.8–2.5 µs), and a long session is mostly such texts: tool calls, short results,
 * messages. At most maxChars / 128 entries, so their bookkeeping (~200 bytes each) stays under a few MiB.
 * Remembering costs too (~0.7 µs a text, about half of it the garbage collector moving what is kept):
 * a request whose texts are all new pays it once, and every later turn that resends them saves the scan.
 */
const MIN_CACHED_LENGTH = 128;
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

interface Bucket {
  readonly entries: Entry[];
  /** Characters of its texts, so evicting it reads neither its entries nor their texts (long since out of cache). */
  chars: number;
  /** When it was last used (UseOrder's clock), to tell its latest place in the order from older ones. */
  lastUsed: number;
}

/**
 * Fingerprints in the order of their use, oldest first, for evicting the least recently used bucket.
 * A use appends; an older place of the same key stays behind, stale, and is skipped when reached. Not
 * the order of a Map (delete and set again on each use): reaching a Map's first entry walks past every
 * slot deleted since it last compacted, on every eviction.
 */
class UseOrder {
  private keys: number[] = [];
  private stamps: number[] = [];
  private head = 0;
  private clock = 0;

  /** `isCurrent(key, stamp)`: the place is the key's latest use (its owner keeps the latest stamp). */
  constructor(private readonly isCurrent: (key: number, stamp: number) => boolean) {}

  /** Records a use of `key`; returns its stamp. `live` is the number of keys in use, to bound the stale places kept. */
  use(key: number, live: number): number {
    // Before the new place is added: its key's owner still holds the previous stamp until this returns.
    if (this.keys.length >= 2 * live + 64) this.compact();
    this.clock += 1;
    this.keys.push(key);
    this.stamps.push(this.clock);
    return this.clock;
  }

  /** The oldest key whose place is current, removed from the order; undefined when none is left. */
  takeOldest(): number | undefined {
    while (this.head < this.keys.length) {
      const key = this.keys[this.head] ?? 0;
      const stamp = this.stamps[this.head] ?? 0;
      this.head += 1;
      if (this.isCurrent(key, stamp)) return key;
    }
    return undefined;
  }

  /** Drops the places already taken and the stale ones, asking the owner which are current: no map of its own. */
  private compact(): void {
    const keys: number[] = [];
    const stamps: number[] = [];
    for (let index = this.head; index < this.keys.length; index += 1) {
      const key = this.keys[index] ?? 0;
      const stamp = this.stamps[index] ?? 0;
      if (!this.isCurrent(key, stamp)) continue;
      keys.push(key);
      stamps.push(stamp);
    }
    this.keys = keys;
    this.stamps = stamps;
    this.head = 0;
  }
}

/** Leading characters a fingerprint reads in full: texts that differ only near their start (a numbered or dated header) are common. */
const FINGERPRINT_HEAD = 16;

/**
 * A cheap fingerprint of a text: its length, its first few characters, and a few characters spread
 * across the rest. Not a hash of the whole text — that would read every character, on every request,
 * even for texts never seen before (a Map keyed by the text hashes up to 16 Ki characters of it natively
 * on each lookup). Texts with the same fingerprint share a bucket and are told apart by comparing them
 * whole, one by one: the head keeps texts that differ only in a leading number out of one bucket.
 * Only texts of at least MIN_CACHED_LENGTH characters get one.
 */
function fingerprint(text: string): number {
  const step = Math.floor(text.length / FINGERPRINT_SAMPLES);
  let hash = text.length;
  for (let index = 0; index < FINGERPRINT_HEAD; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  for (let index = FINGERPRINT_HEAD; index < text.length; index += step) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  for (let index = text.length - 8; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  // 30 bits: a small integer to V8, so a Map key and an array element without a heap number each.
  return hash & 0x3fffffff;
}

/** The entry of `text` in its bucket: a plain loop, as this runs for every text of every request. */
function entryOf(bucket: Bucket, text: string): Entry | undefined {
  for (const entry of bucket.entries) if (entry.text === text) return entry;
  return undefined;
}

/**
 * Remembers the findings of every text but the shortest: a conversation resends its whole history every
 * turn (Claude Code: the system prompt, every file read, every tool call and result, every message), so
 * without this each turn would scan everything again. Only offsets are kept beside the text, in this
 * process's memory, never persisted; the bound keeps it to the last few MiB of prompt text. A hit is an exact match of the whole text, so
 * another text's findings are never returned; a miss costs a fingerprint of a few dozen characters.
 */
export function cachedScanner(scanner: PiiScanner, options: ScanCacheOptions = {}): PiiScanner {
  const maxChars = options.maxChars ?? 2 * 1024 * 1024;
  const buckets = new Map<number, Bucket>();
  const order = new UseOrder((key, stamp) => buckets.get(key)?.lastUsed === stamp);
  let chars = 0;

  function evictOldest(): void {
    while (chars > maxChars) {
      const key = order.takeOldest();
      const bucket = key === undefined ? undefined : buckets.get(key);
      if (key === undefined || bucket === undefined) return;
      buckets.delete(key);
      chars -= bucket.chars;
    }
  }

  return {
    scan(text) {
      if (text.length < MIN_CACHED_LENGTH || text.length > maxChars) return scanner.scan(text);
      const key = fingerprint(text);
      let bucket = buckets.get(key);
      const known = bucket === undefined ? undefined : entryOf(bucket, text);
      if (bucket === undefined) {
        bucket = { entries: [], chars: 0, lastUsed: 0 };
        buckets.set(key, bucket);
      }
      bucket.lastUsed = order.use(key, buckets.size);
      if (known !== undefined) return known.findings.slice();
      const findings = scanner.scan(text);
      bucket.entries.push({ text, findings });
      bucket.chars += text.length;
      chars += text.length;
      evictOldest();
      return findings.slice();
    },
  };
}
