/**
 * Anthropic's `GET /v1/models` shapes, for Anthropic callers (Claude Code's model discovery, the SDK's
 * `client.models.list()`). `created_at` is an RFC 3339 time; the gateway has none per model, so it
 * reports the Unix epoch, which every client parses.
 */
const CREATED_AT = '1970-01-01T00:00:00Z';

interface AnthropicModelInfo {
  readonly type: 'model';
  readonly id: string;
  readonly display_name: string;
  readonly created_at: string;
}

function modelInfo(name: string): AnthropicModelInfo {
  return { type: 'model', id: name, display_name: name, created_at: CREATED_AT };
}

/** The one-page list: `has_more` false, `first_id`/`last_id` null when empty (as Anthropic answers). */
export function anthropicModelList(names: readonly string[]): string {
  return JSON.stringify({
    data: names.map(modelInfo),
    has_more: false,
    first_id: names[0] ?? null,
    last_id: names.at(-1) ?? null,
  });
}

export function anthropicModel(name: string): string {
  return JSON.stringify(modelInfo(name));
}
