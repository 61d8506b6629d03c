import type { CustomPatternConfig, PatternPiiType } from '../config/pii-config';

export { MANAGED_PII_TYPES, PATTERN_PII_TYPES } from '../config/pii-config';
export type { CustomPatternConfig, ManagedDetectionConfig, ManagedPiiType, PatternPiiType } from '../config/pii-config';

/*
 * The vocabulary of data protection: what a detector finds, what a policy does with it, what a record
 * keeps of it (counts per type, never a value).
 */

/** The credential types: a leaked one is an incident, so their default is `block`. */
export const CREDENTIAL_PII_TYPES: readonly PatternPiiType[] = [
  'aws_access_key', 'aws_secret_key', 'private_key', 'jwt', 'api_key',
];

/**
 * A built-in type, a managed one, or a custom pattern's name from configuration (lower snake case, not
 * a built-in name).
 */
export type PiiType = string;

/** One match in one scanned text: `text.slice(start, end)` is the value. */
export interface Finding {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
}

/**
 * Finds pattern-defined values in text. Findings are sorted by start and never overlap (where two
 * detectors match overlapping text, the longer match wins, then the more specific type).
 */
export interface PiiScanner {
  scan(text: string): Finding[];
}

export interface ScannerOptions {
  /** Only these types are looked for (a type whose action is `off` costs nothing). @default every pattern type and custom pattern */
  readonly types?: ReadonlySet<PiiType>;
  readonly custom?: readonly CustomPatternConfig[];
}

/** Finds managed types in texts (one network round for all of them). */
export interface ManagedDetector {
  /** Findings per text, in the order of `texts`. Throws on a service failure. */
  detect(texts: readonly string[], signal?: AbortSignal): Promise<Finding[][]>;
}

