/**
 * Where the detectors start: each walks the occurrences of a trigger (a character its values contain or
 * follow: `:` and `=` for assignments and IPv6, `_` and `-` for vendor keys, `A` for AWS and Google keys,
 * `@` for emails, `J` for JWTs' `eyJ`), and the numeric detector walks the number windows. A scan asks
 * for these through one `Triggers` per text, which finds them either by searching (indexOf and a regex,
 * per walk) or from an index built in one pass over the text (trigger-index/), whichever costs less for
 * the text's length. Both lead to the same findings: the index lists every number window and every
 * occurrence of `A`, `@` and `J`, as searching finds them, and of the operators (`:`, `=`) and separators
 * (`_`, `-`) those their walks act on; property tests hold it to both.
 */

/** The trigger characters, by trigger number (list k of the index). */
export const TRIGGER_CHARACTERS = [':', '=', '_', '-', 'A', '@', 'J'] as const;
export const COLON = 0;
export const EQUALS = 1;
export const UNDERSCORE = 2;
export const DASH = 3;
export const CAPITAL_A = 4;
export const AT_SIGN = 5;
export const CAPITAL_J = 6;
/** The number windows' list: not a character; see NUMBER_WINDOW. */
export const NUMBER_WINDOWS = 7;
export type TriggerCharacter = typeof COLON | typeof EQUALS | typeof UNDERSCORE | typeof DASH | typeof CAPITAL_A | typeof AT_SIGN | typeof CAPITAL_J;
export type Trigger = TriggerCharacter | typeof NUMBER_WINDOWS;

/**
 * What the numeric detector starts from: five or six characters of digits and the separators numbers are
 * written with (` `, `-`, `.`, `/`) that start and end with a digit and hold a separator in their last five
 * (`1.1.1`, `5-0132`, `23 45`), or end seven digits in a row. Every phone, card, SSN, IPv4 address and
 * IBAN has one (numbers.ts says why); lone numbers (counts, years, amounts, `1.2.3`) have none.
 */
export const NUMBER_WINDOW = /\d[\d.\- /]{3,4}\d(?:(?<!\d{5})|(?<=\d{7}))/g;

/** An index of one text's triggers (trigger-index/), which answers as searching the text would. */
export interface TriggerLists {
  next(trigger: TriggerCharacter, from: number): number;
  nextNumberWindowEnd(from: number): number;
}

/**
 * Where one text's triggers are: searched for on each call (cheapest for short texts, and the reference
 * the index is tested against), or read from the text's index. One class either way, so that each
 * detector's call site sees one shape whichever way a text's triggers were found.
 */
export class Triggers {
  constructor(private readonly text: string, private readonly lists?: TriggerLists) {}

  /** Whether the answers come from an index of the text rather than searches of it. */
  get indexed(): boolean {
    return this.lists !== undefined;
  }

  /**
   * Index of the first occurrence of `trigger`'s character at or after `from`; -1 when there is none. An
   * index may skip the operators (`:`, `=`) and separators (`_`, `-`) their walks would not act on
   * (operators.ts, api-keys.ts).
   */
  next(trigger: TriggerCharacter, from: number): number {
    if (this.lists !== undefined) return this.lists.next(trigger, from);
    return this.text.indexOf(TRIGGER_CHARACTERS[trigger], from);
  }

  /** The end of the first number window that starts at or after `from` (where the regex's match ends); -1 when there is none. */
  nextNumberWindowEnd(from: number): number {
    if (this.lists !== undefined) return this.lists.nextNumberWindowEnd(from);
    NUMBER_WINDOW.lastIndex = from;
    return NUMBER_WINDOW.test(this.text) ? NUMBER_WINDOW.lastIndex : -1;
  }
}

/** Bit `k` set: trigger `k`'s list is needed. */
export type TriggerSet = number;

export function triggerSet(triggers: readonly Trigger[]): TriggerSet {
  let set = 0;
  for (const trigger of triggers) set |= 1 << trigger;
  return set;
}
