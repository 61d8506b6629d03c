import { InvalidRequestError } from '../../errors/gateway-error';

/**
 * Small composable checks for the known fields of OpenAI request bodies. Each throws a 400
 * `invalid_request_error` whose `param` is the field's path (`messages[0].role`, `stop[1]`); messages
 * name the rule and never quote the caller's value.
 */
export type FieldCheck = (value: unknown, param: string) => void;

function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(param: string, message: string, code: 'invalid_type' | 'invalid_value'): never {
  throw new InvalidRequestError(`'${param}' ${message}.`, code, { param });
}

export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): FieldCheck {
  return (value, param) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) invalid(param, 'must be an integer', 'invalid_type');
    if (value < min || value > max) invalid(param, `must be between ${min} and ${max}`, 'invalid_value');
  };
}

/** A finite number in [min, max]; JSON.parse turns 1e400 into Infinity, which no provider accepts. */
export function number(min: number, max: number): FieldCheck {
  return (value, param) => {
    if (typeof value !== 'number') invalid(param, 'must be a number', 'invalid_type');
    if (!Number.isFinite(value) || value < min || value > max) invalid(param, `must be a number between ${min} and ${max}`, 'invalid_value');
  };
}

export const boolean: FieldCheck = (value, param) => {
  if (typeof value !== 'boolean') invalid(param, 'must be a boolean', 'invalid_type');
};

export function string(maxLength: number = Number.MAX_SAFE_INTEGER): FieldCheck {
  return (value, param) => {
    if (typeof value !== 'string') invalid(param, 'must be a string', 'invalid_type');
    if (value.length > maxLength) invalid(param, `must be at most ${maxLength} characters`, 'invalid_value');
  };
}

export const object: FieldCheck = (value, param) => {
  if (!isJsonObject(value)) invalid(param, 'must be an object', 'invalid_type');
};

export function oneOf(allowed: readonly string[]): FieldCheck {
  return (value, param) => {
    if (typeof value !== 'string' || !allowed.includes(value)) invalid(param, `must be one of ${allowed.map((item) => `'${item}'`).join(', ')}`, 'invalid_value');
  };
}

/** An array whose items each pass `item`; `minItems`/`maxItems` bound its length. */
export function arrayOf(item: FieldCheck, bounds: { readonly minItems?: number; readonly maxItems?: number } = {}): FieldCheck {
  return (value, param) => {
    if (!Array.isArray(value)) invalid(param, 'must be an array', 'invalid_type');
    if (value.length < (bounds.minItems ?? 0)) invalid(param, `must have at least ${bounds.minItems ?? 0} item(s)`, 'invalid_value');
    if (value.length > (bounds.maxItems ?? Number.MAX_SAFE_INTEGER)) invalid(param, `must have at most ${bounds.maxItems ?? 0} items`, 'invalid_value');
    value.forEach((entry: unknown, index) => item(entry, `${param}[${index}]`));
  };
}

/** The first check whose type matches decides; `description` names the accepted shapes in the error. */
export function anyOf(description: string, candidates: readonly { readonly matches: (value: unknown) => boolean; readonly check: FieldCheck }[]): FieldCheck {
  return (value, param) => {
    const candidate = candidates.find((entry) => entry.matches(value));
    if (candidate === undefined) invalid(param, `must be ${description}`, 'invalid_type');
    candidate.check(value, param);
  };
}

/** Runs each field's check when the field is present; null means "not set", as OpenAI treats it. */
export function checkFields(body: Readonly<Record<string, unknown>>, fields: Readonly<Record<string, FieldCheck>>): void {
  for (const [name, check] of Object.entries(fields)) {
    const value = body[name];
    if (value !== undefined && value !== null) check(value, name);
  }
}
