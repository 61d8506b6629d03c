import type { CreateTeamRequest, TeamView, UpdateTeamRequest } from '../../admin/api-types/entities';
import { listOption, splitList, UsageError } from '../args';
import { segment } from '../client';
import { formatValue, renderDetails, type Column } from '../table';
import { listData, printJson, printListing, type CommandContext, type CommandSpec } from './command';

const TEAM_COLUMNS: readonly Column<TeamView>[] = [
  { header: 'ID', value: (team) => team.id },
  { header: 'NAME', value: (team) => team.name },
  { header: 'MODELS', value: (team) => (team.models === undefined ? '(all)' : formatValue(team.models)) },
  { header: 'CREATED', value: (team) => team.createdAt },
];

function printTeam(context: CommandContext, team: TeamView): void {
  if (context.values.json === true) return printJson(context, team);
  context.io.out(renderDetails([
    ['id', team.id], ['name', team.name], ['models', team.models === undefined ? '(all)' : formatValue(team.models)], ['created', team.createdAt],
  ]));
}

export const teamCommands: readonly CommandSpec[] = [
  {
    path: ['teams', 'list'], usage: 'teams list', summary: 'List teams.', csv: true,
    async run(context) {
      const answer = await context.client.json('GET', '/teams');
      printListing(context, answer, listData<TeamView>(answer), TEAM_COLUMNS);
    },
  },
  {
    path: ['teams', 'create'], usage: 'teams create <name> [--models a,b]', summary: 'Create a team.',
    details: ['--models  glob patterns of models its keys may use (default: all)'],
    options: { models: { type: 'string' } }, positionals: [1, 1],
    async run(context) {
      const models = listOption(context.values, 'models');
      const body: CreateTeamRequest = { name: context.positionals[0] ?? '', ...(models === undefined ? {} : { models }) };
      printTeam(context, (await context.client.json('POST', '/teams', { body })) as TeamView);
    },
  },
  {
    path: ['teams', 'show'], usage: 'teams show <team>', summary: 'Show a team (by id or name).', positionals: [1, 1],
    async run(context) {
      printTeam(context, (await context.client.json('GET', `/teams/${segment(context.positionals[0] ?? '')}`)) as TeamView);
    },
  },
  {
    path: ['teams', 'set-models'], usage: 'teams set-models <team> (<patterns> | --clear)',
    summary: "Set the models a team's keys may use (comma-separated globs), or --clear to allow all.",
    options: { clear: { type: 'boolean' } }, positionals: [1, 2],
    async run(context) {
      const [team = '', patterns] = context.positionals;
      const clear = context.values.clear === true;
      if (clear === (patterns !== undefined)) throw new UsageError('Give either model patterns or --clear.');
      const body: UpdateTeamRequest = { models: patterns === undefined ? null : splitList(patterns) };
      printTeam(context, (await context.client.json('PATCH', `/teams/${segment(team)}`, { body })) as TeamView);
    },
  },
];
