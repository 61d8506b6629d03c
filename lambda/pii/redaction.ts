import type { CanonicalRequest } from '../canonical/request';
import { placeholderText } from './placeholders';

/**
 * Hands out placeholders within one request: the same value always gets the same placeholder, numbers
 * count per type from 1, and a placeholder the prompt already contains literally is never handed out
 * (restoring it would turn the caller's own text into someone's value).
 */
export class PlaceholderBook {
  private readonly byValue = new Map<string, string>();
  private readonly next = new Map<string, number>();

  /** The request's texts: a placeholder is checked against them only when it is about to be handed out. */
  constructor(private readonly texts: readonly string[]) {}

  private isTaken(placeholder: string): boolean {
    return this.texts.some((text) => text.includes(placeholder));
  }

  placeholderFor(type: string, value: string): string {
    const known = this.byValue.get(value);
    if (known !== undefined) return known;
    let index = this.next.get(type) ?? 1;
    let placeholder = placeholderText(type, index);
    while (this.isTaken(placeholder)) placeholder = placeholderText(type, ++index);
    this.next.set(type, index + 1);
    this.byValue.set(value, placeholder);
    return placeholder;
  }

  /** Value → placeholder for every value handed out so far. */
  entries(): IterableIterator<[string, string]> {
    return this.byValue.entries();
  }
}

/**
 * The spellings a value may have elsewhere in the body: found in JSON text (tool-call arguments) it may
 * appear unescaped in a structured copy (Anthropic's `tool_use.input`), and found in plain text it may
 * appear JSON-escaped inside another message's arguments.
 */
function spellings(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  return [...new Set([value, escaped, jsonUnescaped(value)])].filter((spelling) => spelling.length > 0);
}

/** Text read inside a JSON string literal, unescaped; the text itself when it is no valid string content. */
export function jsonUnescaped(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    const parsed: unknown = JSON.parse(`"${raw}"`);
    return typeof parsed === 'string' ? parsed : raw;
  } catch {
    return raw;
  }
}

/** Strings shorter than this are searched again rather than remembered: the search costs less than the lookup. */
const MIN_REMEMBERED_LENGTH = 256;
/** Long strings remembered per request at most: the lookup is a linear scan. */
const MAX_REMEMBERED_TEXTS = 256;

/** Rewrites every occurrence of the values in a request's strings; built once per redacted request. */
export class ValueReplacer {
  private readonly pattern: RegExp;
  private readonly placeholders = new Map<string, string>();
  /** The spellings, for a quick `includes` test before the regex: most strings of a request hold none. */
  private readonly spellings: readonly string[];
  /** Long strings already rewritten in this request, with their results. */
  private readonly seen: { readonly text: string; readonly result: string }[] = [];

  constructor(values: Iterable<[string, string]>) {
    for (const [value, placeholder] of values) {
      for (const spelling of spellings(value)) if (!this.placeholders.has(spelling)) this.placeholders.set(spelling, placeholder);
    }
    // Longest first, so a value never loses to a value it contains.
    const alternatives = [...this.placeholders.keys()].sort((a, b) => b.length - a.length).map((spelling) => spelling.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.pattern = new RegExp(alternatives.join('|'), 'g');
    this.spellings = [...this.placeholders.keys()];
  }

  replaceIn(text: string): string {
    if (text.length < MIN_REMEMBERED_LENGTH) return this.replaced(text);
    // The pass-through body and the canonical request mostly share their long strings, so each is
    // searched once. `===` on the same string is a pointer test; other strings differ by length or early.
    const known = this.seen.find((entry) => entry.text === text);
    if (known !== undefined) return known.result;
    const result = this.replaced(text);
    if (this.seen.length < MAX_REMEMBERED_TEXTS) this.seen.push({ text, result });
    return result;
  }

  private replaced(text: string): string {
    // includes() is a plain substring search, far cheaper than the alternation over a long text.
    if (!this.spellings.some((spelling) => text.includes(spelling))) return text;
    return text.replace(this.pattern, (match) => this.placeholders.get(match) ?? match);
  }

  /**
   * A copy of a JSON-like value with every string rewritten; unchanged subtrees are shared, not copied.
   * Left as they are: reasoning the model wrote (its signature covers it byte for byte), encrypted
   * content, and binary data (base64 images, `data:` URLs).
   */
  rewrite<T>(value: T): T {
    return this.visit(value) as T;
  }

  private visit(value: unknown): unknown {
    if (typeof value === 'string') return value.startsWith('data:') ? value : this.replaceIn(value);
    if (typeof value !== 'object' || value === null) return value;
    // Copied only once something inside changes: most of a request's objects hold no value at all.
    if (Array.isArray(value)) {
      const items: readonly unknown[] = value;
      let copy: unknown[] | undefined;
      for (let index = 0; index < items.length; index += 1) {
        const item = items[index];
        const next = this.visit(item);
        if (next === item) continue;
        copy ??= [...items];
        copy[index] = next;
      }
      return copy ?? items;
    }
    const record = value as Readonly<Record<string, unknown>>;
    if (typeof record.type === 'string' && VERBATIM_TYPES.has(record.type)) return value;
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(record)) {
      if (VERBATIM_KEYS.has(key)) continue;
      const item = record[key];
      const next = this.visit(item);
      if (next === item) continue;
      copy ??= { ...record };
      copy[key] = next;
    }
    return copy ?? value;
  }
}

/**
 * Objects that travel byte-exact: replayed reasoning (Anthropic thinking blocks, Responses reasoning
 * items) and images in every format (Chat `image_url`, Responses `input_image`, Anthropic and canonical `image`).
 */
const VERBATIM_TYPES: ReadonlySet<string> = new Set(['thinking', 'redacted_thinking', 'reasoning', 'image', 'image_url', 'input_image']);
/** Fields that hold signatures, encrypted state or binary data. */
const VERBATIM_KEYS: ReadonlySet<string> = new Set(['signature', 'encrypted_content', 'data', 'file_data', 'input_audio']);

/** The request with the values replaced, in the pass-through body and in the canonical request alike. */
export function redactRequest<T extends { readonly body: Readonly<Record<string, unknown>>; readonly canonical: CanonicalRequest }>(
  call: T, replacer: ValueReplacer,
): T {
  return { ...call, body: replacer.rewrite(call.body), canonical: replacer.rewrite(call.canonical) };
}
