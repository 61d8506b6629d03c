import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { InternalError } from '../../errors/gateway-error';

/**
 * A tiny typed marshaller for the four attribute kinds the stores use (S, N, BOOL, L of S).
 * Written by hand instead of pulling in @aws-sdk/util-dynamodb: the stores need a fraction of it,
 * and explicit readers make a malformed item fail loudly at the one attribute that is wrong.
 */

/** A value the stores write; `undefined` means "omit the attribute" (DynamoDB has no undefined). */
export type AttributeScalar = string | number | boolean | readonly string[];

export type Item = Record<string, AttributeValue>;

export function marshalValue(value: AttributeScalar): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (typeof value === 'number') {
    // DynamoDB numbers are decimal strings; NaN and ±Infinity have no representation.
    if (!Number.isFinite(value)) throw new InternalError(`Cannot store a non-finite number (${value}).`);
    // String() gives the shortest decimal that round-trips, so Number(String(x)) === x.
    return { N: String(value) };
  }
  return { L: value.map((entry) => ({ S: entry })) };
}

/** Builds an item from plain fields, skipping undefined ones (optional record fields). */
export function marshalItem(fields: Readonly<Record<string, AttributeScalar | undefined>>): Item {
  const item: Item = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) item[name] = marshalValue(value);
  }
  return item;
}

/** The inverse of marshalValue for the kinds we write; anything else is a foreign item. */
export function unmarshalValue(value: AttributeValue): AttributeScalar {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return parseNumber(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.L !== undefined) {
    return value.L.map((entry) => {
      if (entry.S === undefined) throw new InternalError('Stored list holds a non-string entry.');
      return entry.S;
    });
  }
  throw new InternalError('Stored attribute has an unsupported kind.');
}

// Emulators and the service format numbers differently ("1" vs "1.0", "1e-7" vs "0.0000001"):
// always parse, never compare the strings.
function parseNumber(text: string): number {
  const parsed = Number(text);
  if (!Number.isFinite(parsed)) throw new InternalError(`Stored number '${text}' is not finite.`);
  return parsed;
}

function malformed(name: string, kind: string): InternalError {
  // The attribute name only, never its value: items may hold user names and other personal data.
  return new InternalError(`Stored item is malformed: attribute '${name}' is not ${kind}.`);
}

export function readString(item: Item, name: string): string {
  const value = optionalString(item, name);
  if (value === undefined) throw malformed(name, 'a string');
  return value;
}

export function optionalString(item: Item, name: string): string | undefined {
  const value = item[name];
  if (value === undefined) return undefined;
  if (value.S === undefined) throw malformed(name, 'a string');
  return value.S;
}

export function readNumber(item: Item, name: string): number {
  const value = optionalNumber(item, name);
  if (value === undefined) throw malformed(name, 'a number');
  return value;
}

export function optionalNumber(item: Item, name: string): number | undefined {
  const value = item[name];
  if (value === undefined) return undefined;
  if (value.N === undefined) throw malformed(name, 'a number');
  return parseNumber(value.N);
}

export function readBoolean(item: Item, name: string): boolean {
  const value = item[name];
  if (value?.BOOL === undefined) throw malformed(name, 'a boolean');
  return value.BOOL;
}

export function optionalStringList(item: Item, name: string): string[] | undefined {
  const value = item[name];
  if (value === undefined) return undefined;
  if (value.L === undefined) throw malformed(name, 'a list');
  return value.L.map((entry) => {
    if (entry.S === undefined) throw malformed(name, 'a list of strings');
    return entry.S;
  });
}

/**
 * Drops keys whose value is undefined, so a record read back has the same keys as the record
 * that was written (absent optional fields stay absent rather than becoming `key: undefined`).
 */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
