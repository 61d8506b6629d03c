import type { PiiSummary } from '../stores/store';
import type { EffectiveRules } from './policy';
import type { PromptText } from './prompt-texts';
import { PlaceholderBook } from './placeholders';
import { jsonUnescaped, ValueReplacer } from './redaction';
import type { Finding } from './types';

/** What the policy makes of one request's findings. */
export interface Inspection {
  readonly summary: PiiSummary;
  /** Counts per blocked type; empty when nothing is blocked. */
  readonly blocked: Readonly<Record<string, number>>;
  /** Rewrites the request's strings; absent when nothing is to be redacted. */
  readonly replacer?: ValueReplacer;
  /** Placeholder → original, for the types whose rule restores; empty when none. */
  readonly originals: ReadonlyMap<string, string>;
}

/** The value as the caller wrote it: a finding in tool-call arguments is JSON text, possibly escaped. */
function plainValue(text: PromptText, finding: Finding): string {
  const raw = text.text.slice(finding.start, finding.end);
  return text.kind === 'text' ? raw : jsonUnescaped(raw);
}

function increment(counts: Record<string, number>, type: string): void {
  counts[type] = (counts[type] ?? 0) + 1;
}

/**
 * Applies the rules to the findings of every prompt text (findingsPerText[i] belongs to texts[i]):
 * counts per type, the types that block, and for `redact` one placeholder per distinct value.
 */
export function inspect(texts: readonly PromptText[], findingsPerText: readonly (readonly Finding[])[], rules: EffectiveRules, skippedParts: number): Inspection {
  const found: Record<string, number> = {};
  const blocked: Record<string, number> = {};
  const toRedact: { type: string; value: string; restore: boolean }[] = [];
  texts.forEach((text, index) => {
    for (const finding of findingsPerText[index] ?? []) {
      const rule = rules.ruleFor(finding.type);
      if (rule.action === 'off') continue;
      increment(found, finding.type);
      if (rule.action === 'block') increment(blocked, finding.type);
      else if (rule.action === 'redact') toRedact.push({ type: finding.type, value: plainValue(text, finding), restore: rule.restore === true });
    }
  });
  const isBlocked = Object.keys(blocked).length > 0;
  const summaryOf = (action: PiiSummary['action'], redacted: number): PiiSummary => ({ found, action, redacted, skippedParts });
  if (isBlocked) return { summary: summaryOf('block', 0), blocked, originals: new Map() };
  if (toRedact.length === 0) return { summary: summaryOf(Object.keys(found).length > 0 ? 'log' : 'none', 0), blocked, originals: new Map() };

  const book = new PlaceholderBook(texts.map((text) => text.text));
  const originals = new Map<string, string>();
  for (const { type, value, restore } of toRedact) {
    const placeholder = book.placeholderFor(type, value);
    if (restore) originals.set(placeholder, value);
  }
  return { summary: summaryOf('redact', toRedact.length), blocked, replacer: new ValueReplacer(book.entries()), originals };
}
