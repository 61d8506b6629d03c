import type { PiiAction, PiiRule } from '../stores/store';
import { ConfigError, isObject, type Json, object, optionalString, rejectUnknown, string } from './config-fields';
import { type CustomPatternConfig, MANAGED_PII_TYPES, type ManagedDetectionCacheConfig, type ManagedDetectionConfig, PATTERN_PII_TYPES, type PiiConfig } from './pii-config';

const ACTIONS: readonly PiiAction[] = ['off', 'log', 'redact', 'block'];
const CUSTOM_NAME = /^[a-z][a-z0-9_]*$/;
/** The rule that applies to every type without one of its own. */
export const FALLBACK_PII_TYPE = '*';
const BUILT_IN_TYPES: readonly string[] = [...PATTERN_PII_TYPES, ...MANAGED_PII_TYPES];

function isAction(value: unknown): value is PiiAction {
  return typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);
}

/**
 * One rule: `"redact"` or `{ "action": "redact", "restore": true }`. `restore` only means something
 * with `redact`, so anywhere else it is refused rather than silently ignored.
 */
export function parsePiiRule(value: unknown, field: string): PiiRule {
  if (isAction(value)) return { action: value };
  if (!isObject(value)) throw new ConfigError(field, `must be one of ${ACTIONS.join(', ')} or { "action": ..., "restore": true }`);
  rejectUnknown(value, ['action', 'restore'], field);
  if (!isAction(value.action)) throw new ConfigError(`${field}.action`, `must be one of ${ACTIONS.join(', ')}`);
  if (value.restore === undefined) return { action: value.action };
  if (typeof value.restore !== 'boolean') throw new ConfigError(`${field}.restore`, 'must be true or false');
  if (value.restore && value.action !== 'redact') throw new ConfigError(`${field}.restore`, 'only applies to the redact action');
  return { action: value.action, restore: value.restore };
}

/** Rules per type name; `knownTypes` are the built-in and custom names (plus `*`). */
export function parsePiiRules(value: unknown, field: string, knownTypes: readonly string[]): Record<string, PiiRule> {
  const rules: Record<string, PiiRule> = {};
  for (const [type, rule] of Object.entries(object(value, field))) {
    if (type !== FALLBACK_PII_TYPE && !knownTypes.includes(type)) {
      throw new ConfigError(`${field}.${type}`, `is not a known type (expected one of: ${[...knownTypes, FALLBACK_PII_TYPE].join(', ')})`);
    }
    rules[type] = parsePiiRule(rule, `${field}.${type}`);
  }
  return rules;
}

/** Every type name a rule may name: built-in, managed and the configuration's custom patterns. */
export function piiTypeNames(config: { readonly pii?: PiiConfig }): string[] {
  return [...BUILT_IN_TYPES, ...(config.pii?.custom ?? []).map((pattern) => pattern.name)];
}

/**
 * A custom pattern must compile, must not match the empty string (it would match everywhere), and its
 * name must be new: a type name in rules, records and placeholders.
 */
function parseCustomPattern(value: unknown, field: string, taken: ReadonlySet<string>): CustomPatternConfig {
  const raw = object(value, field);
  rejectUnknown(raw, ['name', 'pattern', 'flags'], field);
  const name = string(raw.name, `${field}.name`);
  if (!CUSTOM_NAME.test(name)) throw new ConfigError(`${field}.name`, 'must be lower snake case (a-z, 0-9, _), starting with a letter');
  if (taken.has(name)) throw new ConfigError(`${field}.name`, `'${name}' is already a type name`);
  const pattern = string(raw.pattern, `${field}.pattern`);
  const flags = optionalString(raw.flags, `${field}.flags`) ?? '';
  if (!/^[imsv]*$/.test(flags)) throw new ConfigError(`${field}.flags`, 'may only hold i, m, s (g and u are always set)');
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern, `gu${flags}`);
  } catch (error) {
    throw new ConfigError(`${field}.pattern`, `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`);
  }
  if (compiled.test('')) throw new ConfigError(`${field}.pattern`, 'matches the empty string');
  return { name, pattern, ...(flags === '' ? {} : { flags }) };
}

const CACHE_FIELDS = ['cacheMb', 'cacheTtlSeconds'];
/** A gigabyte of remembered text is already more than a gateway instance sees within any sensible time-to-live. */
const MAX_CACHE_MB = 1024;
const MAX_CACHE_TTL_SECONDS = 86_400;

/** The result cache's settings, the same for both services. */
function parseManagedCache(raw: Json, field: string): ManagedDetectionCacheConfig {
  const { cacheMb, cacheTtlSeconds } = raw;
  if (cacheMb !== undefined && (typeof cacheMb !== 'number' || !Number.isFinite(cacheMb) || cacheMb < 0 || cacheMb > MAX_CACHE_MB)) {
    throw new ConfigError(`${field}.cacheMb`, `must be a number from 0 (no cache) to ${MAX_CACHE_MB}`);
  }
  if (cacheTtlSeconds !== undefined && (typeof cacheTtlSeconds !== 'number' || !Number.isInteger(cacheTtlSeconds) || cacheTtlSeconds < 1 || cacheTtlSeconds > MAX_CACHE_TTL_SECONDS)) {
    throw new ConfigError(`${field}.cacheTtlSeconds`, `must be a whole number of seconds from 1 to ${MAX_CACHE_TTL_SECONDS}`);
  }
  return { ...(cacheMb === undefined ? {} : { cacheMb }), ...(cacheTtlSeconds === undefined ? {} : { cacheTtlSeconds }) };
}

function parseManaged(value: unknown, field: string): ManagedDetectionConfig {
  const raw = object(value, field);
  const region = optionalString(raw.region, `${field}.region`);
  if (raw.service === 'comprehend') {
    rejectUnknown(raw, ['service', 'languageCode', 'minScore', 'region', ...CACHE_FIELDS], field);
    const languageCode = optionalString(raw.languageCode, `${field}.languageCode`);
    // The only languages DetectPiiEntities accepts.
    if (languageCode !== undefined && !['en', 'es'].includes(languageCode)) throw new ConfigError(`${field}.languageCode`, 'must be "en" or "es" (the languages Comprehend detects PII in)');
    const minScore = raw.minScore;
    if (minScore !== undefined && (typeof minScore !== 'number' || minScore < 0 || minScore > 1)) throw new ConfigError(`${field}.minScore`, 'must be a number from 0 to 1');
    return { service: 'comprehend', ...(languageCode === undefined ? {} : { languageCode }), ...(minScore === undefined ? {} : { minScore }), ...(region === undefined ? {} : { region }), ...parseManagedCache(raw, field) };
  }
  if (raw.service === 'bedrock-guardrails') {
    rejectUnknown(raw, ['service', 'guardrailId', 'guardrailVersion', 'region', ...CACHE_FIELDS], field);
    const guardrailId = string(raw.guardrailId, `${field}.guardrailId`);
    if (!/^[a-z0-9]+$/.test(guardrailId) && !/^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:guardrail\/[a-z0-9]+$/.test(guardrailId)) {
      throw new ConfigError(`${field}.guardrailId`, 'must be a guardrail id (lower-case letters and digits) or a guardrail ARN');
    }
    const guardrailVersion = string(raw.guardrailVersion, `${field}.guardrailVersion`);
    if (!/^([1-9][0-9]{0,7}|DRAFT)$/.test(guardrailVersion)) throw new ConfigError(`${field}.guardrailVersion`, 'must be a version number or "DRAFT"');
    return { service: 'bedrock-guardrails', guardrailId, guardrailVersion, ...(region === undefined ? {} : { region }), ...parseManagedCache(raw, field) };
  }
  throw new ConfigError(`${field}.service`, 'must be "comprehend" or "bedrock-guardrails"');
}

export function parsePiiConfig(value: unknown): PiiConfig {
  const raw = object(value, 'pii');
  rejectUnknown(raw, ['rules', 'custom', 'managed'], 'pii');
  const custom: CustomPatternConfig[] = [];
  if (raw.custom !== undefined) {
    if (!Array.isArray(raw.custom)) throw new ConfigError('pii.custom', 'must be an array of { name, pattern, flags? }');
    const taken = new Set(BUILT_IN_TYPES);
    raw.custom.forEach((item: unknown, index) => {
      const pattern = parseCustomPattern(item, `pii.custom[${index}]`, taken);
      taken.add(pattern.name);
      custom.push(pattern);
    });
  }
  const knownTypes = piiTypeNames({ pii: { custom } });
  return {
    ...(raw.rules === undefined ? {} : { rules: parsePiiRules(raw.rules, 'pii.rules', knownTypes) }),
    ...(custom.length === 0 ? {} : { custom }),
    ...(raw.managed === undefined ? {} : { managed: parseManaged(raw.managed, 'pii.managed') }),
  };
}
