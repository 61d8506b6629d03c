/**
 * The typed shapes of /admin/v1/usage and /admin/v1/usage/records, shared by the admin routes and
 * the gatellm CLI so the two cannot drift apart. Types and constants only (plus one query builder):
 * the CLI imports this file without pulling in the stores.
 */
import type { UsageAggregateRow, UsageGroupField, UsageRecord } from '../../stores/store';

export type { UsageAggregateRow, UsageGroupField, UsageRecord } from '../../stores/store';

export const USAGE_GROUP_FIELDS: readonly UsageGroupField[] = ['team', 'user', 'key', 'model', 'day', 'provider'];
export const DEFAULT_USAGE_GROUP_BY: readonly UsageGroupField[] = ['team', 'model'];
/** CSV pages of /usage/records carry the next page's cursor here (a CSV body has nowhere else for it). */
export const NEXT_CURSOR_HEADER = 'x-next-cursor';
export const MAX_USAGE_PAGE = 10_000;
export const MAX_USAGE_RANGE_DAYS = 400;

/** Filters both endpoints accept; every one is an exact match. */
export interface UsageFilters {
  /** ISO time, inclusive. @default the start of the current UTC month */
  readonly from?: string;
  /** ISO time, exclusive. @default now */
  readonly to?: string;
  /** A team id or name (names compared case-insensitively). */
  readonly team?: string;
  /** A user id, or the email of a known user. */
  readonly user?: string;
  readonly key?: string;
  /** The model name callers asked for. */
  readonly model?: string;
  readonly provider?: string;
  readonly format?: 'json' | 'csv';
}

/** GET /admin/v1/usage */
export interface UsageAggregatesParams extends UsageFilters {
  /** @default ['team', 'model'] */
  readonly groupBy?: readonly UsageGroupField[];
}

/** GET /admin/v1/usage/records */
export interface UsageRecordsParams extends UsageFilters {
  /** Records per page, 1..10000. @default 1000 */
  readonly limit?: number;
  /** `nextCursor` (JSON) or the `x-next-cursor` header (CSV) of the previous page. */
  readonly cursor?: string;
}

/** A usage record as the admin API shows it: the stored record plus its team's name. */
export type UsageRecordView = UsageRecord & { readonly teamName?: string };
export type UsageRowView = UsageAggregateRow & { readonly teamName?: string };

export interface UsageAggregatesResponse {
  readonly object: 'list';
  readonly from: string;
  readonly to: string;
  readonly groupBy: readonly UsageGroupField[];
  readonly data: readonly UsageRowView[];
}

export interface UsageRecordsResponse {
  readonly object: 'list';
  /** Newest first. */
  readonly data: readonly UsageRecordView[];
  /** Present when more records match: pass it as `cursor`. */
  readonly nextCursor?: string;
}

/** The query string for either endpoint (unset parameters left out). */
export function usageSearchParams(params: UsageAggregatesParams & UsageRecordsParams): URLSearchParams {
  const search = new URLSearchParams();
  const { groupBy, limit, ...rest } = params;
  for (const [name, value] of Object.entries(rest)) {
    if (typeof value === 'string') search.set(name, value);
  }
  if (groupBy !== undefined) search.set('groupBy', groupBy.join(','));
  if (limit !== undefined) search.set('limit', String(limit));
  return search;
}
