import { createHash } from 'node:crypto';
import { MS_PER_DAY } from './usage-layout';

/**
 * Where usage roll-ups live, as pure functions. One roll-up item sums the records of one
 * UTC day × team × user × key × requested model × provider, in one of N shards:
 *
 *   pk  `ROLLUP#<teamId>#<yyyy-mm>#<shard>`   a team's month, split over N shards
 *   sk  `<yyyy-mm-dd>#<group digest>`          one group of one day
 *   pk  `ROLLUPTEAMS#<yyyy-mm>`  sk `TEAM#<teamId>`   which teams have roll-ups in a month
 *
 * Why the shard is in the partition key (not the sort key): DynamoDB's ~1,000 writes/s hold per
 * partition, and every sort key of one partition key starts on one partition (splitting a hot
 * item collection by sort key is adaptive, not guaranteed). With shard = hash(requestId) % 8, a
 * team at 5,000 requests/s writes ~625/s per partition even if every request hits one group.
 * A team's month is then N parallel Queries (one round), not one per day or per record.
 *
 * Why a digest in the sort key: the group's values (model names up to 1,024 characters, `#`
 * anywhere) cannot be packed into a sort key safely (1,024-byte limit, separator collisions); a
 * 128-bit SHA-256 prefix of their JSON cannot collide in practice, and the values are stored as
 * attributes for reading.
 */

export const DEFAULT_ROLLUP_SHARDS = 8;

/** The group one roll-up item sums; absent optionals stay absent (as in the records). */
export interface RollupGroup {
  readonly day: string;
  readonly teamId: string;
  readonly keyId: string;
  readonly user?: string;
  readonly model: string;
  readonly provider?: string;
}

export function monthOf(day: string): string {
  return day.slice(0, 7);
}

export function rollupPartitionKey(teamId: string, month: string, shard: number): string {
  return `ROLLUP#${teamId}#${month}#${shard}`;
}

export function rollupSortKey(group: RollupGroup): string {
  const identity = JSON.stringify([group.teamId, group.keyId, group.user ?? null, group.model, group.provider ?? null]);
  return `${group.day}#${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}`;
}

export function teamIndexPartitionKey(month: string): string {
  return `ROLLUPTEAMS#${month}`;
}

export const TEAM_INDEX_PREFIX = 'TEAM#';

export function teamIndexSortKey(teamId: string): string {
  return `${TEAM_INDEX_PREFIX}${teamId}`;
}

/** Sort-key bounds selecting the days [firstDay, lastDay] of one month partition (`#` < `$`). */
export function rollupDayBounds(firstDay: string, lastDay: string): { lower: string; upper: string } {
  return { lower: firstDay, upper: `${lastDay}$` };
}

/** A span of time, start inclusive, end exclusive, in epoch ms. */
export interface Span {
  readonly fromMs: number;
  readonly toMs: number;
}

/** How [from, to) is read: whole UTC days from roll-ups, partial edges from records. */
export interface RangeSplit {
  /** Whole days read from roll-ups, or undefined when the range holds none. */
  readonly wholeDays?: Span;
  /** Partial days read from records and added. */
  readonly edges: readonly Span[];
  /** Records read and taken away again: the part of the last roll-up day after `to`. */
  readonly subtract: readonly Span[];
}

/**
 * Splits [from, to) for reading. A range ending at or after `openEndMs` (the store's now) ends in
 * a day that holds few or no records after `to` (only those of writers whose clocks run ahead):
 * that day is read as its roll-up minus the records in [to, end of day), which is exact and cheap,
 * instead of every record since midnight. So the default report (month to date) reads no record
 * of today however busy today is. Any other partial edge is read from its records.
 */
export function splitRange(fromMs: number, toMs: number, openEndMs = Number.POSITIVE_INFINITY): RangeSplit {
  if (toMs <= fromMs) return { edges: [], subtract: [] };
  const firstWhole = Math.ceil(fromMs / MS_PER_DAY) * MS_PER_DAY;
  let wholeEnd = Math.floor(toMs / MS_PER_DAY) * MS_PER_DAY;
  const subtract: Span[] = [];
  if (toMs > wholeEnd && toMs >= openEndMs && wholeEnd >= firstWhole) {
    subtract.push({ fromMs: toMs, toMs: wholeEnd + MS_PER_DAY });
    wholeEnd += MS_PER_DAY;
  }
  if (firstWhole >= wholeEnd) return { edges: [{ fromMs, toMs }], subtract: [] };
  const edges = [{ fromMs, toMs: firstWhole }, { fromMs: wholeEnd, toMs }].filter((edge) => edge.toMs > edge.fromMs);
  return { wholeDays: { fromMs: firstWhole, toMs: wholeEnd }, edges, subtract };
}

/** The months of the whole days [fromMs, toMs), each with its first and last day. */
export function monthsOf(fromMs: number, toMs: number): { month: string; firstDay: string; lastDay: string }[] {
  const months: { month: string; firstDay: string; lastDay: string }[] = [];
  for (let dayStart = fromMs; dayStart < toMs;) {
    const date = new Date(dayStart);
    const nextMonth = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    const end = Math.min(nextMonth, toMs);
    const firstDay = new Date(dayStart).toISOString().slice(0, 10);
    const lastDay = new Date(end - MS_PER_DAY).toISOString().slice(0, 10);
    months.push({ month: monthOf(firstDay), firstDay, lastDay });
    dayStart = end;
  }
  return months;
}
