import { stringOption, UsageError, type OptionValues } from '../args';
import { segment } from '../client';
import { PII_ACTIONS, type LimitScope, type PiiPolicyList, type PiiPolicyView, type PiiRule, type PutPiiPolicyRequest } from '../../admin/api-types/governance';
import { colourAllowed } from '../io';
import { renderDetails, renderTable, type Column } from '../table';
import { printJson, type CommandContext, type CommandSpec } from './command';

const RESTORE_SUFFIX = '+restore';
const FALLBACK_TYPE = '*';

/** `redact+restore`, `block`, ...: a rule as `pii set` takes it and `pii list` shows it. */
export function formatRule(rule: PiiRule): string {
  return `${rule.action}${rule.restore === true ? RESTORE_SUFFIX : ''}`;
}

/** Rules as `type=action` words, `*` last, the rest by name. */
export function formatRules(rules: Readonly<Record<string, PiiRule>>): string {
  return Object.entries(rules)
    .sort(([a], [b]) => (a === FALLBACK_TYPE ? 1 : b === FALLBACK_TYPE ? -1 : a.localeCompare(b)))
    .map(([type, rule]) => `${type}=${formatRule(rule)}`).join(' ');
}

/**
 * `email=redact+restore api_key=block '*=log'` → rules. Actions and `+restore` are checked here, so a
 * typo costs no round trip; type names are the gateway's to check (it knows the custom patterns).
 */
export function parseRuleWords(words: readonly string[]): Record<string, PiiRule> {
  const rules: Record<string, PiiRule> = {};
  for (const word of words) {
    const at = word.indexOf('=');
    const type = word.slice(0, at).trim();
    if (at <= 0 || type === '') throw new UsageError(`Rules take type=action, got '${word}' (e.g. email=redact+restore api_key=block '*=log').`);
    if (Object.hasOwn(rules, type)) throw new UsageError(`The type '${type}' is given twice.`);
    const text = word.slice(at + 1).trim();
    const restore = text.endsWith(RESTORE_SUFFIX);
    const actionText = restore ? text.slice(0, -RESTORE_SUFFIX.length) : text;
    const action = PII_ACTIONS.find((candidate) => candidate === actionText);
    if (action === undefined) throw new UsageError(`The action of '${type}' must be one of ${PII_ACTIONS.join(', ')} (redact may add ${RESTORE_SUFFIX}), got '${text}'.`);
    if (restore && action !== 'redact') throw new UsageError(`'${RESTORE_SUFFIX}' only goes with redact, got '${word}'.`);
    rules[type] = restore ? { action, restore } : { action };
  }
  return rules;
}

const SCOPE_OPTIONS = { team: { type: 'string' }, user: { type: 'string' }, key: { type: 'string' } } as const;
const SCOPES: readonly LimitScope[] = ['team', 'user', 'key'];

/** Exactly one of --team, --user, --key: the scope and the reference the gateway resolves (a name or an email too). */
function scopeOption(values: OptionValues): { scope: LimitScope; reference: string } {
  const given = SCOPES.flatMap((scope) => {
    const reference = stringOption(values, scope);
    return reference === undefined ? [] : [{ scope, reference }];
  });
  const [only] = given;
  if (only === undefined || given.length > 1) throw new UsageError('Give exactly one of --team <id|name>, --user <id|email>, --key <id>.');
  return only;
}

interface DefaultRow { readonly type: string; readonly rule: string }

const DEFAULT_COLUMNS: readonly Column<DefaultRow>[] = [
  { header: 'TYPE', value: (row) => row.type },
  { header: 'DEFAULT', value: (row) => row.rule },
];

const POLICY_COLUMNS: readonly Column<PiiPolicyView>[] = [
  { header: 'SCOPE', value: (policy) => policy.scope },
  { header: 'ID', value: (policy) => policy.scopeId },
  { header: 'RULES', value: (policy) => formatRules(policy.rules), maxWidth: 100 },
  { header: 'UPDATED', value: (policy) => policy.updatedAt },
];

/** Every type with the rule that applies where nothing overrides it (a type without its own rule follows `*`). */
function defaultRows(list: PiiPolicyList): DefaultRow[] {
  const fallback = list.defaults[FALLBACK_TYPE];
  return list.types.map((type) => {
    const own = list.defaults[type];
    if (own !== undefined) return { type, rule: formatRule(own) };
    return { type, rule: fallback === undefined ? 'off' : `${formatRule(fallback)} (from *)` };
  });
}

function printPolicy(context: CommandContext, policy: PiiPolicyView): void {
  if (context.values.json === true) return printJson(context, policy);
  context.io.out(renderDetails([['scope', `${policy.scope}:${policy.scopeId}`], ['rules', formatRules(policy.rules)], ['updated', policy.updatedAt]]));
}

const SCOPE_USAGE = '--team <id|name> | --user <id|email> | --key <id>';

export const piiCommands: readonly CommandSpec[] = [
  {
    path: ['pii', 'list'], usage: 'pii list', summary: 'Show the data-protection defaults and every team, user and key override.',
    async run(context) {
      const answer = (await context.client.json('GET', '/pii')) as PiiPolicyList;
      if (context.values.json === true) return printJson(context, answer);
      const colour = colourAllowed(context.io);
      context.io.out([
        'Defaults (built-in, with the configuration over them):', renderTable(defaultRows(answer), DEFAULT_COLUMNS, { colour }),
        'Overrides (per type, the key\'s rule wins, then the user\'s, then the team\'s):', renderTable(answer.policies, POLICY_COLUMNS, { colour }),
      ].join('\n'));
    },
  },
  {
    path: ['pii', 'show'], usage: `pii show ${SCOPE_USAGE}`, summary: "Show a team's, user's or key's data-protection rules.",
    options: SCOPE_OPTIONS,
    async run(context) {
      const { scope, reference } = scopeOption(context.values);
      printPolicy(context, (await context.client.json('GET', `/pii/${scope}/${segment(reference)}`)) as PiiPolicyView);
    },
  },
  {
    path: ['pii', 'set'], usage: `pii set ${SCOPE_USAGE} <type=action[+restore]>...`,
    summary: "Replace a team's, user's or key's data-protection rules (a type left out follows the wider scope or the defaults).",
    details: [
      'actions   off, log (count findings), redact (typed placeholders), block (refuse the request);',
      '          redact+restore puts the originals back into the answer the caller sees',
      'types     as `pii list` shows them (custom patterns included); * is every type without a rule of its own',
      "example   gatellm pii set --team platform email=redact+restore api_key=block '*=log'",
    ],
    options: SCOPE_OPTIONS, positionals: [1, 64],
    async run(context) {
      const { scope, reference } = scopeOption(context.values);
      const body: PutPiiPolicyRequest = { rules: parseRuleWords(context.positionals) };
      printPolicy(context, (await context.client.json('PUT', `/pii/${scope}/${segment(reference)}`, { body })) as PiiPolicyView);
    },
  },
  {
    path: ['pii', 'clear'], usage: `pii clear ${SCOPE_USAGE}`, summary: "Remove a team's, user's or key's data-protection rules (the defaults apply again).",
    options: SCOPE_OPTIONS,
    async run(context) {
      const { scope, reference } = scopeOption(context.values);
      const answer = await context.client.json('DELETE', `/pii/${scope}/${segment(reference)}`);
      if (context.values.json === true) printJson(context, answer);
      else context.io.out(`Data-protection rules of ${scope}:${reference} removed.\n`);
    },
  },
];
