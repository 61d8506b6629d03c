import type { Budget, CounterStore } from '../stores/store';
import { budgetCounter, fromNanoUsd, periodOf, resetsAt } from './periods';

/** Where a budget stands in the period holding `nowMs`. */
export interface BudgetPeriodState {
  readonly periodKey: string;
  /** Spend of requests that have ended. */
  readonly spentUsd: number;
  /** Held by requests still running (their upper bound). */
  readonly reservedUsd: number;
  /** Absent for a lifetime budget. */
  readonly resetsAt?: string;
}

/** One counter read (summed over the budget's shards). */
export async function budgetPeriodState(budget: Budget, counters: CounterStore, nowMs: number): Promise<BudgetPeriodState> {
  const window = periodOf(budget.period, nowMs);
  const state = await counters.read(budgetCounter(budget.id, window), budget.shards ?? 1);
  const reset = resetsAt(window);
  return {
    periodKey: window.key,
    spentUsd: fromNanoUsd(state.settled),
    reservedUsd: fromNanoUsd(Math.max(0, state.committed - state.settled)),
    ...(reset === undefined ? {} : { resetsAt: reset }),
  };
}
