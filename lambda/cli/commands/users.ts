import type { CreateUserRequest, UserView } from '../../admin/api-types/entities';
import { requiredOption, stringOption } from '../args';
import { segment } from '../client';
import { renderDetails, type Column } from '../table';
import { listData, printJson, printListing, type CommandContext, type CommandSpec } from './command';

const USER_COLUMNS: readonly Column<UserView>[] = [
  { header: 'ID', value: (user) => user.id },
  { header: 'EMAIL', value: (user) => user.email ?? '' },
  { header: 'NAME', value: (user) => user.name ?? '' },
  { header: 'TEAM', value: (user) => user.teamName ?? user.teamId },
  { header: 'CREATED', value: (user) => user.createdAt },
];

function printUser(context: CommandContext, user: UserView): void {
  if (context.values.json === true) return printJson(context, user);
  context.io.out(renderDetails([
    ['id', user.id], ['email', user.email], ['name', user.name], ['team', user.teamName === undefined ? user.teamId : `${user.teamName} (${user.teamId})`],
    ['created', user.createdAt],
  ]));
}

export const userCommands: readonly CommandSpec[] = [
  {
    path: ['users', 'list'], usage: 'users list [--team T]', summary: 'List users, of one team with --team.', csv: true,
    options: { team: { type: 'string' } },
    async run(context) {
      const answer = await context.client.json('GET', '/users', { query: { team: stringOption(context.values, 'team') } });
      printListing(context, answer, listData<UserView>(answer), USER_COLUMNS);
    },
  },
  {
    path: ['users', 'create'], usage: 'users create --team T [--email E] [--name N]', summary: 'Create a user in a team.',
    options: { team: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' } },
    async run(context) {
      const email = stringOption(context.values, 'email');
      const name = stringOption(context.values, 'name');
      const body: CreateUserRequest = {
        team: requiredOption(context.values, 'team'), ...(email === undefined ? {} : { email }), ...(name === undefined ? {} : { name }),
      };
      printUser(context, (await context.client.json('POST', '/users', { body })) as UserView);
    },
  },
  {
    path: ['users', 'show'], usage: 'users show <idOrEmail>', summary: 'Show a user.', positionals: [1, 1],
    async run(context) {
      printUser(context, (await context.client.json('GET', `/users/${segment(context.positionals[0] ?? '')}`)) as UserView);
    },
  },
];
