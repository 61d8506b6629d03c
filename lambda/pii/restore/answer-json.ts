import type { WireFormat } from '../../providers/provider';
import { NO_JSON_TEXT_KEYS, OPENAI_JSON_TEXT_KEYS, restoreJsonValue } from './json-values';
import type { PlaceholderTable } from './placeholder-table';

/**
 * A pass-through JSON answer with its placeholders restored, in any of the formats: every string value
 * is restored (Chat `message.content`, Responses output text, Anthropic text blocks and `tool_use.input`,
 * legacy `text`, and the request echoes some formats carry), and tool-call `arguments` — JSON text —
 * get their originals escaped. The very same body comes back when there is nothing to restore, when it
 * is not JSON, and for embeddings (numbers only), so such answers stay byte-exact.
 */
export function restoreJsonAnswer(body: Uint8Array | string, format: WireFormat, table: PlaceholderTable): Uint8Array | string {
  if (format === 'openai-embeddings') return body;
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  if (!table.mayContainPlaceholder(text)) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return body;
  }
  const restored = restoreJsonValue(parsed, table, format === 'anthropic-messages' ? NO_JSON_TEXT_KEYS : OPENAI_JSON_TEXT_KEYS);
  if (restored === parsed) return body;
  const serialised = JSON.stringify(restored);
  return typeof body === 'string' ? serialised : Buffer.from(serialised, 'utf8');
}
