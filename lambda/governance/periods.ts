import type { BudgetPeriod } from '../stores/store';

/** One budget period: the counter it is charged to and when it ends. */
export interface PeriodWindow {
  /** `2026-12-02`, `2026-W49`, `2026-12` or `lifetime`: part of the counter name, so a new period starts at zero. */
  readonly key: string;
  /** Epoch ms the period ends (exclusive); undefined for a lifetime budget, which never resets. */
  readonly endMs: number | undefined;
}

const DAY_MS = 86_400_000;
/** Counters outlive their period this long, so the admin API can still show last period's spend. */
const COUNTER_RETENTION_MS = 400 * DAY_MS;
/** A lifetime budget's counter is never deleted: its expiry is "never" in practice. */
const FAR_FUTURE_MS = Date.UTC(9999, 0, 1);

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** ISO-8601 week: weeks start Monday 00:00 UTC and belong to the year holding their Thursday. */
function isoWeek(nowMs: number): { key: string; endMs: number } {
  const date = new Date(nowMs);
  const dayStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const mondayIndex = (date.getUTCDay() + 6) % 7;
  const monday = dayStart - mondayIndex * DAY_MS;
  const thursday = new Date(monday + 3 * DAY_MS);
  const weekYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / (7 * DAY_MS)) + 1;
  return { key: `${weekYear}-W${pad(week)}`, endMs: monday + 7 * DAY_MS };
}

/** The period holding `nowMs` (UTC), from an injected clock so rollover is testable. */
export function periodOf(period: BudgetPeriod, nowMs: number): PeriodWindow {
  const date = new Date(nowMs);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  switch (period) {
    case 'daily': {
      const start = Date.UTC(year, month, date.getUTCDate());
      return { key: `${year}-${pad(month + 1)}-${pad(date.getUTCDate())}`, endMs: start + DAY_MS };
    }
    case 'weekly':
      return isoWeek(nowMs);
    case 'monthly':
      return { key: `${year}-${pad(month + 1)}`, endMs: Date.UTC(year, month + 1, 1) };
    case 'lifetime':
      return { key: 'lifetime', endMs: undefined };
  }
}

/** When the period's budget starts from zero again: an ISO time, or undefined for a lifetime budget. */
export function resetsAt(window: PeriodWindow): string | undefined {
  return window.endMs === undefined ? undefined : new Date(window.endMs).toISOString();
}

export function budgetCounter(budgetId: string, window: PeriodWindow): string {
  return `budget#${budgetId}#${window.key}`;
}

export function budgetCounterExpiry(window: PeriodWindow): number {
  return window.endMs === undefined ? FAR_FUTURE_MS : window.endMs + COUNTER_RETENTION_MS;
}

/** Budgets count integer nano-USD: exact sums, and a counter store needs integers. */
export function toNanoUsd(usd: number): number {
  return Math.round(usd * 1e9);
}

export function fromNanoUsd(nano: number): number {
  return nano / 1e9;
}
