import fc from 'fast-check';
import { forEachConcurrently } from '../../lambda/stores/dynamo/concurrency';
import {
  daysNewestFirst,
  shardOf,
  usageSortKey,
  usageSortKeyBounds,
} from '../../lambda/stores/dynamo/usage-layout';

// Times within years 2000..2100 and request ids as the gateway makes them (and odd ones).
const time = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
const requestId = fc.string({ minLength: 1, maxLength: 40 });

describe('usage key layout', () => {
  it('sort-key bounds select exactly the records in [from, to)', () => {
    fc.assert(fc.property(time, time, fc.oneof(time, fc.constant(-1)), requestId, (from, to, maybeAt, id) => {
      // Half the time put the record exactly on a bound, where off-by-one errors live.
      const at = maybeAt === -1 ? (id.length % 2 === 0 ? from : to) : maybeAt;
      const { lower, upper } = usageSortKeyBounds(from, to);
      const key = usageSortKey(at, id);
      expect(key >= lower && key <= upper).toBe(at >= from && at < to);
    }));
  });

  it('lists the UTC days overlapping [from, to), newest first', () => {
    const day = (text: string) => Date.parse(text);
    expect(daysNewestFirst(day('2026-03-05T23:00:00Z'), day('2026-03-07T00:00:00Z'))).toEqual(['2026-03-06', '2026-03-05']);
    expect(daysNewestFirst(day('2026-03-05T00:00:00Z'), day('2026-03-05T00:00:00.001Z'))).toEqual(['2026-03-05']);
    expect(daysNewestFirst(day('2026-03-05T00:00:00Z'), day('2026-03-05T00:00:00Z'))).toEqual([]);
    expect(daysNewestFirst(day('2025-12-31T12:00:00Z'), day('2026-01-01T12:00:00Z'))).toEqual(['2026-01-01', '2025-12-31']);
  });

  it('spreads request ids over all shards, stably', () => {
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 8000; i += 1) {
      const shard = shardOf(`chatcmpl-${i.toString(36)}`, 8);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
    expect(shardOf('req-abc', 8)).toBe(shardOf('req-abc', 8));
    fc.assert(fc.property(requestId, fc.integer({ min: 1, max: 64 }), (id, shards) => {
      const shard = shardOf(id, shards);
      expect(Number.isInteger(shard) && shard >= 0 && shard < shards).toBe(true);
    }));
  });
});

describe('forEachConcurrently', () => {
  it('never runs more than the bound at once and visits every item', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachConcurrently([...Array(20).keys()], 3, async (item) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(item);
      running -= 1;
    });
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    await expect(forEachConcurrently([1, 2, 3, 4, 5], 1, async (item) => {
      started.push(item);
      if (item === 2) throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });
});
