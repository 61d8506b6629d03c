import type { PlaceholderTable } from './placeholder-table';
import { restoreText } from './text-restorer';

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parsed JSON object in `data`, or undefined when it is not JSON or not an object. */
export function parseRecord(data: string): JsonRecord | undefined {
  try {
    const parsed: unknown = JSON.parse(data);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keys whose string value is JSON text in the OpenAI shapes (tool-call `arguments`, Chat and Responses
 * alike): a placeholder in it sits inside a JSON string literal, so its original goes in escaped.
 * Anthropic has none (`tool_use.input` is an object), so a tool's own `arguments` field stays plain there.
 */
export const OPENAI_JSON_TEXT_KEYS: ReadonlySet<string> = new Set(['arguments']);
export const NO_JSON_TEXT_KEYS: ReadonlySet<string> = new Set();

/**
 * Every string in a parsed JSON value with the table's placeholders restored — whole objects such as
 * a Responses output item, an Anthropic `tool_use.input`, a Chat message. Copy on write: the very same
 * value comes back when nothing in it changed, so a caller can tell and keep the original bytes.
 */
export function restoreJsonValue(
  value: unknown,
  table: PlaceholderTable,
  jsonTextKeys: ReadonlySet<string>,
  key?: string,
): unknown {
  if (typeof value === 'string') {
    return restoreText(value, table, key !== undefined && jsonTextKeys.has(key) ? 'json-string' : 'plain');
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const restored = restoreJsonValue(item, table, jsonTextKeys);
      if (restored === item) return;
      copy ??= [...(value as unknown[])];
      copy[index] = restored;
    });
    return copy ?? value;
  }
  if (isRecord(value)) {
    let copy: Record<string, unknown> | undefined;
    for (const [name, item] of Object.entries(value)) {
      const restored = restoreJsonValue(item, table, jsonTextKeys, name);
      if (restored === item) continue;
      copy ??= { ...value };
      // defineProperty, not assignment: a `__proto__` key from JSON.parse must stay a plain property.
      Object.defineProperty(copy, name, { value: restored, enumerable: true, writable: true, configurable: true });
    }
    return copy ?? value;
  }
  return value;
}
