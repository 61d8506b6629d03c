import { NotFoundError } from '../errors/gateway-error';
import type { Team, TeamStore } from '../stores/store';

/**
 * The admin API's view of teams for one request: a team given by id or by name, and the names to
 * show next to the ids that keys and usage records store. Memoised per request, so a usage report
 * of thousands of rows costs one team lookup per distinct team, and a rename never leaves two
 * answers within one response.
 */
export interface TeamLookup {
  /**
   * The team `reference` names: an exact id first, else a name, compared case-insensitively (the
   * store keeps names unique regardless of case). Throws 404 `team_not_found` naming `param`.
   */
  resolve(reference: string, param: string): Promise<Team>;
  /** The name of the team with this id, or undefined when no such team exists (e.g. deleted). */
  nameOf(teamId: string): Promise<string | undefined>;
}

export function createTeamLookup(teams: TeamStore): TeamLookup {
  const byId = new Map<string, Promise<Team | undefined>>();
  const getTeam = (id: string): Promise<Team | undefined> => {
    let found = byId.get(id);
    if (found === undefined) {
      found = teams.getTeam(id);
      byId.set(id, found);
    }
    return found;
  };

  return {
    async resolve(reference, param) {
      const trimmed = reference.trim();
      const team = (await getTeam(trimmed)) ?? (trimmed === '' ? undefined : await teams.getTeamByName(trimmed));
      if (team === undefined) {
        // The reference is echoed capped: it came from the caller.
        throw new NotFoundError(`No team with id or name '${trimmed.slice(0, 128)}'.`, 'team_not_found', { param });
      }
      return team;
    },
    async nameOf(teamId) {
      return (await getTeam(teamId))?.name;
    },
  };
}
