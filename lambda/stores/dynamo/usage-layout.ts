/**
 * Where usage records live in the table, as pure functions (no I/O) so the scheme is testable
 * on its own.
 *
 *   pk  `USAGE#<yyyy-mm-dd>#<shard>`   one day, split over N shards
 *   sk  `<ISO time>#<requestId>`        sorts by time; the request id makes it unique
 *
 * Why shards: one partition sustains about 1,000 writes/s. A gateway writes one record per
 * request, so a single partition per day would cap the whole gateway near that rate. Spreading a
 * day over N partitions by a hash of the request id lifts the cap N-fold, at the cost of N
 * queries per day when reading.
 */

export const MS_PER_DAY = 86_400_000;

/** Milliseconds since the epoch, or undefined for a string Date cannot parse. */
export function parseTime(text: string): number | undefined {
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The canonical sort-key form of a time: UTC, milliseconds, fixed width. Callers may pass any
 * ISO-8601 form (offsets, no milliseconds); only the canonical form sorts correctly as a string.
 */
export function canonicalTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** UTC day `yyyy-mm-dd` of a time. */
export function dayOf(ms: number): string {
  return canonicalTime(ms).slice(0, 10);
}

/**
 * FNV-1a (32 bit) of the request id, modulo the shard count: cheap, stable across processes and
 * runtimes (unlike anything seeded), and even enough for random request ids.
 */
export function shardOf(requestId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < requestId.length; i += 1) {
    hash ^= requestId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

export function usagePartitionKey(day: string, shard: number): string {
  return `USAGE#${day}#${shard}`;
}

export function usageSortKey(timeMs: number, requestId: string): string {
  return `${canonicalTime(timeMs)}#${requestId}`;
}

/**
 * The sort-key bounds for records with time in [from, to), for `sk BETWEEN :lower AND :upper`
 * (inclusive at both ends). Every sort key is `<time>#<requestId>`, i.e. its time followed by
 * more characters, so:
 *  - lower = `<from>`: a record at exactly `from` sorts after it (it has the longer string) → included;
 *  - upper = `<to>`:   a record at exactly `to` sorts after it → excluded, while every earlier time
 *    differs from `<to>` within the fixed-width time and sorts before it → included.
 * No sort key ever equals a bare time, so the inclusive BETWEEN yields exactly [from, to).
 */
export function usageSortKeyBounds(fromMs: number, toMs: number): { lower: string; upper: string } {
  return { lower: canonicalTime(fromMs), upper: canonicalTime(toMs) };
}

/** The UTC days that overlap [from, to), newest first. Empty when the range is empty. */
export function daysNewestFirst(fromMs: number, toMs: number): string[] {
  if (toMs <= fromMs) return [];
  const days: string[] = [];
  const firstDayStart = Math.floor(fromMs / MS_PER_DAY) * MS_PER_DAY;
  // The last millisecond in range is to - 1: a range ending exactly at midnight stops the day before.
  for (let dayStart = Math.floor((toMs - 1) / MS_PER_DAY) * MS_PER_DAY; dayStart >= firstDayStart; dayStart -= MS_PER_DAY) {
    days.push(dayOf(dayStart));
  }
  return days;
}

/** Epoch seconds at which DynamoDB TTL may delete the record (the attribute TTL expects). */
export function expiryEpochSeconds(timeMs: number, retentionDays: number): number {
  return Math.floor((timeMs + retentionDays * MS_PER_DAY) / 1000);
}
