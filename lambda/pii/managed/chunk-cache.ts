import { createHmac, randomBytes } from 'node:crypto';
import type { Finding } from '../types';

/**
 * What a managed service found in each chunk it was sent, remembered for a while: coding agents resend
 * the whole conversation every turn, and the service bills (Comprehend per 100 characters) and takes a
 * round trip for every chunk sent. A chunk is known by a keyed SHA-256 digest of its text; the text
 * itself is not kept, and findings are kept relative to the chunk, so they fit wherever it sits now.
 * Only successful answers are remembered.
 */

export interface ChunkCacheOptions {
  /** UTF-8 bytes of chunk text whose findings are remembered at most (least recently used forgotten first). */
  readonly maxTextBytes: number;
  /** Chunks remembered at most: a one-word message costs an entry (about 220 bytes of heap) like a long one. */
  readonly maxEntries: number;
  /** How long an answer is reused, counted from the answer: a hit does not extend it, so an edited guardrail applies within this time. */
  readonly ttlMs: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The sender's side of a call in flight for one chunk. */
export interface PendingAnswer {
  /** Remembers the findings and hands them to every request waiting for this chunk. */
  resolve(findings: readonly Finding[]): void;
  /** The call failed or was aborted: nothing is remembered, and whoever waited sends the chunk itself. */
  abandon(): void;
}

export type ChunkLookup =
  | { readonly kind: 'known'; readonly findings: readonly Finding[] }
  | { readonly kind: 'in-flight'; readonly answer: Promise<readonly Finding[]> }
  | { readonly kind: 'send'; readonly pending: PendingAnswer };

export interface ChunkCache {
  /** The key of a chunk's text: equal texts, equal keys; the text cannot be read back from it. */
  keyOf(text: string): string;
  /**
   * What is known of a chunk: its remembered findings, a call already in flight for it (when `share`),
   * or else the caller is to send it — then later lookups wait for that call rather than send it again.
   */
  lookup(key: string, bytes: number, share: boolean): ChunkLookup;
}

interface Entry {
  readonly findings: readonly Finding[];
  readonly bytes: number;
  readonly expiresAt: number;
}

/** Thrown to the requests waiting on a call that was abandoned; they catch it and send the chunk themselves. */
export class AbandonedCallError extends Error {
  override readonly name = 'AbandonedCallError';
}

export function createChunkCache(options: ChunkCacheOptions): ChunkCache {
  const now = options.now ?? Date.now;
  // A key of this cache's own: the digest of a short text ("yes") cannot be matched against guesses made elsewhere.
  const digestKey = randomBytes(32);
  /** Least recently used first: a hit moves its entry to the end. */
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<readonly Finding[]>>();
  let textBytes = 0;

  function forget(key: string, entry: Entry): void {
    entries.delete(key);
    textBytes -= entry.bytes;
  }

  function remembered(key: string): readonly Finding[] | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    forget(key, entry);
    if (entry.expiresAt <= now()) return undefined;
    entries.set(key, entry);
    textBytes += entry.bytes;
    return entry.findings;
  }

  function remember(key: string, bytes: number, findings: readonly Finding[]): void {
    if (bytes > options.maxTextBytes || options.maxEntries < 1) return;
    const previous = entries.get(key);
    if (previous !== undefined) forget(key, previous);
    entries.set(key, { findings, bytes, expiresAt: now() + options.ttlMs });
    textBytes += bytes;
    for (const [oldest, entry] of entries) {
      if (textBytes <= options.maxTextBytes && entries.size <= options.maxEntries) break;
      forget(oldest, entry);
    }
  }

  function announce(key: string, bytes: number): PendingAnswer {
    let settle: { resolve(findings: readonly Finding[]): void; reject(error: Error): void } | undefined;
    const answer = new Promise<readonly Finding[]>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Often nobody waits: an abandoned call must not surface as an unhandled rejection.
    answer.catch(() => undefined);
    inFlight.set(key, answer);
    const finish = (): void => {
      settle = undefined;
      if (inFlight.get(key) === answer) inFlight.delete(key);
    };
    return {
      resolve(findings) {
        if (settle === undefined) return;
        const { resolve } = settle;
        finish();
        remember(key, bytes, findings);
        resolve(findings);
      },
      abandon() {
        if (settle === undefined) return;
        const { reject } = settle;
        finish();
        reject(new AbandonedCallError('the call for this chunk was abandoned'));
      },
    };
  }

  return {
    keyOf: (text) => createHmac('sha256', digestKey).update(text, 'utf8').digest('base64'),
    lookup(key, bytes, share) {
      const findings = remembered(key);
      if (findings !== undefined) return { kind: 'known', findings };
      const answer = share ? inFlight.get(key) : undefined;
      if (answer !== undefined) return { kind: 'in-flight', answer };
      // Without sharing, another request's call in flight stays the one later lookups wait for.
      if (!share && inFlight.has(key)) return { kind: 'send', pending: { resolve: (found) => remember(key, bytes, found), abandon: () => undefined } };
      return { kind: 'send', pending: announce(key, bytes) };
    },
  };
}
