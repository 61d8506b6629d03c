/**
 * Placeholders stand in for redacted values: `[EMAIL_1]`, `[API_KEY_2]`, `[EMPLOYEE_ID_1]`. Typed, so the
 * model still knows what kind of value was there; numbered per type within one request, so the same
 * value is always the same placeholder and two values never share one.
 */

/** The longest placeholder the gateway writes: labels are cut to leave room for the number. */
const MAX_PLACEHOLDER_LENGTH = 64;

/** The label of a type: `api_key` → `API_KEY`, a custom `employee-id` → `EMPLOYEE_ID`. */
export function placeholderLabel(type: string): string {
  const label = type.toUpperCase().replace(/[^A-Z0-9_]/g, '_').slice(0, MAX_PLACEHOLDER_LENGTH - 10);
  return /^[A-Z]/.test(label) ? label : `X${label}`;
}

function placeholderOf(label: string, index: number): string {
  return `[${label}_${index}]`;
}

export function placeholderText(type: string, index: number): string {
  return placeholderOf(placeholderLabel(type), index);
}

/**
 * The numbers `[LABEL_n]` already takes in these texts: a placeholder the prompt contains literally is
 * never handed out (restoring it would turn the caller's own text into someone's value). One search per
 * label, however many of its placeholders a request hands out.
 */
function numbersTaken(texts: readonly string[], label: string): Set<number> {
  const prefix = `[${label}_`;
  // The search is for the bracket and the label's first letter, then the whole prefix where they stand:
  // V8 sets up a table for every search of a long pattern, which over a request's texts costs more than
  // the search itself; a two-character pattern needs none.
  const probe = prefix.slice(0, 2);
  const taken = new Set<number>();
  for (const text of texts) {
    for (let at = text.indexOf(probe); at >= 0; at = text.indexOf(probe, at + 1)) {
      if (!text.startsWith(prefix, at)) continue;
      let end = at + prefix.length;
      while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end += 1;
      if (text.charCodeAt(end) !== 0x5d) continue;
      const digits = text.slice(at + prefix.length, end);
      // `[EMAIL_01]` and `[EMAIL_1]` are different texts: only the number's own spelling takes it.
      if (digits.length > 0 && String(Number(digits)) === digits) taken.add(Number(digits));
    }
  }
  return taken;
}

/**
 * Hands out placeholders within one request: the same value always gets the same placeholder, numbers
 * count per type from 1, and a placeholder the prompt already contains literally is skipped.
 */
export class PlaceholderBook {
  private readonly byValue = new Map<string, string>();
  private readonly next = new Map<string, number>();
  /** Per type: its label and the numbers the request's texts already hold, read on its first value. */
  private readonly labels = new Map<string, { readonly label: string; readonly taken: ReadonlySet<number> }>();

  constructor(private readonly texts: readonly string[]) {}

  private labelOf(type: string): { readonly label: string; readonly taken: ReadonlySet<number> } {
    let entry = this.labels.get(type);
    if (entry === undefined) {
      const label = placeholderLabel(type);
      entry = { label, taken: numbersTaken(this.texts, label) };
      this.labels.set(type, entry);
    }
    return entry;
  }

  placeholderFor(type: string, value: string): string {
    const known = this.byValue.get(value);
    if (known !== undefined) return known;
    const { label, taken } = this.labelOf(type);
    let index = this.next.get(type) ?? 1;
    while (taken.has(index)) index += 1;
    this.next.set(type, index + 1);
    const placeholder = placeholderOf(label, index);
    this.byValue.set(value, placeholder);
    return placeholder;
  }

  /** Value → placeholder for every value handed out so far. */
  entries(): IterableIterator<[string, string]> {
    return this.byValue.entries();
  }
}
