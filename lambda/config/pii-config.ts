import type { PiiRule } from '../stores/store';

/**
 * The data-protection part of the gateway configuration (GatewayConfig.pii). The vocabulary (types,
 * findings, scanners) lives in lambda/pii/types.ts, which re-exports these.
 */

/** Types the pattern detectors find, each checked by its format (and checksum where one exists). */
export const PATTERN_PII_TYPES = [
  'email',
  'phone',
  /** Luhn-checked, 13–19 digits, known issuer prefixes. */
  'payment_card',
  /** mod-97-checked, per-country length. */
  'iban',
  'us_ssn',
  /** IPv4 and IPv6. */
  'ip_address',
  'aws_access_key',
  'aws_secret_key',
  /** PEM private key blocks (RSA, EC, OpenSSH, PGP, ...). */
  'private_key',
  'jwt',
  /** Provider and platform API keys: OpenAI, Anthropic, GitHub, Slack, Stripe, Google, GateLLM's `gllm_`, ... */
  'api_key',
  /** A high-entropy value assigned to a name like key, secret, token or password. */
  'secret_assignment',
] as const;

/** Types only managed detection (Comprehend, Bedrock Guardrails) finds: patterns cannot. */
export const MANAGED_PII_TYPES = ['person_name', 'postal_address'] as const;

export type PatternPiiType = (typeof PATTERN_PII_TYPES)[number];
export type ManagedPiiType = (typeof MANAGED_PII_TYPES)[number];

/** A custom pattern from configuration. */
export interface CustomPatternConfig {
  /** Its type name in policies, records and placeholders (`employee_id` → `[EMPLOYEE_ID_1]`). */
  readonly name: string;
  /** A JavaScript regular expression source; the whole match is the value. */
  readonly pattern: string;
  /** Extra flags (`i`); `g` and `u` are always set. @default "" */
  readonly flags?: string;
}

/**
 * How much of what the service found managed detection remembers, and for how long (per gateway
 * instance, in its memory): a conversation's history is not sent again while remembered.
 */
export interface ManagedDetectionCacheConfig {
  /**
   * MiB of prompt text (UTF-8) whose findings are remembered, least recently used forgotten first. The
   * text itself is not kept (a digest and the offsets found are), so memory use stays under this. 0 = off.
   * @default 16
   */
  readonly cacheMb?: number;
  /** Seconds an answer is reused, counted from the answer (a hit does not extend it). @default 600 */
  readonly cacheTtlSeconds?: number;
}

/** Managed detection: a service finds what patterns cannot (names, postal addresses). Off by default. */
export type ManagedDetectionConfig = ManagedDetectionCacheConfig & (
  | {
    readonly service: 'comprehend';
    /** Comprehend's language code. @default "en" */
    readonly languageCode?: string;
    /** Entities scored below this are ignored. @default 0.8 */
    readonly minScore?: number;
    /** AWS region of the service. @default the gateway's own */
    readonly region?: string;
  }
  | {
    readonly service: 'bedrock-guardrails';
    readonly guardrailId: string;
    readonly guardrailVersion: string;
    /** @default the gateway's own */
    readonly region?: string;
  });

/** `GatewayConfig.pii`: the deployment-wide defaults that teams, users and keys override. */
export interface PiiConfig {
  /** Rules per type (and `*`) layered over the built-in defaults (DEFAULT_PII_RULES). */
  readonly rules?: Readonly<Record<string, PiiRule>>;
  readonly custom?: readonly CustomPatternConfig[];
  /** @default off */
  readonly managed?: ManagedDetectionConfig;
}

