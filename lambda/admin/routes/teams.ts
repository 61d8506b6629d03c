import { randomUUID } from 'node:crypto';
import { parseJsonBody } from '../../api/request-body';
import type { Route, RouteHandler } from '../../api/route-table';
import { InvalidRequestError, NotFoundError } from '../../errors/gateway-error';
import type { Team } from '../../stores/store';
import { json, type AdminContext } from '../admin-context';
import { optionalStringList, requiredString } from '../admin-input';
import type { ListResponse, TeamView } from '../api-types/entities';
import { createTeamLookup } from '../team-lookup';

/** A team as shown and audited: the stored team (it holds no secret). */
function teamView(team: Team): TeamView {
  return { ...team };
}

/** An empty list would read as "no model" to a person but means "every model" to the gateway: store it as absent. */
function modelList(body: Readonly<Record<string, unknown>>): string[] | undefined {
  const models = optionalStringList(body, 'models');
  return models === undefined || models.length === 0 ? undefined : models;
}

/** /admin/v1/teams */
export function teamRoutes(context: AdminContext): Route[] {
  const { stores } = context;

  const createTeam: RouteHandler = async (request) => {
    const body = parseJsonBody(request.headers, request.body);
    const name = requiredString(body, 'name', 128);
    const models = modelList(body);
    const team: Team = {
      id: `team_${randomUUID().replaceAll('-', '').slice(0, 16)}`, name, createdAt: new Date(context.now()).toISOString(),
      ...(models === undefined ? {} : { models }),
    };
    await stores.teams.createTeam(team);
    await context.audit(request, { action: 'team.create', target: `team:${team.id}`, after: { ...teamView(team) } });
    context.logger.info('admin: team created', { teamId: team.id, name: team.name });
    return json(201, teamView(team));
  };

  const listTeams: RouteHandler = async () => {
    const response: ListResponse<TeamView> = { object: 'list', data: (await stores.teams.listTeams()).map(teamView) };
    return json(200, response);
  };

  const getTeam: RouteHandler = async (_request, _requestId, [reference]) =>
    json(200, teamView(await createTeamLookup(stores.teams).resolve(reference ?? '', 'team')));

  const updateTeam: RouteHandler = async (request, _requestId, [reference]) => {
    const body = parseJsonBody(request.headers, request.body);
    if (!('models' in body)) {
      throw new InvalidRequestError("'models' is required: a list of model patterns, or null for every model.", 'invalid_value', { param: 'models' });
    }
    const models = modelList(body);
    const before = await createTeamLookup(stores.teams).resolve(reference ?? '', 'team');
    const after = await stores.teams.setTeamModels(before.id, models);
    if (after === undefined) throw new NotFoundError(`No team '${before.id}'.`, 'team_not_found', { param: 'team' });
    // This process's gateway applies the new list at once; other instances within the key cache TTL.
    context.authenticator?.invalidateTeam(after.id);
    await context.audit(request, { action: 'team.update', target: `team:${after.id}`, before: { ...teamView(before) }, after: { ...teamView(after) } });
    context.logger.info('admin: team models set', { teamId: after.id, models: after.models?.join(',') ?? '*' });
    return json(200, teamView(after));
  };

  return [
    { pattern: /^\/admin\/v1\/teams\/?$/, methods: { POST: createTeam, GET: listTeams } },
    { pattern: /^\/admin\/v1\/teams\/([^/]+)$/, methods: { GET: getTeam, PATCH: updateTeam } },
  ];
}
