import { InvalidRequestError } from '../../errors/gateway-error';

/**
 * Typed readers for Anthropic request fields. Each returns the value in its checked type or throws a
 * 400 `invalid_request_error` whose `param` is the field's path (`messages[0].content[2].source`);
 * messages name the rule and never quote the caller's value.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function invalid(param: string, message: string, code: 'invalid_type' | 'invalid_value' | 'missing_required_parameter' = 'invalid_value'): never {
  throw new InvalidRequestError(`'${param}' ${message}.`, code, { param });
}

export function readObject(value: unknown, param: string): JsonObject {
  if (!isJsonObject(value)) invalid(param, 'must be an object', 'invalid_type');
  return value;
}

export function readString(value: unknown, param: string): string {
  if (typeof value !== 'string') invalid(param, 'must be a string', 'invalid_type');
  return value;
}

export function readArray(value: unknown, param: string): readonly unknown[] {
  if (!Array.isArray(value)) invalid(param, 'must be an array', 'invalid_type');
  return value;
}

export function readBoolean(value: unknown, param: string): boolean {
  if (typeof value !== 'boolean') invalid(param, 'must be a boolean', 'invalid_type');
  return value;
}

export function readInteger(value: unknown, param: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid(param, 'must be an integer', 'invalid_type');
  if (value < min) invalid(param, `must be at least ${min}`);
  return value;
}

/** A finite number in [min, max] (JSON.parse turns 1e400 into Infinity, which no provider accepts). */
export function readNumber(value: unknown, param: string, min: number, max: number): number {
  if (typeof value !== 'number') invalid(param, 'must be a number', 'invalid_type');
  if (!Number.isFinite(value) || value < min || value > max) invalid(param, `must be a number between ${min} and ${max}`);
  return value;
}

/** `value` when it is one of `allowed`, else a 400 listing them. */
export function readEnum<T extends string>(value: unknown, param: string, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) invalid(param, `must be one of ${allowed.map((item) => `'${item}'`).join(', ')}`);
  return found;
}
