import type { AuditEntryView, ListResponse } from '../../admin/api-types/entities';
import { numberOption, stringOption, timeOption } from '../args';
import type { BudgetAlert } from '../../admin/api-types/governance';
import { formatMoney, formatValue, type Column } from '../table';
import { listData, printListing, type CommandSpec } from './command';

/** `field: before → after` for what changed, so a reader needs no --json for the common question. */
function changeOf(entry: AuditEntryView): string {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changed = fields.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
  if (entry.before === undefined) return entry.after === undefined ? '' : '(created)';
  if (entry.after === undefined) return '(deleted)';
  return changed.map((field) => `${field}: ${formatValue(before[field]) || '-'} → ${formatValue(after[field]) || '-'}`).join('; ');
}

const AUDIT_COLUMNS: readonly Column<AuditEntryView>[] = [
  { header: 'TIME', value: (entry) => entry.time },
  { header: 'ACTOR', value: (entry) => entry.actor, maxWidth: 30 },
  { header: 'ACTION', value: (entry) => entry.action },
  { header: 'TARGET', value: (entry) => entry.target },
  { header: 'CHANGE', value: changeOf, maxWidth: 60 },
];

const ALERT_COLUMNS: readonly Column<BudgetAlert>[] = [
  { header: 'TIME', value: (alert) => alert.time },
  { header: 'BUDGET', value: (alert) => alert.budgetId },
  { header: 'SCOPE', value: (alert) => `${alert.scope}:${alert.scopeId}` },
  { header: 'PERIOD', value: (alert) => alert.periodKey },
  { header: 'THRESHOLD', value: (alert) => `${Math.round(alert.threshold * 100)}%`, align: 'right', csv: (alert) => alert.threshold },
  { header: 'SPENT', value: (alert) => formatMoney(alert.spentUsd), align: 'right', csv: (alert) => alert.spentUsd },
  { header: 'LIMIT', value: (alert) => formatMoney(alert.limitUsd), align: 'right', csv: (alert) => alert.limitUsd },
];

export const auditCommands: readonly CommandSpec[] = [
  {
    path: ['audit'], usage: 'audit [--from ISO] [--to ISO] [--target kind:id] [--limit N] [--cursor C]',
    summary: 'Admin changes: who did what, when, before → after (default: the last 30 days).', csv: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, target: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
    async run(context) {
      const { values } = context;
      const query = {
        from: timeOption(values, 'from'), to: timeOption(values, 'to'), target: stringOption(values, 'target'),
        limit: numberOption(values, 'limit', { integer: true, min: 1 }), cursor: stringOption(values, 'cursor'),
      };
      const answer = (await context.client.json('GET', '/audit', { query })) as ListResponse<AuditEntryView>;
      printListing(context, answer, answer.data ?? [], AUDIT_COLUMNS);
      if (answer.nextCursor !== undefined && context.values.json !== true) context.io.err(`More entries: add --cursor ${answer.nextCursor}\n`);
    },
  },
  {
    path: ['alerts'], usage: 'alerts [--from ISO] [--to ISO] [--budget ID]', summary: 'Budget alerts: thresholds crossed, newest first.', csv: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, budget: { type: 'string' } },
    async run(context) {
      const { values } = context;
      const query = { from: timeOption(values, 'from'), to: timeOption(values, 'to'), budget: stringOption(values, 'budget') };
      const answer = await context.client.json('GET', '/budget-alerts', { query });
      printListing(context, answer, listData<BudgetAlert>(answer), ALERT_COLUMNS);
    },
  },
];
