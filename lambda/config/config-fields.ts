/** Field readers shared by the configuration's validators: each throws a ConfigError naming the field. */

/**
 * Thrown at start-up and at synth (the construct validates with the same parser); the message names the
 * offending field, e.g. `models.gpt-4o.price.input`.
 */
export class ConfigError extends Error {
  constructor(readonly field: string, problem: string) {
    super(`Invalid gateway configuration: ${field} ${problem}`);
    this.name = 'ConfigError';
  }
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, field: string): Json {
  if (!isObject(value)) throw new ConfigError(field, 'must be an object');
  return value;
}

export function string(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ConfigError(field, 'must be a non-empty string');
  return value;
}

export function optionalString(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : string(value, field);
}

export function nonNegative(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(field, 'must be a number >= 0');
  }
  return value;
}

export function optionalPositiveInt(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(field, 'must be a positive integer');
  }
  return value;
}

export function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new ConfigError(field, 'must be true or false');
  return value;
}

export function rejectUnknown(value: Json, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new ConfigError(`${field}.${key}`, `is not a known field (expected one of: ${allowed.join(', ')})`);
  }
}
