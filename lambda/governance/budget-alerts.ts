import type { Logger } from '../logging/logger';
import type { Budget, BudgetAlertStore } from '../stores/store';
import { fromNanoUsd, toNanoUsd, type PeriodWindow } from './periods';

export const DEFAULT_ALERT_THRESHOLDS: readonly number[] = [0.5, 0.8, 1];

/**
 * Records one alert per threshold a budget's settled spend has reached, once per period: the store's
 * conditional write makes it once across instances; the memo here spares this process a store call on
 * every later settle of the period.
 */
export function createBudgetAlerter(alerts: BudgetAlertStore, logger: Logger): (budget: Budget, window: PeriodWindow, settledNanoUsd: number, nowMs: number) => Promise<void> {
  const recorded = new Map<string, { periodKey: string; thresholds: Set<number> }>();

  function memoOf(budget: Budget, window: PeriodWindow): Set<number> {
    const memo = recorded.get(budget.id);
    if (memo !== undefined && memo.periodKey === window.key) return memo.thresholds;
    const fresh = { periodKey: window.key, thresholds: new Set<number>() };
    recorded.set(budget.id, fresh);
    return fresh.thresholds;
  }

  return async (budget, window, settledNanoUsd, nowMs) => {
    const memo = memoOf(budget, window);
    const spentUsd = fromNanoUsd(settledNanoUsd);
    const limitNanoUsd = toNanoUsd(budget.limitUsd);
    // Compared in integer nano-USD: 0.8 × $0.002 in floats is a hair above 80 % of it.
    const reached = (budget.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS)
      .filter((threshold) => !memo.has(threshold) && settledNanoUsd >= Math.round(threshold * limitNanoUsd));
    // The common settle crosses no new threshold: nothing to write.
    if (reached.length === 0) return;
    for (const threshold of reached) memo.add(threshold);
    const results = await Promise.allSettled(reached.map((threshold) => alerts.recordAlert({
      budgetId: budget.id, scope: budget.scope, scopeId: budget.scopeId, period: budget.period, periodKey: window.key,
      threshold, limitUsd: budget.limitUsd, spentUsd, time: new Date(nowMs).toISOString(),
    })));
    let failure: { error: unknown } | undefined;
    results.forEach((result, index) => {
      const threshold = reached[index] ?? 0;
      if (result.status === 'rejected') {
        // Not recorded: a later settle of this period tries again.
        memo.delete(threshold);
        failure ??= { error: result.reason };
      } else if (result.value) {
        logger.warn('budget alert', { budgetId: budget.id, scope: budget.scope, periodKey: window.key, threshold, limitUsd: budget.limitUsd, spentUsd });
      }
    });
    if (failure !== undefined) throw failure.error;
  };
}
