import { numberOption, UsageError } from '../args';
import { segment } from '../client';
import type { PutRateLimitsRequest, RateLimitsView } from '../../admin/api-types/governance';
import { formatCount, renderDetails, type Column } from '../table';
import { listData, printJson, printListing, type CommandSpec } from './command';
import { scopeOf } from './budgets';

const LIMIT_COLUMNS: readonly Column<RateLimitsView>[] = [
  { header: 'SCOPE', value: (limits) => limits.scope },
  { header: 'ID', value: (limits) => limits.scopeId },
  { header: 'RPM', value: (limits) => formatCount(limits.requestsPerMinute), align: 'right' },
  { header: 'TPM', value: (limits) => formatCount(limits.tokensPerMinute), align: 'right' },
  { header: 'CONCURRENCY', value: (limits) => formatCount(limits.concurrentRequests), align: 'right' },
  { header: 'UPDATED', value: (limits) => limits.updatedAt },
];

export const limitCommands: readonly CommandSpec[] = [
  {
    path: ['limits', 'list'], usage: 'limits list', summary: 'List rate limits.', csv: true,
    async run(context) {
      const answer = await context.client.json('GET', '/limits');
      printListing(context, answer, listData<RateLimitsView>(answer), LIMIT_COLUMNS);
    },
  },
  {
    path: ['limits', 'set'], usage: 'limits set <team|user|key> <id> [--rpm N] [--tpm N] [--concurrency N] [--shards N]',
    summary: "Replace a scope's rate limits (an option left out is unlimited).",
    options: { rpm: { type: 'string' }, tpm: { type: 'string' }, concurrency: { type: 'string' }, shards: { type: 'string' } }, positionals: [2, 2],
    async run(context) {
      const [scopeText, id = ''] = context.positionals;
      const scope = scopeOf(scopeText);
      const integer = { integer: true, min: 1 };
      const rpm = numberOption(context.values, 'rpm', integer);
      const tpm = numberOption(context.values, 'tpm', integer);
      const concurrency = numberOption(context.values, 'concurrency', integer);
      const shards = numberOption(context.values, 'shards', integer);
      if (rpm === undefined && tpm === undefined && concurrency === undefined) throw new UsageError('Give at least one of --rpm, --tpm, --concurrency (limits delete removes them all).');
      const body: PutRateLimitsRequest = {
        ...(rpm === undefined ? {} : { requestsPerMinute: rpm }), ...(tpm === undefined ? {} : { tokensPerMinute: tpm }),
        ...(concurrency === undefined ? {} : { concurrentRequests: concurrency }),
        ...(shards === undefined ? {} : { shards }),
      };
      const limits = (await context.client.json('PUT', `/limits/${scope}/${segment(id)}`, { body })) as RateLimitsView;
      if (context.values.json === true) return printJson(context, limits);
      context.io.out(renderDetails([
        ['scope', `${limits.scope}:${limits.scopeId}`], ['requests/min', formatCount(limits.requestsPerMinute)],
        ['tokens/min', formatCount(limits.tokensPerMinute)], ['concurrent', formatCount(limits.concurrentRequests)], ['updated', limits.updatedAt],
      ]));
    },
  },
  {
    path: ['limits', 'delete'], usage: 'limits delete <team|user|key> <id>', summary: "Remove a scope's rate limits.", positionals: [2, 2],
    async run(context) {
      const [scopeText, id = ''] = context.positionals;
      const scope = scopeOf(scopeText);
      const answer = await context.client.json('DELETE', `/limits/${scope}/${segment(id)}`);
      if (context.values.json === true) printJson(context, answer);
      else context.io.out(`Rate limits of ${scope}:${id} removed.\n`);
    },
  },
];
