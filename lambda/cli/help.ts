import type { CommandSpec } from './commands/command';
import { COMMANDS } from './commands/registry';

const GLOBAL_HELP = [
  'Global options:',
  '  --json               print the API answer as JSON',
  '  --csv                print a listing as CSV',
  '  --url URL            the gateway (default: GATELLM_URL, else the local gateway found in the data directory)',
  '  --token TOKEN        admin token for a local gateway (default: GATELLM_ADMIN_TOKEN, else <data-dir>/admin-token)',
  '  --data-dir DIR       the local data directory (default: GATELLM_DATA_DIR, else ./.gatellm)',
  '  --auth token|sigv4   how to authenticate (default: sigv4 for an https URL, else the token)',
  '  --region REGION      AWS region for SigV4 (default: AWS_REGION, else from the execute-api host name)',
  '  --profile NAME       AWS profile for SigV4 credentials (default: the standard credential chain)',
  '  -h, --help           help for a command',
  '',
  'Exit codes: 0 ok, 1 the gateway refused or failed (message and code printed), 2 a usage error.',
];

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.usage.length > 60 ? 0 : command.usage.length));
  const lines = COMMANDS.map((command) => `  ${command.usage.length > 60 ? `${command.usage}\n${' '.repeat(width + 4)}` : command.usage.padEnd(width + 2)}${command.summary}`);
  return ['gatellm: administer a GateLLM gateway (teams, users, keys, budgets, limits, data protection, usage, audit).', '', 'Commands:', ...lines, '', ...GLOBAL_HELP, ''].join('\n');
}

export function groupHelp(commands: readonly CommandSpec[]): string {
  return [...commands.map((command) => `gatellm ${command.usage}\n    ${command.summary}`), '', ...GLOBAL_HELP, ''].join('\n');
}

export function commandHelp(command: CommandSpec): string {
  return [`usage: gatellm ${command.usage}`, '', command.summary, ...(command.details ?? []).map((line) => `  ${line}`), '', ...GLOBAL_HELP, ''].join('\n');
}
