import { auditCommands } from './audit';
import { budgetCommands } from './budgets';
import type { CommandSpec } from './command';
import { keyCommands } from './keys';
import { limitCommands } from './limits';
import { piiCommands } from './pii';
import { teamCommands } from './teams';
import { usageCommands } from './usage';
import { userCommands } from './users';

export const COMMANDS: readonly CommandSpec[] = [
  ...teamCommands, ...userCommands, ...keyCommands, ...budgetCommands, ...limitCommands, ...piiCommands, ...usageCommands, ...auditCommands,
];

export function findCommand(words: readonly string[]): CommandSpec | undefined {
  return COMMANDS.find((command) => command.path.length === words.length && command.path.every((word, index) => word === words[index]));
}

/** Commands under a first word (`keys` → keys list, keys create, ...). */
export function commandsUnder(group: string): CommandSpec[] {
  return COMMANDS.filter((command) => command.path[0] === group);
}
