import type { CreatedKey, CreateKeyRequest, KeyView, RotateKeyRequest } from '../../admin/api-types/entities';
import { listOption, parseDuration, parseTags, repeatedOption, stringOption, timeOption, UsageError } from '../args';
import { segment } from '../client';
import { formatValue, renderDetails, type Column } from '../table';
import { listData, printJson, printListing, type CommandContext, type CommandSpec } from './command';

const KEY_COLUMNS: readonly Column<KeyView>[] = [
  { header: 'ID', value: (key) => key.id },
  { header: 'NAME', value: (key) => key.name ?? '' },
  { header: 'TEAM', value: (key) => key.teamName ?? key.teamId },
  { header: 'OWNER', value: (key) => (key.owner === 'team' || key.user === undefined ? 'team' : (key.userEmail ?? key.user)) },
  { header: 'STATUS', value: (key) => key.status },
  { header: 'MODELS', value: (key) => (key.models === undefined ? '(team)' : formatValue(key.models)), maxWidth: 30 },
  { header: 'TAGS', value: (key) => formatValue(key.tags), maxWidth: 30 },
  { header: 'CREATED', value: (key) => key.createdAt },
  { header: 'EXPIRES', value: (key) => key.expiresAt ?? '' },
];

function keyDetails(key: KeyView): string {
  return renderDetails([
    ['id', key.id], ['prefix', key.prefix], ['name', key.name], ['status', key.status],
    ['team', key.teamName === undefined ? key.teamId : `${key.teamName} (${key.teamId})`],
    ['user', key.user === undefined ? undefined : (key.userEmail ?? key.user)],
    ['models', key.models === undefined ? undefined : formatValue(key.models)], ['tags', formatValue(key.tags)],
    ['created', key.createdAt], ['expires', key.expiresAt], ['revoked', key.revokedAt], ['rotated', key.rotatedAt],
    ['previous secret works until', key.previousSecretExpiresAt],
  ]);
}

function printKey(context: CommandContext, key: KeyView): void {
  if (context.values.json === true) printJson(context, key);
  else context.io.out(keyDetails(key));
}

/** The one moment a secret exists outside its owner's hands: printed once, said so plainly. */
function printSecret(context: CommandContext, key: CreatedKey, heading: string): void {
  if (context.values.json === true) return printJson(context, key);
  context.io.out(`${heading}\n${keyDetails(key)}\n`);
  context.io.out(`secret:  ${key.key}\n\n`);
  context.io.out('Store it now: this is the only time the secret is shown; the gateway keeps only its hash.\n');
}

export const keyCommands: readonly CommandSpec[] = [
  {
    path: ['keys', 'list'], usage: 'keys list [--team T] [--user U]', summary: 'List keys (never their secrets).', csv: true,
    options: { team: { type: 'string' }, user: { type: 'string' } },
    async run(context) {
      const query = { team: stringOption(context.values, 'team'), user: stringOption(context.values, 'user') };
      const answer = await context.client.json('GET', '/keys', { query });
      printListing(context, answer, listData<KeyView>(answer), KEY_COLUMNS);
    },
  },
  {
    path: ['keys', 'create'],
    usage: 'keys create (--team T | --user U) [--name N] [--tag k=v]... [--models a,b] [--expires ISO]',
    summary: 'Create a key owned by a team (services) or a user; prints its secret once.',
    options: {
      team: { type: 'string' }, user: { type: 'string' }, name: { type: 'string' }, tag: { type: 'string', multiple: true },
      models: { type: 'string' }, expires: { type: 'string' },
    },
    async run(context) {
      const { values } = context;
      const team = stringOption(values, 'team');
      const user = stringOption(values, 'user');
      if ((team === undefined) === (user === undefined)) throw new UsageError('Give exactly one of --team and --user.');
      const name = stringOption(values, 'name');
      const tags = parseTags(repeatedOption(values, 'tag'));
      const models = listOption(values, 'models');
      const expiresAt = timeOption(values, 'expires');
      const body: CreateKeyRequest = {
        ...(team === undefined ? {} : { team }), ...(user === undefined ? {} : { user }), ...(name === undefined ? {} : { name }),
        ...(tags === undefined ? {} : { tags }), ...(models === undefined ? {} : { models }),
        ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt).toISOString() }),
      };
      printSecret(context, (await context.client.json('POST', '/keys', { body })) as CreatedKey, 'Key created.');
    },
  },
  {
    path: ['keys', 'show'], usage: 'keys show <id>', summary: 'Show a key (never its secret).', positionals: [1, 1],
    async run(context) {
      printKey(context, (await context.client.json('GET', `/keys/${segment(context.positionals[0] ?? '')}`)) as KeyView);
    },
  },
  {
    path: ['keys', 'revoke'], usage: 'keys revoke <id>', summary: 'Revoke a key: it stops working at once.', positionals: [1, 1],
    async run(context) {
      const key = (await context.client.json('DELETE', `/keys/${segment(context.positionals[0] ?? '')}`)) as KeyView;
      if (context.values.json === true) return printJson(context, key);
      context.io.out(`Key ${key.id} revoked${key.revokedAt === undefined ? '' : ` at ${key.revokedAt}`}.\n`);
    },
  },
  {
    path: ['keys', 'rotate'], usage: 'keys rotate <id> [--grace 1h|30m|3600]',
    summary: 'Give a key a new secret; the old one keeps working for the grace period (default: the API default, 1h).',
    options: { grace: { type: 'string' } }, positionals: [1, 1],
    async run(context) {
      const grace = stringOption(context.values, 'grace');
      const body: RotateKeyRequest = grace === undefined ? {} : { gracePeriodSeconds: parseDuration(grace) };
      const key = (await context.client.json('POST', `/keys/${segment(context.positionals[0] ?? '')}/rotate`, { body })) as CreatedKey;
      printSecret(context, key, 'Key rotated.');
    },
  },
];
