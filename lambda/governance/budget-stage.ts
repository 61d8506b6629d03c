import type { GatewayConfig } from '../config/gateway-config';
import { modelAllowed } from '../core/model-access';
import type { Stage, StageInput, StageSettlement } from '../core/stage';
import { BudgetExceededError } from '../errors/gateway-error';
import type { Logger } from '../logging/logger';
import type { Budget, BudgetAlertStore, BudgetPeriod, CounterStore } from '../stores/store';
import { createBudgetAlerter } from './budget-alerts';
import { costBound } from './cost-bound';
import type { PolicyCache } from './policy-cache';
import { budgetCounter, budgetCounterExpiry, periodOf, resetsAt, toNanoUsd, type PeriodWindow } from './periods';
import { reserveAll, type Grant } from './reservations';

export interface BudgetStageDeps {
  readonly policies: PolicyCache;
  readonly counters: CounterStore;
  readonly alerts: BudgetAlertStore;
  readonly config: GatewayConfig;
  readonly logger: Logger;
  /** The clock of settlement (admission uses StageInput.nowMs). @default Date.now */
  readonly now?: () => number;
}

interface Charge {
  readonly budget: Budget;
  readonly window: PeriodWindow;
}

const PERIOD_WORDS: Readonly<Record<BudgetPeriod, string>> = {
  daily: 'per day', weekly: 'per week', monthly: 'per month', lifetime: 'in total',
};

/** A budget applies when it covers every model, or the requested name or any deployment fallback may use. */
function applies(budget: Budget, input: StageInput): boolean {
  const patterns = budget.models ?? [];
  return patterns.length === 0 || modelAllowed(patterns, input.call.model)
    || input.deployments.some((deployment) => modelAllowed(patterns, deployment.modelName));
}

/**
 * What a model-scoped budget is charged: the call's cost when the serving model is covered, or the name
 * asked for (a budget on an alias covers whatever serves it); 0 when fallback left the budget's models.
 */
function chargedNanoUsd(budget: Budget, model: string, settlement: StageSettlement): number {
  const patterns = budget.models ?? [];
  const servingName = settlement.deployment?.modelName;
  const covered = patterns.length === 0 || modelAllowed(patterns, model)
    || (servingName !== undefined && modelAllowed(patterns, servingName));
  return covered ? Math.max(0, toNanoUsd(settlement.record.costUsd)) : 0;
}

/** Dollars and cents, unless the limit has finer digits that `toFixed(2)` would hide ($0.002 is not $0.00). */
export function formatUsd(usd: number): string {
  return Number.isInteger(Math.round(usd * 1e6) / 1e4) ? usd.toFixed(2) : String(usd);
}

export function budgetRefusal(budget: Budget, window: PeriodWindow): BudgetExceededError {
  const reset = resetsAt(window);
  const models = budget.models === undefined || budget.models.length === 0 ? '' : ` on ${budget.models.join(', ')}`;
  const when = reset === undefined ? 'it does not reset' : `resets ${reset}`;
  return new BudgetExceededError(
    `Budget exceeded: ${budget.scope} '${budget.scopeId}' budget ${budget.id} allows $${formatUsd(budget.limitUsd)} ${PERIOD_WORDS[budget.period]}${models} (${when}).`,
    { headers: reset === undefined ? {} : { 'x-gatellm-budget-reset': reset } },
  );
}

/** A budget's period, counter name and limit on one UTC day: periods only turn at midnight UTC. */
interface DayCharge {
  readonly day: number;
  readonly tag: Charge;
  readonly counter: string;
  readonly limit: number;
  readonly expiresAtMs: number;
}

const DAY_MS = 86_400_000;
/** Per budget object (the policy cache hands out the same one while it is cached). */
const dayCharges = new WeakMap<Budget, DayCharge>();

function chargeOf(budget: Budget, nowMs: number): DayCharge {
  const day = Math.floor(nowMs / DAY_MS);
  const cached = dayCharges.get(budget);
  if (cached !== undefined && cached.day === day) return cached;
  const window = periodOf(budget.period, nowMs);
  const charge: DayCharge = {
    day, tag: { budget, window }, counter: budgetCounter(budget.id, window), limit: toNanoUsd(budget.limitUsd), expiresAtMs: budgetCounterExpiry(window),
  };
  dayCharges.set(budget, charge);
  return charge;
}

/**
 * Hard USD budgets: every applicable budget of the key, user and team reserves an upper bound of the
 * call's cost in one parallel round; the call is admitted only if all of them have room. Settling
 * replaces the bound by the recorded cost and records threshold alerts.
 */
export function createBudgetStage(deps: BudgetStageDeps): Stage {
  const now = deps.now ?? Date.now;
  const alert = createBudgetAlerter(deps.alerts, deps.logger);

  async function settleOne(grant: Grant<Charge>, actual: number): Promise<void> {
    const { budget, window } = grant.tag;
    const state = await deps.counters.settle(grant.reservation, actual, now());
    if (actual === 0) return;
    // A settle answers its own shard only: the total needs a read, paid by sharded budgets alone.
    const shards = budget.shards ?? 1;
    const settled = shards === 1 ? state.settled : (await deps.counters.read(grant.request.counter, shards)).settled;
    try {
      await alert(budget, window, settled, now());
    } catch (error) {
      // The spend is settled; a lost alert must not report the settlement as failed.
      deps.logger.warn('budget alert failed', { budgetId: budget.id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  return {
    name: 'budgets',
    async admit(input) {
      const scoped = await deps.policies.policiesOf(input.principal);
      const budgets = scoped.flatMap(({ policy }) => policy.budgets).filter((budget) => applies(budget, input));
      if (budgets.length === 0) return {};
      const bound = costBound(input, deps.config);
      const outcome = await reserveAll(deps.counters, budgets.map((budget) => {
        const { tag, counter, limit, expiresAtMs } = chargeOf(budget, input.nowMs);
        return { tag, request: { counter, amount: bound.costNanoUsd, limit, shards: budget.shards ?? 1, nowMs: input.nowMs, expiresAtMs } };
      }), deps.logger);
      if (!outcome.admitted) throw budgetRefusal(outcome.refused.tag.budget, outcome.refused.tag.window);
      return {
        ...(bound.outputTokenCap === undefined ? {} : { outputTokenCap: bound.outputTokenCap }),
        settle: async (settlement) => {
          await Promise.all(outcome.grants.map((grant) => settleOne(grant, chargedNanoUsd(grant.tag.budget, input.call.model, settlement))));
        },
      };
    },
  };
}
