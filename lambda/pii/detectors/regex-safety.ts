/**
 * A pattern from configuration runs on every prompt, so one that backtracks catastrophically stalls
 * every request. The common cause is nested repetition — a group repeated without bound that itself
 * contains a repetition, such as `(a+)+` or `(\w*\s?)*`: on a near-miss the engine tries every way of
 * splitting the text between the two, which is exponential in its length. This finds that shape in the
 * pattern's source. (Overlapping alternatives under one repetition, such as `(a|a)*`, are another cause
 * it does not see; the README says so.)
 */

interface Group {
  /** Something inside the group repeats. */
  repeats: boolean;
}

/** Length of an unbounded repetition (`*`, `+`, `{n,}`) starting at `index`, or 0 when there is none. */
function unboundedQuantifierAt(source: string, index: number): number {
  const char = source[index];
  if (char === '*' || char === '+') return 1;
  if (char !== '{') return 0;
  const match = /^\{\d+,\}/.exec(source.slice(index));
  return match === null ? 0 : match[0].length;
}

/** Whether any repetition (`*`, `+`, `?`, `{…}`) starts at `index`. */
function anyQuantifierAt(source: string, index: number): boolean {
  const char = source[index];
  return char === '*' || char === '+' || char === '?' || (char === '{' && /^\{\d+(,\d*)?\}/.test(source.slice(index)));
}

/** Whether `source` repeats without bound a group that itself contains a repetition. */
export function hasNestedRepetition(source: string): boolean {
  const groups: Group[] = [{ repeats: false }];
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index];
    const current = groups[groups.length - 1];
    if (current === undefined) return false;
    if (char === '\\') {
      index += 1;
    } else if (char === '[') {
      // A class is one atom; quantifier characters inside it are literal.
      for (index += 1; index < source.length && source[index] !== ']'; index += 1) if (source[index] === '\\') index += 1;
    } else if (char === '(') {
      groups.push({ repeats: false });
      // `(?` starts a group kind (`(?:`, `(?=`, `(?<name>`), not a repetition.
      if (source[index + 1] === '?') index += 1;
    } else if (char === ')' && groups.length > 1) {
      const closed = groups.pop();
      if (closed?.repeats === true && unboundedQuantifierAt(source, index + 1) > 0) return true;
      const parent = groups[groups.length - 1];
      if (parent !== undefined && (closed?.repeats === true || anyQuantifierAt(source, index + 1))) parent.repeats = true;
    } else if (anyQuantifierAt(source, index)) {
      current.repeats = true;
    }
  }
  return false;
}
