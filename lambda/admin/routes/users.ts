import { randomUUID } from 'node:crypto';
import { parseJsonBody } from '../../api/request-body';
import type { Route, RouteHandler } from '../../api/route-table';
import { InvalidRequestError } from '../../errors/gateway-error';
import type { User } from '../../stores/store';
import { json, type AdminContext } from '../admin-context';
import { optionalString, requiredString } from '../admin-input';
import type { ListResponse, UserView } from '../api-types/entities';
import { createTeamLookup, type TeamLookup } from '../team-lookup';
import { createUserLookup } from '../user-lookup';

/** Loose on purpose: one `@`, something either side, no spaces. Deliverability is not the gateway's business. */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

async function userView(user: User, teams: TeamLookup): Promise<UserView> {
  const teamName = await teams.nameOf(user.teamId);
  return { ...user, ...(teamName === undefined ? {} : { teamName }) };
}

/** /admin/v1/users */
export function userRoutes(context: AdminContext): Route[] {
  const { stores } = context;

  const createUser: RouteHandler = async (request) => {
    const body = parseJsonBody(request.headers, request.body);
    const teamReference = requiredString(body, 'team');
    const email = optionalString(body, 'email', 254);
    const name = optionalString(body, 'name', 128);
    if (email === undefined && name === undefined) {
      throw new InvalidRequestError("A user needs an 'email' or a 'name'.", 'invalid_value', { param: 'email' });
    }
    if (email !== undefined && !EMAIL.test(email)) throw new InvalidRequestError("'email' is not an email address.", 'invalid_value', { param: 'email' });
    const teams = createTeamLookup(stores.teams);
    const team = await teams.resolve(teamReference, 'team');
    const user: User = {
      id: `usr_${randomUUID().replaceAll('-', '').slice(0, 16)}`, teamId: team.id, createdAt: new Date(context.now()).toISOString(),
      ...(email === undefined ? {} : { email }), ...(name === undefined ? {} : { name }),
    };
    await stores.users.createUser(user);
    const view = await userView(user, teams);
    await context.audit(request, { action: 'user.create', target: `user:${user.id}`, after: { ...view } });
    context.logger.info('admin: user created', { userId: user.id, teamId: team.id });
    return json(201, view);
  };

  const listUsers: RouteHandler = async (request) => {
    const teams = createTeamLookup(stores.teams);
    const team = request.query.get('team');
    const users = await stores.users.listUsers(team === null ? undefined : (await teams.resolve(team, 'team')).id);
    const response: ListResponse<UserView> = { object: 'list', data: await Promise.all(users.map((user) => userView(user, teams))) };
    return json(200, response);
  };

  const getUser: RouteHandler = async (_request, _requestId, [reference]) => {
    const user = await createUserLookup(stores.users).resolve(reference ?? '', 'user');
    return json(200, await userView(user, createTeamLookup(stores.teams)));
  };

  return [
    { pattern: /^\/admin\/v1\/users\/?$/, methods: { POST: createUser, GET: listUsers } },
    { pattern: /^\/admin\/v1\/users\/([^/]+)$/, methods: { GET: getUser } },
  ];
}
