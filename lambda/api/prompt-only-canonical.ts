import type { CanonicalRequest, TextPart } from '../canonical/request';

/**
 * The canonical view of embeddings and legacy completions: no conversation, just the texts sent, as
 * one user turn. These endpoints are OpenAI-only (never translated), so this exists for the stages
 * that read prompt text (PII scanning, estimates), not for providers.
 */
export function promptOnlyCanonical(body: Readonly<Record<string, unknown>>, field: 'input' | 'prompt', model: string): CanonicalRequest {
  const value = body[field];
  const texts = (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
  const content: TextPart[] = texts.map((text) => ({ type: 'text', text }));
  const maxTokens = body.max_tokens;
  return {
    model,
    system: [],
    messages: content.length === 0 ? [] : [{ role: 'user', content }],
    tools: [],
    ...(typeof maxTokens === 'number' ? { maxTokens } : {}),
    stop: [],
    stream: body.stream === true,
    streamIncludeUsage: false,
    sameFormatOnly: [],
  };
}
