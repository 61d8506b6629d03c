import type { Finding, PatternPiiType } from '../types';
import type { Trigger, TriggerCharacter, Triggers } from './triggers';

/**
 * Scans one text and pushes candidate findings; the scanner resolves overlaps between detectors.
 * `triggers` answers where the text's triggers are (the ones the detector declares).
 */
export type FindFn = (text: string, out: Finding[], triggers: Triggers) => void;

/**
 * A detector for one or more pattern types. `create` receives the enabled types so a detector that
 * serves several (the numeric one finds phones, cards, SSNs and IPv4) skips the work of disabled ones.
 */
export interface PatternDetector {
  readonly types: readonly PatternPiiType[];
  /** The triggers its walks start from (triggers.ts); literals it searches for itself are not listed. */
  readonly triggers: readonly Trigger[];
  create(enabled: ReadonlySet<string>): FindFn;
}

/**
 * Calls `visit` with the index of every occurrence of `literal`; `visit` may return where to resume.
 * indexOf is the fastest search V8 has — far faster than a regex or a charCodeAt loop — as long as the
 * literal's first character is not a common one; for the rare literals that are not triggers.
 */
export function forEachOccurrence(text: string, literal: string, visit: (index: number) => number | undefined): void {
  let index = text.indexOf(literal);
  while (index !== -1) {
    const resumeAt = visit(index);
    index = text.indexOf(literal, Math.max(index + 1, resumeAt ?? 0));
  }
}

/** Calls `visit` with the index of every occurrence of `trigger`; `visit` may return where to resume. */
export function forEachTrigger(triggers: Triggers, trigger: TriggerCharacter, visit: (index: number) => number | undefined): void {
  let index = triggers.next(trigger, 0);
  while (index !== -1) {
    const resumeAt = visit(index);
    index = triggers.next(trigger, Math.max(index + 1, resumeAt ?? 0));
  }
}
