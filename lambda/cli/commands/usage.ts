import path from 'node:path';
import { NEXT_CURSOR_HEADER, USAGE_GROUP_FIELDS, type UsageAggregatesResponse, type UsageRecordsResponse, type UsageGroupField, type UsageRecordView, type UsageRowView } from '../../admin/api-types/usage';
import { listOption, numberOption, requiredOption, stringOption, timeOption, UsageError, type OptionSpecs, type OptionValues } from '../args';
import type { QueryValues } from '../client';
import { exportUsage } from '../export';
import { formatCount, formatMoney, type Column } from '../table';
import { printListing, type CommandContext, type CommandSpec } from './command';

const FILTER_OPTIONS = {
  from: { type: 'string' }, to: { type: 'string' }, team: { type: 'string' }, user: { type: 'string' },
  key: { type: 'string' }, model: { type: 'string' }, provider: { type: 'string' },
} as const satisfies OptionSpecs;
const FILTER_USAGE = '[--from ISO] [--to ISO] [--team T] [--user U] [--key K] [--model M] [--provider P]';

function filters(values: OptionValues): QueryValues {
  return {
    from: timeOption(values, 'from'), to: timeOption(values, 'to'), team: stringOption(values, 'team'), user: stringOption(values, 'user'),
    key: stringOption(values, 'key'), model: stringOption(values, 'model'), provider: stringOption(values, 'provider'),
  };
}

/** Usage as the API writes CSV: every column, raw numbers, the same file `usage export` makes. */
async function printServerCsv(context: CommandContext, path: string, query: QueryValues): Promise<void> {
  const response = await context.client.send('GET', path, { query: { ...query, format: 'csv' }, accept: 'text/csv' });
  context.io.out(response.text);
  const next = response.headers.get(NEXT_CURSOR_HEADER);
  if (next !== null && next !== '') context.io.err(`More records: add --cursor ${next}\n`);
}

const GROUP_COLUMNS: Readonly<Record<UsageGroupField, Column<UsageRowView>>> = {
  team: { header: 'TEAM', value: (row) => row.teamName ?? row.team ?? '' },
  user: { header: 'USER', value: (row) => row.user ?? '' },
  key: { header: 'KEY', value: (row) => row.key ?? '' },
  model: { header: 'MODEL', value: (row) => row.model ?? '' },
  day: { header: 'DAY', value: (row) => row.day ?? '' },
  provider: { header: 'PROVIDER', value: (row) => row.provider ?? '' },
};

const METRIC_COLUMNS: readonly Column<UsageRowView>[] = [
  { header: 'REQUESTS', value: (row) => formatCount(row.requests), align: 'right' },
  { header: 'INPUT', value: (row) => formatCount(row.inputTokens), align: 'right' },
  { header: 'OUTPUT', value: (row) => formatCount(row.outputTokens), align: 'right' },
  { header: 'CACHED', value: (row) => formatCount(row.cachedTokens), align: 'right' },
  { header: 'COST', value: (row) => formatMoney(row.costUsd), align: 'right' },
];

const RECORD_COLUMNS: readonly Column<UsageRecordView>[] = [
  { header: 'TIME', value: (record) => record.time },
  { header: 'REQUEST', value: (record) => record.requestId },
  { header: 'TEAM', value: (record) => record.teamName ?? record.teamId },
  { header: 'USER', value: (record) => record.user ?? '' },
  { header: 'KEY', value: (record) => record.keyId },
  { header: 'MODEL', value: (record) => record.requestedModel },
  { header: 'PROVIDER', value: (record) => record.provider ?? '' },
  { header: 'STATUS', value: (record) => String(record.httpStatus) },
  { header: 'INPUT', value: (record) => formatCount(record.inputTokens), align: 'right' },
  { header: 'OUTPUT', value: (record) => formatCount(record.outputTokens), align: 'right' },
  { header: 'COST', value: (record) => formatMoney(record.costUsd), align: 'right' },
  { header: 'MS', value: (record) => formatCount(record.latencyMs), align: 'right' },
];

export const usageCommands: readonly CommandSpec[] = [
  {
    path: ['usage'], usage: `usage [--group-by team,model] ${FILTER_USAGE}`,
    summary: 'Usage and cost summed by team, user, key, model, provider or day (default: this UTC month, by team and model).', csv: true,
    details: ['--group-by  any of team,user,key,model,day,provider'],
    options: { ...FILTER_OPTIONS, 'group-by': { type: 'string' } },
    async run(context) {
      const groupBy = listOption(context.values, 'group-by');
      const unknown = groupBy?.find((field) => !USAGE_GROUP_FIELDS.some((known) => known === field));
      if (unknown !== undefined) throw new UsageError(`--group-by takes ${USAGE_GROUP_FIELDS.join(', ')}; not '${unknown}'.`);
      const query = { ...filters(context.values), groupBy: groupBy?.join(',') };
      if (context.values.csv === true) return printServerCsv(context, '/usage', query);
      const answer = (await context.client.json('GET', '/usage', { query })) as UsageAggregatesResponse;
      // Columns follow the grouping the API applied (its default when none was asked for).
      const columns = [...(answer.groupBy ?? []).flatMap((field) => GROUP_COLUMNS[field] ?? []), ...METRIC_COLUMNS];
      printListing(context, answer, answer.data ?? [], columns);
    },
  },
  {
    path: ['usage', 'records'], usage: `usage records ${FILTER_USAGE} [--limit N] [--cursor C]`,
    summary: 'Request records, newest first (one page; `usage export` writes them all).', csv: true,
    options: { ...FILTER_OPTIONS, limit: { type: 'string' }, cursor: { type: 'string' } },
    async run(context) {
      const query = { ...filters(context.values), limit: numberOption(context.values, 'limit', { integer: true, min: 1 }), cursor: stringOption(context.values, 'cursor') };
      if (context.values.csv === true) return printServerCsv(context, '/usage/records', query);
      const answer = (await context.client.json('GET', '/usage/records', { query })) as UsageRecordsResponse;
      printListing(context, answer, answer.data ?? [], RECORD_COLUMNS);
      if (answer.nextCursor !== undefined && context.values.json !== true) context.io.err(`More records: add --cursor ${answer.nextCursor}\n`);
    },
  },
  {
    path: ['usage', 'export'], usage: `usage export --out file.csv ${FILTER_USAGE}`,
    summary: 'Write every matching request record to a CSV file, page by page.',
    options: { ...FILTER_OPTIONS, out: { type: 'string' } },
    async run(context) {
      await exportUsage(context.client, filters(context.values), path.resolve(context.io.cwd, requiredOption(context.values, 'out')), context.io);
    },
  },
];
