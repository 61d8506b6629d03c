import { AbandonedCallError, type ChunkCache, type ChunkCacheOptions, createChunkCache } from '../../../lambda/pii/managed/chunk-cache';
import type { Finding } from '../../../lambda/pii/types';

const NAME: readonly Finding[] = [{ type: 'person_name', start: 3, end: 11 }];

/** Answers `key` as a service would have: looked up, sent, resolved. */
function answer(cache: ChunkCache, key: string, bytes: number, findings: readonly Finding[] = NAME): void {
  const lookup = cache.lookup(key, bytes, true);
  if (lookup.kind !== 'send') throw new Error(`expected to send ${key}, got ${lookup.kind}`);
  lookup.pending.resolve(findings);
}

const kindOf = (cache: ChunkCache, key: string, bytes = 10): string => cache.lookup(key, bytes, true).kind;

function cacheWith(options: Partial<ChunkCacheOptions> = {}): ChunkCache {
  return createChunkCache({ maxTextBytes: 1000, maxEntries: 100, ttlMs: 60_000, ...options });
}

describe('chunk cache keys', () => {
  test('equal texts have equal keys, other texts other keys, and a key does not hold its text', () => {
    const cache = cacheWith();
    const key = cache.keyOf('Call Jane Doe');
    expect(cache.keyOf('Call Jane Doe')).toBe(key);
    expect(cache.keyOf('Call Jane Doe.')).not.toBe(key);
    expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    // Keyed per cache: a digest means nothing outside the process that made it.
    expect(cacheWith().keyOf('Call Jane Doe')).not.toBe(key);
  });
});

describe('chunk cache bounds', () => {
  test('remembers answers; forgets the least recently used past the text bound', () => {
    const cache = cacheWith({ maxTextBytes: 100 });
    answer(cache, 'a', 40);
    answer(cache, 'b', 40);
    expect(cache.lookup('a', 40, true)).toEqual({ kind: 'known', findings: NAME });
    answer(cache, 'c', 40); // 120 bytes: b, the least recently used, goes
    expect(kindOf(cache, 'a')).toBe('known');
    expect(kindOf(cache, 'c')).toBe('known');
    expect(kindOf(cache, 'b')).toBe('send');
  });

  test('forgets the least recently used past the entry bound', () => {
    const cache = cacheWith({ maxEntries: 2 });
    answer(cache, 'a', 1);
    answer(cache, 'b', 1);
    answer(cache, 'c', 1);
    expect(kindOf(cache, 'b')).toBe('known');
    expect(kindOf(cache, 'c')).toBe('known');
    expect(kindOf(cache, 'a')).toBe('send');
  });

  test('a chunk larger than the whole bound is not remembered, and pushes nothing out', () => {
    const cache = cacheWith({ maxTextBytes: 100 });
    answer(cache, 'small', 60);
    answer(cache, 'huge', 101);
    expect(kindOf(cache, 'huge')).toBe('send');
    expect(kindOf(cache, 'small')).toBe('known');
  });

  test('an answer expires ttlMs after it was given; a hit does not extend it', () => {
    let now = 5_000;
    const cache = cacheWith({ ttlMs: 1_000, now: () => now });
    answer(cache, 'a', 10);
    now += 999;
    expect(kindOf(cache, 'a')).toBe('known');
    now += 1;
    const lookup = cache.lookup('a', 10, true);
    expect(lookup.kind).toBe('send');
    // The fresh answer starts a new time-to-live.
    if (lookup.kind === 'send') lookup.pending.resolve([]);
    now += 999;
    expect(cache.lookup('a', 10, true)).toEqual({ kind: 'known', findings: [] });
  });

  test('an expired entry no longer counts against the bound', () => {
    let now = 0;
    const cache = cacheWith({ maxTextBytes: 100, ttlMs: 1_000, now: () => now });
    answer(cache, 'old', 60);
    now += 1_000;
    expect(kindOf(cache, 'old', 60)).toBe('send');
    answer(cache, 'a', 50);
    answer(cache, 'b', 50);
    expect(kindOf(cache, 'a')).toBe('known');
    expect(kindOf(cache, 'b')).toBe('known');
  });
});

describe('chunk cache calls in flight', () => {
  test('a lookup while the chunk is being sent waits for that answer', async () => {
    const cache = cacheWith();
    const first = cache.lookup('a', 10, true);
    const second = cache.lookup('a', 10, true);
    if (first.kind !== 'send' || second.kind !== 'in-flight') throw new Error(`got ${first.kind}, ${second.kind}`);
    first.pending.resolve(NAME);
    await expect(second.answer).resolves.toEqual(NAME);
    expect(kindOf(cache, 'a')).toBe('known');
  });

  test('an abandoned call rejects its waiters with AbandonedCallError and remembers nothing', async () => {
    const cache = cacheWith();
    const first = cache.lookup('a', 10, true);
    const second = cache.lookup('a', 10, true);
    if (first.kind !== 'send' || second.kind !== 'in-flight') throw new Error(`got ${first.kind}, ${second.kind}`);
    first.pending.abandon();
    first.pending.resolve(NAME); // too late: the call was given up
    await expect(second.answer).rejects.toBeInstanceOf(AbandonedCallError);
    expect(kindOf(cache, 'a')).toBe('send');
  });

  test('an abandoned call with nobody waiting is no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const lookup = cacheWith().lookup('a', 10, true);
      if (lookup.kind === 'send') lookup.pending.abandon();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('without sharing, a lookup sends even while another call is in flight, which stays the one to wait for', async () => {
    const cache = cacheWith();
    const owner = cache.lookup('a', 10, true);
    const retry = cache.lookup('a', 10, false);
    if (owner.kind !== 'send' || retry.kind !== 'send') throw new Error(`got ${owner.kind}, ${retry.kind}`);
    const waiter = cache.lookup('a', 10, true);
    expect(waiter.kind).toBe('in-flight');
    retry.pending.resolve(NAME);
    expect(kindOf(cache, 'a')).toBe('known');
    owner.pending.resolve(NAME);
    if (waiter.kind === 'in-flight') await expect(waiter.answer).resolves.toEqual(NAME);
  });
});
