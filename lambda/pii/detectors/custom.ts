import { hasNestedRepetition } from './regex-safety';
import { MANAGED_PII_TYPES, PATTERN_PII_TYPES, type CustomPatternConfig, type Finding } from '../types';

/** A custom pattern, validated and compiled: `regex` always has the `g` and `u` flags. */
export interface CompiledCustomPattern {
  readonly name: string;
  readonly regex: RegExp;
}

const NAME = /^[a-z][a-z0-9_]*$/;
const MAX_NAME = 48;
const EXTRA_FLAGS = new Set(['i', 'm', 's', 'g', 'u']);
const BUILT_IN_NAMES = new Set<string>([...PATTERN_PII_TYPES, ...MANAGED_PII_TYPES]);
/** A pattern that matches nothing somewhere in these would find empty values (and never end a scan). */
const EMPTY_MATCH_PROBES = ['', 'a', 'A1 b_2-c.d@e\nf'];

function matchesEmpty(regex: RegExp): boolean {
  for (const probe of EMPTY_MATCH_PROBES) {
    regex.lastIndex = 0;
    for (let step = 0; step <= probe.length + 1; step += 1) {
      const match = regex.exec(probe);
      if (match === null) break;
      if (match[0] === '') return true;
    }
  }
  return false;
}

/**
 * Validates and compiles a custom pattern from configuration. Throws an Error naming the pattern when its
 * name is not lower snake case or is a built-in type, its flags are not among `i`, `m`, `s`, its source is
 * not a valid regular expression, it can match the empty string, or it nests repetitions (regex-safety.ts).
 */
export function compileCustomPattern(config: CustomPatternConfig): CompiledCustomPattern {
  const label = `Custom PII pattern "${config.name}"`;
  if (!NAME.test(config.name) || config.name.length > MAX_NAME) {
    throw new Error(`${label}: the name must be lower snake case (${NAME.source}), at most ${MAX_NAME} characters.`);
  }
  if (BUILT_IN_NAMES.has(config.name)) throw new Error(`${label}: the name is a built-in type; choose another.`);
  const flags = config.flags ?? '';
  for (const flag of flags) {
    if (!EXTRA_FLAGS.has(flag)) throw new Error(`${label}: unsupported flag "${flag}" (allowed: i, m, s).`);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(config.pattern, `gu${[...new Set(flags)].filter((flag) => flag !== 'g' && flag !== 'u').join('')}`);
  } catch (error) {
    throw new Error(`${label}: not a valid regular expression (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (matchesEmpty(regex)) throw new Error(`${label}: the pattern matches the empty string.`);
  if (hasNestedRepetition(config.pattern)) {
    throw new Error(`${label}: it repeats a group that itself repeats (as in (a+)+), which can take exponential time on some texts `
      + 'and would stall every request; write it without the nested repetition.');
  }
  return { name: config.name, regex };
}

/** Every non-empty match of a compiled custom pattern. */
export function findCustom(pattern: CompiledCustomPattern, text: string, out: Finding[]): void {
  const { regex, name } = pattern;
  regex.lastIndex = 0;
  let match = regex.exec(text);
  while (match !== null) {
    if (match[0] === '') regex.lastIndex += 1;
    else out.push({ type: name, start: match.index, end: match.index + match[0].length });
    match = regex.exec(text);
  }
}
