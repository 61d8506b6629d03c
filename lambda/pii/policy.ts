import type { GatewayConfig } from '../config/gateway-config';
import { FALLBACK_PII_TYPE as FALLBACK_TYPE, piiTypeNames } from '../config/validate-pii-config';
import type { ScopedPolicy } from '../governance/policy-cache';
import type { PiiRule } from '../stores/store';

const OFF: PiiRule = { action: 'off' };
const LOG: PiiRule = { action: 'log' };
const REDACT_AND_RESTORE: PiiRule = { action: 'redact', restore: true };
const BLOCK: PiiRule = { action: 'block' };

/**
 * The built-in defaults, chosen so that turning the gateway on breaks no one's work and leaks nothing
 * that is never needed upstream:
 *  - credentials with a defined format are blocked: a key in a prompt is almost always an accident,
 *    and a provider (or its logs) holding it makes it an incident. The error names the type so the
 *    sender can remove it;
 *  - a secret recognised only by its name and entropy is redacted, not blocked: the heuristic can be
 *    wrong, and the model rarely needs the value; restored, so code the model writes back still works;
 *  - card numbers, IBANs and SSNs are redacted and restored: the model never needs the digits to help,
 *    and the caller sees its own data back;
 *  - emails, phone numbers, IP addresses and (when managed detection is on) names and addresses are
 *    only counted: they are the everyday material of support tickets, logs and code, where redacting
 *    would change answers; a team that must keep them in raises its rule to `redact`.
 */
export const DEFAULT_PII_RULES: Readonly<Record<string, PiiRule>> = {
  [FALLBACK_TYPE]: LOG,
  email: LOG,
  phone: LOG,
  ip_address: LOG,
  person_name: LOG,
  postal_address: LOG,
  payment_card: REDACT_AND_RESTORE,
  iban: REDACT_AND_RESTORE,
  us_ssn: REDACT_AND_RESTORE,
  secret_assignment: REDACT_AND_RESTORE,
  aws_access_key: BLOCK,
  aws_secret_key: BLOCK,
  private_key: BLOCK,
  jwt: BLOCK,
  api_key: BLOCK,
};

type Rules = Readonly<Record<string, PiiRule>>;

/** The rule of the first layer that speaks about the type: its own rule, else that layer's `*`. */
function ruleIn(layers: readonly Rules[], type: string): PiiRule {
  const layer = layers.find((candidate) => candidate[type] !== undefined || candidate[FALLBACK_TYPE] !== undefined);
  return layer?.[type] ?? layer?.[FALLBACK_TYPE] ?? OFF;
}

/**
 * The deployment's rule for every type (and `*`): the configuration's layer over the built-in defaults,
 * so a configured `{"*": "off"}` turns the defaults off too.
 */
export function configuredPiiRules(config: GatewayConfig): Rules {
  const layers = [config.pii?.rules ?? {}, DEFAULT_PII_RULES];
  return Object.fromEntries([...piiTypeNames(config), FALLBACK_TYPE].map((type) => [type, ruleIn(layers, type)]));
}

/** The rules that apply to one principal's request. */
export interface EffectiveRules {
  ruleFor(type: string): PiiRule;
  /** Types whose action is not `off`: the only ones scanned for. */
  readonly enabled: ReadonlySet<string>;
}

/**
 * Per type, the most specific layer with a rule for it wins — key, then user, then team, then the
 * configuration, then the built-in defaults — and within a layer the type's own rule beats that layer's
 * `*`. So a key's `{"*": "off"}` turns everything off for that key, and a team's `{"email": "redact"}`
 * holds for every key of the team that says nothing about email.
 */
export function effectiveRules(configured: Rules, scoped: readonly ScopedPolicy[], types: readonly string[]): EffectiveRules {
  // Most specific first, as policiesOf returns them; the configuration (with the defaults) last.
  const layers = [...scoped.flatMap(({ policy }) => (policy.pii === undefined ? [] : [policy.pii.rules])), configured];
  const rules = new Map<string, PiiRule>(types.map((type) => [type, ruleIn(layers, type)]));
  const enabled = new Set([...rules].filter(([, rule]) => rule.action !== 'off').map(([type]) => type));
  return { ruleFor: (type) => rules.get(type) ?? OFF, enabled };
}
