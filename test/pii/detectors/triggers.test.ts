import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { indexTriggers, INDEX_MIN_LENGTH, triggersFor } from '../../../lambda/pii/detectors/trigger-index/trigger-index';
import {
  COLON, DASH, EQUALS, NUMBER_WINDOWS, TRIGGER_CHARACTERS, triggerSet, Triggers, UNDERSCORE, type TriggerCharacter,
} from '../../../lambda/pii/detectors/triggers';
import { separatorMayStartKey } from '../../../lambda/pii/detectors/api-keys';
import { couldBeInAddress } from '../../../lambda/pii/detectors/ipv6';
import { valueFollows } from '../../../lambda/pii/detectors/secret-assignment';
import { createScanner } from '../../../lambda/pii/scanner';
import { seededRng } from './generators';

const CHARACTERS = TRIGGER_CHARACTERS.map((_, trigger) => trigger as TriggerCharacter);
/** The triggers an index narrows to the occurrences their walk acts on, and those it lists every occurrence of. */
const NARROWED: readonly TriggerCharacter[] = [COLON, EQUALS, UNDERSCORE, DASH];
const EXACT = CHARACTERS.filter((trigger) => !NARROWED.includes(trigger));
const EVERY_LIST = triggerSet([...CHARACTERS, NUMBER_WINDOWS]);

/**
 * Text made to stress the index: triggers, digits and every separator a number window may hold, runs of
 * digits around the five and seven that decide a window, letters, and code units whose low byte is a
 * trigger or digit (`ĺ` is U+013A, `:` is 0x3A; `İ` is U+0130, `0` is 0x30), high ones, lone surrogates;
 * and what decides whether an operator is acted on: values of 15 and 16 characters, what may come between
 * an operator and its value (`>`, spaces, tabs, `\`, quotes, an auth scheme), what ends one (`(`, controls),
 * hex digits around a colon, `::`, a URL.
 */
const PIECES = [
  ...TRIGGER_CHARACTERS, '0', '7', '9', '42', '98', '12345', '1234567', '415', ' ', '.', '-', '/', '+', '(', ')', 'x', 'eyJ', 'AKIA',
  '\u013a', '\u0130', '\u0139', '\u012e', '\u0120', '\u8030', '\uff1a', '\ud83d', '\ude00', 'é', '\n', '\0',
  'Zq8vN2pLx7RtY4m', 'Zq8vN2pLx7RtY4mK', 'sk', 'ghp', 'xoxb', 'glpat', 'r8', 'Bearer ', 'token ', '>', '\t', '    ', '\\', '"', "'", '`', '\u0001', 'f', 'E', '::', 'fe80', '//',
];
const text = (maxPieces: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...PIECES), { maxLength: maxPieces }).map((pieces) => pieces.join(''));

/** Every answer a walk can ask for: each exact trigger from every index, and each number window from every index. */
function answers(triggers: Triggers, length: number): number[][] {
  const all = EXACT.map((trigger) => Array.from({ length: length + 2 }, (_, from) => triggers.next(trigger, from)));
  all.push(Array.from({ length: length + 2 }, (_, from) => triggers.nextNumberWindowEnd(from)));
  return all;
}

/** The index's answers, asked in rising order as the walks ask (a fresh index per list: each list's walk starts at 0). */
function indexedAnswers(value: string): number[][] {
  const all = EXACT.map((trigger) => {
    const index = indexTriggers(value, EVERY_LIST) as Triggers;
    return Array.from({ length: value.length + 2 }, (_, from) => index.next(trigger, from));
  });
  const index = indexTriggers(value, EVERY_LIST) as Triggers;
  all.push(Array.from({ length: value.length + 2 }, (_, from) => index.nextNumberWindowEnd(from)));
  return all;
}

/**
 * Whether the walk over `trigger` does anything at the occurrence at `at`, with every type enabled: the
 * operator walk (operators.ts) or the separator walk (api-keys.ts).
 */
function actedOn(value: string, at: number): boolean {
  if (value.charAt(at) === '_' || value.charAt(at) === '-') return separatorMayStartKey(value, at);
  if (valueFollows(value, at)) return true;
  return value.charAt(at) === ':' && (couldBeInAddress(value, at) || value.charAt(at + 1) === '/');
}

/** Checks that the index lists, of `trigger`, only its occurrences and at least those its walk acts on. */
function expectNarrowedKept(value: string, triggers: Triggers, trigger: TriggerCharacter): void {
  const listed: number[] = [];
  for (let at = triggers.next(trigger, 0); at !== -1; at = triggers.next(trigger, at + 1)) listed.push(at);
  const character = TRIGGER_CHARACTERS[trigger];
  expect(listed.filter((at) => value.charAt(at) !== character)).toEqual([]);
  const needed: number[] = [];
  for (let at = value.indexOf(character); at !== -1; at = value.indexOf(character, at + 1)) if (actedOn(value, at)) needed.push(at);
  expect(needed.filter((at) => !listed.includes(at))).toEqual([]);
}

describe('the trigger index', () => {
  it('is built from the committed WebAssembly text (npm run build:wasm)', () => {
    const check = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('answers every walk over characters other than operators, and over number windows, as searching does (property)', () => {
    expect(indexTriggers('a:b', EVERY_LIST)).toBeDefined();
    fc.assert(fc.property(text(160), (value) => {
      expect(indexedAnswers(value)).toEqual(answers(new Triggers(value), value.length));
    }), { numRuns: 400 });
  });

  it('lists every operator and separator its walk acts on, and nothing else (property)', () => {
    fc.assert(fc.property(text(160), (value) => {
      const index = indexTriggers(value, EVERY_LIST) as Triggers;
      for (const trigger of NARROWED) expectNarrowedKept(value, index, trigger);
    }), { numRuns: 600 });
  });

  it('keeps each kind of operator and separator its walk acts on, at every position across the 64-character words of the index', () => {
    // The farthest a value starts from its operator: `>`, six spaces and tabs, a backslash, a quote, `Bearer` and two spaces.
    const farthestValue = 'x=> \t \t \t\\"Bearer  Zq8vN2pLx7RtY4mK';
    expect(valueFollows(farthestValue, 1)).toBe(true);
    const kinds = [
      farthestValue, 'k: Zq8vN2pLx7RtY4mK', 'k="Zq8vN2pLx7RtY4mK"', 'ab:cd', 'x::y', 'https://',
      // The shortest body a separator is kept for reaches 12 past it.
      'sk-Zq8vN2pLx7RtY', 'xoxb_Zq8vN2pLx7R', 'sk-Zq8vN2pLx7Rt', 'sk-Zq8vN2pLx7R-', 'ghp_Zq8vN2pLx7R_',
    ];
    for (const kind of kinds) {
      for (let offset = 0; offset < 140; offset += 1) {
        const value = `${' '.repeat(offset)}${kind}${' '.repeat(140 - offset)}`;
        for (const trigger of NARROWED) expectNarrowedKept(value, indexTriggers(value, EVERY_LIST) as Triggers, trigger);
      }
    }
  });

  it('leaves out most operators of code and prose: those no value, address or URL follows', () => {
    const value = 'const a = b; if (x == y) { return { key: value, time: "12:30" }; }\n'.repeat(8);
    const index = indexTriggers(value, EVERY_LIST) as Triggers;
    expect(index.next(COLON, 0)).toBe(value.indexOf('12:30') + 2);
    expect(index.next(EQUALS, 0)).toBe(-1);
    const assignment = 'token = "Zq8vN2pLx7RtY4mKw9Bc"; '.repeat(10);
    expect((indexTriggers(assignment, EVERY_LIST) as Triggers).next(EQUALS, 0)).toBe(assignment.indexOf('='));
  });

  it('answers a walk that steps back as well as one that goes forward', () => {
    const value = 'a:b=c_d-eA@J 415-555-0132 x:y 12.34.56.78 '.repeat(20);
    const searched = new Triggers(value);
    const indexed = indexTriggers(value, EVERY_LIST) as Triggers;
    const rng = seededRng(31);
    for (let i = 0; i < 2_000; i += 1) {
      const from = rng.int(0, value.length + 1);
      const trigger = rng.pick(EXACT);
      expect(indexed.next(trigger, from)).toBe(searched.next(trigger, from));
      expect(indexed.nextNumberWindowEnd(from)).toBe(searched.nextNumberWindowEnd(from));
    }
  });

  it('leaves out the lists no detector asks for', () => {
    const value = 'host fe80::1, a=b, 415-555-0132 '.repeat(20);
    const colonsOnly = indexTriggers(value, triggerSet([0])) as Triggers;
    expect(colonsOnly.next(0, 0)).toBe(value.indexOf(':'));
    expect(colonsOnly.next(1, 0)).toBe(-1);
    expect(colonsOnly.nextNumberWindowEnd(0)).toBe(-1);
  });

  it('grows for a long text full of triggers, and still answers for a short one after it', () => {
    // 200,000 colons (no value follows the `=`, no vendor word ends before `_` or `-`): more than the memory holds before the list grows it.
    const long = '1:2=3_4-5 '.repeat(200_000);
    const searched = new Triggers(long);
    const indexed = indexTriggers(long, EVERY_LIST) as Triggers;
    for (const from of [0, 1, 999_999, 1_000_000, 1_999_990, 2_000_000]) {
      for (const trigger of [...EXACT, COLON as TriggerCharacter]) expect(indexed.next(trigger, from)).toBe(searched.next(trigger, from));
      expect(indexed.nextNumberWindowEnd(from)).toBe(searched.nextNumberWindowEnd(from));
    }
    const short = 'call +1 415 555 0132: ok';
    expect(answers(indexTriggers(short, EVERY_LIST) as Triggers, short.length)).toEqual(answers(new Triggers(short), short.length));
  });

  it('is used for long texts, searching for short ones and for detectors that walk nothing', () => {
    const long = 'x'.repeat(INDEX_MIN_LENGTH);
    expect(triggersFor(long, EVERY_LIST).indexed).toBe(true);
    expect(triggersFor(long.slice(1), EVERY_LIST).indexed).toBe(false);
    expect(triggersFor(long, 0).indexed).toBe(false);
  });

  it('is replaced by searching where WebAssembly is unavailable, and scans still find', async () => {
    const webAssembly = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
    Object.defineProperty(globalThis, 'WebAssembly', { value: undefined, configurable: true, writable: true });
    try {
      await jest.isolateModulesAsync(async () => {
        const fresh = await import('../../../lambda/pii/detectors/trigger-index/trigger-index');
        const { createScanner: freshScanner } = await import('../../../lambda/pii/scanner');
        const long = `${'see the notes below, '.repeat(20)}and write to alice@corp.io`;
        expect(fresh.indexTriggers(long, EVERY_LIST)).toBeUndefined();
        expect(fresh.triggersFor(long, EVERY_LIST).indexed).toBe(false);
        expect(freshScanner().scan(long).map((finding) => finding.type)).toEqual(['email']);
      });
    } finally {
      if (webAssembly !== undefined) Object.defineProperty(globalThis, 'WebAssembly', webAssembly);
    }
    expect(indexTriggers('a:b', EVERY_LIST)).toBeDefined();
  });
});

describe('a scan', () => {
  const VALUES = [
    'api_key = "Zq8vN2pLx7RtY4mKw9Bc"', 'password: hunter2hunter2hunter2', 'Authorization: Bearer Zq8vN2pLx7RtY4mKw9Bc', 'fe80::1ff:fe23:4567:890a',
    'https://hooks.slack.com/services/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', '+1 415 555 0132', 'AKIA4HKQX2ZD7LMN3QRT', 'alice@corp.io',
    'aws_secret_access_key=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', '10.1.2.3', '[2001:db8::10.113.39.225]',
  ];
  const indexed = createScanner({}, (value, wanted) => indexTriggers(value, wanted) ?? new Triggers(value));
  const searched = createScanner({}, (value) => new Triggers(value));

  it('finds the same from the index as from searches, whatever the text (property)', () => {
    const piece = fc.oneof(fc.constantFrom(...PIECES), fc.constantFrom(...VALUES));
    fc.assert(fc.property(fc.array(piece, { maxLength: 80 }).map((pieces) => pieces.join('')), (value) => {
      expect(indexed.scan(value)).toEqual(searched.scan(value));
    }), { numRuns: 1_500 });
  });
});
