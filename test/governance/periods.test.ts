import { budgetCounter, budgetCounterExpiry, periodOf, resetsAt } from '../../lambda/governance/periods';

describe('budget periods (UTC)', () => {
  it('rolls a monthly budget over at midnight of the first, not a millisecond before', () => {
    const lastMs = Date.UTC(2026, 11, 31, 23, 59, 59, 999);
    expect(periodOf('monthly', lastMs).key).toBe('2026-12');
    expect(resetsAt(periodOf('monthly', lastMs))).toBe('2027-01-01T00:00:00.000Z');
    expect(periodOf('monthly', lastMs + 1).key).toBe('2027-01');
  });

  it('starts ISO weeks on Monday and gives late-December days to next year\'s week 1', () => {
    const sunday = Date.UTC(2026, 11, 6, 23, 59, 59, 999);
    expect(periodOf('weekly', sunday).key).toBe('2026-W49');
    expect(periodOf('weekly', sunday + 1).key).toBe('2026-W50');
    expect(resetsAt(periodOf('weekly', sunday))).toBe('2026-12-07T00:00:00.000Z');
    // 2024-12-30 is a Monday of ISO week 2025-W01; 2021-01-03 a Sunday of 2020-W53.
    expect(periodOf('weekly', Date.UTC(2024, 11, 30)).key).toBe('2025-W01');
    expect(periodOf('weekly', Date.UTC(2021, 0, 3)).key).toBe('2020-W53');
  });

  it('names days and lifetime, and keeps counters 400 days past their period', () => {
    const now = Date.UTC(2026, 1, 28, 15);
    expect(periodOf('daily', now)).toEqual({ key: '2026-02-28', endMs: Date.UTC(2026, 2, 1) });
    expect(periodOf('lifetime', now)).toEqual({ key: 'lifetime', endMs: undefined });
    expect(resetsAt(periodOf('lifetime', now))).toBeUndefined();
    expect(budgetCounter('bud_1', periodOf('monthly', now))).toBe('budget#bud_1#2026-02');
    expect(budgetCounterExpiry(periodOf('daily', now))).toBe(Date.UTC(2026, 2, 1) + 400 * 86_400_000);
    expect(budgetCounterExpiry(periodOf('lifetime', now))).toBeGreaterThan(Date.UTC(9000, 0, 1));
  });
});
