import { parseCommandArguments, splitCommandWords, UsageError } from './args';
import { ApiError, createAdminClient } from './client';
import type { CommandSpec } from './commands/command';
import { commandsUnder, findCommand } from './commands/registry';
import { commandHelp, groupHelp, mainHelp } from './help';
import type { CliIo } from './io';
import { resolveTarget } from './target';

export const EXIT_OK = 0;
export const EXIT_API_ERROR = 1;
export const EXIT_USAGE = 2;

function selectCommand(argv: readonly string[]): { command: CommandSpec; rest: string[] } | { help: string } {
  const { words, wordIndexes } = splitCommandWords(argv, 2);
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const [group] = words;
  if (group === undefined) {
    if (wantsHelp) return { help: mainHelp() };
    throw new UsageError('No command given. Try gatellm --help.');
  }
  for (const length of [2, 1]) {
    const command = findCommand(words.slice(0, length));
    if (command !== undefined) {
      const taken = new Set(wordIndexes.slice(0, length));
      return { command, rest: argv.filter((_token, index) => !taken.has(index)) };
    }
  }
  const groupCommands = commandsUnder(group);
  if (groupCommands.length === 0) throw new UsageError(`Unknown command '${group}'. Try gatellm --help.`);
  if (wantsHelp) return { help: groupHelp(groupCommands) };
  const actions = groupCommands.map((command) => command.path[1]).join(', ');
  throw new UsageError(words[1] === undefined ? `'${group}' needs one of: ${actions}.` : `Unknown command '${group} ${words[1]}'; '${group}' takes: ${actions}.`);
}

/** Runs one command line; returns the exit code. Never throws: every failure is printed. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: CommandSpec | undefined;
  try {
    const selected = selectCommand(argv);
    if ('help' in selected) {
      io.out(selected.help);
      return EXIT_OK;
    }
    command = selected.command;
    const { values, positionals } = parseCommandArguments(selected.rest, command.options ?? {});
    if (values.help === true) {
      io.out(commandHelp(command));
      return EXIT_OK;
    }
    const [least, most] = command.positionals ?? [0, 0];
    if (positionals.length < least) throw new UsageError('Missing argument.');
    if (positionals.length > most) throw new UsageError(`Unexpected argument '${positionals[most] ?? ''}'.`);
    if (values.csv === true && command.csv !== true) throw new UsageError('--csv is for listings; this command has none.');
    if (values.csv === true && values.json === true) throw new UsageError('Choose one of --json and --csv.');
    const target = await resolveTarget(values, io.env, io.cwd);
    const client = createAdminClient(target);
    await command.run({ values, positionals, client, io });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`gatellm: ${error.message}\n${command === undefined ? '' : `usage: gatellm ${command.usage}\n`}`);
      return EXIT_USAGE;
    }
    if (error instanceof ApiError) {
      io.err(`error: ${error.message} (${error.code}${error.status > 0 ? `, HTTP ${error.status}` : ''})\n`);
      return EXIT_API_ERROR;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_API_ERROR;
  }
}
