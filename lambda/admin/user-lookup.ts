import { NotFoundError } from '../errors/gateway-error';
import type { User, UserStore } from '../stores/store';

/**
 * The admin API's view of users for one request: a user given by id or by email, and the email to
 * show next to the user ids that keys store. Memoised per request like TeamLookup, so a listing of
 * many keys costs one lookup per distinct owner.
 */
export interface UserLookup {
  /** The user `reference` names: an exact id first, else an email (case-insensitive). Throws 404 `user_not_found` naming `param`. */
  resolve(reference: string, param: string): Promise<User>;
  /** The user with this id, or undefined when none exists. */
  byId(userId: string): Promise<User | undefined>;
}

export function createUserLookup(users: UserStore): UserLookup {
  const byId = new Map<string, Promise<User | undefined>>();
  const getUser = (id: string): Promise<User | undefined> => {
    let found = byId.get(id);
    if (found === undefined) {
      found = users.getUser(id);
      byId.set(id, found);
    }
    return found;
  };

  return {
    async resolve(reference, param) {
      const trimmed = reference.trim();
      const user = trimmed === '' ? undefined : (await getUser(trimmed)) ?? (trimmed.includes('@') ? await users.getUserByEmail(trimmed) : undefined);
      if (user === undefined) {
        // The reference is echoed capped: it came from the caller.
        throw new NotFoundError(`No user with id or email '${trimmed.slice(0, 128)}'.`, 'user_not_found', { param });
      }
      return user;
    },
    byId: getUser,
  };
}
