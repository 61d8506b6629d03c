import { listOption, numberOption, requiredOption, stringOption, UsageError, type OptionValues } from '../args';
import { segment } from '../client';
import { BUDGET_PERIODS, LIMIT_SCOPES, type BudgetPeriod, type BudgetView, type CreateBudgetRequest, type LimitScope } from '../../admin/api-types/governance';
import { formatMoney, formatValue, renderDetails, type Column } from '../table';
import { listData, printJson, printListing, type CommandContext, type CommandSpec } from './command';

export function scopeOf(text: string | undefined): LimitScope {
  const scope = LIMIT_SCOPES.find((candidate) => candidate === text);
  if (scope === undefined) throw new UsageError(`The scope must be one of ${LIMIT_SCOPES.join(', ')}, got '${text ?? ''}'.`);
  return scope;
}

function periodOf(values: OptionValues): BudgetPeriod {
  const text = requiredOption(values, 'period');
  const period = BUDGET_PERIODS.find((candidate) => candidate === text);
  if (period === undefined) throw new UsageError(`--period must be one of ${BUDGET_PERIODS.join(', ')}, got '${text}'.`);
  return period;
}

/** `0.5,0.8,1` or `50,80,100` (percent), as a person would type either. */
function thresholdsOf(values: OptionValues): number[] | undefined {
  const items = listOption(values, 'alerts');
  if (items === undefined) return undefined;
  const numbers = items.map(Number);
  if (numbers.some((value) => !Number.isFinite(value) || value <= 0)) throw new UsageError(`--alerts takes positive fractions like 0.5,0.8,1.`);
  return numbers.some((value) => value > 2) ? numbers.map((value) => value / 100) : numbers;
}

const BUDGET_COLUMNS: readonly Column<BudgetView>[] = [
  { header: 'ID', value: (budget) => budget.id },
  { header: 'SCOPE', value: (budget) => `${budget.scope}:${budget.scopeId}` },
  { header: 'LIMIT', value: (budget) => formatMoney(budget.limitUsd), align: 'right', csv: (budget) => budget.limitUsd },
  { header: 'SPENT', value: (budget) => formatMoney(budget.current.spentUsd), align: 'right', csv: (budget) => budget.current.spentUsd },
  { header: 'PERIOD', value: (budget) => budget.period },
  { header: 'MODELS', value: (budget) => (budget.models === undefined ? '(all)' : formatValue(budget.models)), maxWidth: 30 },
  { header: 'ALERTS', value: (budget) => formatValue(budget.alertThresholds) },
];

function printBudget(context: CommandContext, budget: BudgetView): void {
  if (context.values.json === true) return printJson(context, budget);
  context.io.out(renderDetails([
    ['id', budget.id], ['scope', `${budget.scope}:${budget.scopeId}`], ['limit', formatMoney(budget.limitUsd)], ['period', budget.period],
    ['spent', formatMoney(budget.current.spentUsd)], ['reserved', formatMoney(budget.current.reservedUsd)], ['period now', budget.current.periodKey], ['resets', budget.current.resetsAt],
    ['models', budget.models === undefined ? '(all)' : formatValue(budget.models)], ['alerts', formatValue(budget.alertThresholds)],
    ['created', budget.createdAt],
  ]));
}

export const budgetCommands: readonly CommandSpec[] = [
  {
    path: ['budgets', 'list'], usage: 'budgets list [--scope team|user|key --id X]', summary: 'List budgets.', csv: true,
    options: { scope: { type: 'string' }, id: { type: 'string' } },
    async run(context) {
      const scopeText = stringOption(context.values, 'scope');
      const query = { scope: scopeText === undefined ? undefined : scopeOf(scopeText), id: stringOption(context.values, 'id') };
      const answer = await context.client.json('GET', '/budgets', { query });
      printListing(context, answer, listData<BudgetView>(answer), BUDGET_COLUMNS);
    },
  },
  {
    path: ['budgets', 'create'],
    usage: 'budgets create --scope team|user|key --id X --limit-usd N --period daily|weekly|monthly|lifetime [--models a,b] [--alerts 0.5,0.8,1]',
    summary: 'Create a USD budget on a team, user or key.',
    details: ['--id      a team id or name, a user id or email, or a key id', '--alerts  fractions (or percentages) of the limit at which an alert is recorded', '--shards  counter items (1-64) for a hot scope'],
    options: { shards: { type: 'string' }, scope: { type: 'string' }, id: { type: 'string' }, 'limit-usd': { type: 'string' }, period: { type: 'string' }, models: { type: 'string' }, alerts: { type: 'string' } },
    async run(context) {
      const { values } = context;
      const limitUsd = numberOption(values, 'limit-usd');
      if (limitUsd === undefined) throw new UsageError('--limit-usd is required.');
      const models = listOption(values, 'models');
      const alertThresholds = thresholdsOf(values);
      const shards = numberOption(values, 'shards', { integer: true, min: 1 });
      const body: CreateBudgetRequest = {
        scope: scopeOf(requiredOption(values, 'scope')), id: requiredOption(values, 'id'), limitUsd, period: periodOf(values),
        ...(models === undefined ? {} : { models }), ...(alertThresholds === undefined ? {} : { alertThresholds }),
        ...(shards === undefined ? {} : { shards }),
      };
      printBudget(context, (await context.client.json('POST', '/budgets', { body })) as BudgetView);
    },
  },
  {
    path: ['budgets', 'show'], usage: 'budgets show <id>', summary: 'Show a budget.', positionals: [1, 1],
    async run(context) {
      printBudget(context, (await context.client.json('GET', `/budgets/${segment(context.positionals[0] ?? '')}`)) as BudgetView);
    },
  },
  {
    path: ['budgets', 'delete'], usage: 'budgets delete <id>', summary: 'Delete a budget.', positionals: [1, 1],
    async run(context) {
      const id = context.positionals[0] ?? '';
      const answer = await context.client.json('DELETE', `/budgets/${segment(id)}`);
      if (context.values.json === true) printJson(context, answer);
      else context.io.out(`Budget ${id} deleted.\n`);
    },
  },
];
