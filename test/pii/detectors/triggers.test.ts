import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { indexTriggers, INDEX_MIN_LENGTH, triggersFor } from '../../../lambda/pii/detectors/trigger-index/trigger-index';
import {
  NUMBER_WINDOWS, TRIGGER_CHARACTERS, triggerSet, Triggers, type TriggerCharacter,
} from '../../../lambda/pii/detectors/triggers';
import { seededRng } from './generators';

const CHARACTERS = TRIGGER_CHARACTERS.map((_, trigger) => trigger as TriggerCharacter);
const EVERY_LIST = triggerSet([...CHARACTERS, NUMBER_WINDOWS]);

/**
 * Text made to stress the index: triggers, digits and every separator a number window may hold, runs of
 * digits around the five and seven that decide a window, letters, and code units whose low byte is a
 * trigger or digit (`ĺ` is U+013A, `:` is 0x3A; `İ` is U+0130, `0` is 0x30), high ones, and lone surrogates.
 */
const PIECES = [
  ...TRIGGER_CHARACTERS, '0', '7', '9', '42', '98', '12345', '1234567', '415', ' ', '.', '-', '/', '+', '(', ')', 'x', 'eyJ', 'AKIA',
  '\u013a', '\u0130', '\u0139', '\u012e', '\u0120', '\u8030', '\uff1a', '\ud83d', '\ude00', 'é', '\n', '\0',
];
const text = (maxPieces: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...PIECES), { maxLength: maxPieces }).map((pieces) => pieces.join(''));

/** Every answer a walk can ask for: each trigger from every index, and each number window from every index. */
function answers(triggers: Triggers, length: number): number[][] {
  const all = CHARACTERS.map((trigger) => Array.from({ length: length + 2 }, (_, from) => triggers.next(trigger, from)));
  all.push(Array.from({ length: length + 2 }, (_, from) => triggers.nextNumberWindowEnd(from)));
  return all;
}

/** The index's answers, asked in rising order as the walks ask (a fresh index per list: each list's walk starts at 0). */
function indexedAnswers(value: string): number[][] {
  const all = CHARACTERS.map((trigger) => {
    const index = indexTriggers(value, EVERY_LIST) as Triggers;
    return Array.from({ length: value.length + 2 }, (_, from) => index.next(trigger, from));
  });
  const index = indexTriggers(value, EVERY_LIST) as Triggers;
  all.push(Array.from({ length: value.length + 2 }, (_, from) => index.nextNumberWindowEnd(from)));
  return all;
}

describe('the trigger index', () => {
  it('is built from the committed WebAssembly text (npm run build:wasm)', () => {
    const check = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('answers every walk as searching the text does, whatever the text (property)', () => {
    expect(indexTriggers('a:b', EVERY_LIST)).toBeDefined();
    fc.assert(fc.property(text(160), (value) => {
      expect(indexedAnswers(value)).toEqual(answers(new Triggers(value), value.length));
    }), { numRuns: 400 });
  });

  it('answers a walk that steps back as well as one that goes forward', () => {
    const value = 'a:b=c_d-eA@J 415-555-0132 x:y 12.34.56.78 '.repeat(20);
    const searched = new Triggers(value);
    const indexed = indexTriggers(value, EVERY_LIST) as Triggers;
    const rng = seededRng(31);
    for (let i = 0; i < 2_000; i += 1) {
      const from = rng.int(0, value.length + 1);
      const trigger = rng.pick(CHARACTERS);
      expect(indexed.next(trigger, from)).toBe(searched.next(trigger, from));
      expect(indexed.nextNumberWindowEnd(from)).toBe(searched.nextNumberWindowEnd(from));
    }
  });

  it('leaves out the lists no detector asks for', () => {
    const value = 'key: value, a=b, 415-555-0132 '.repeat(20);
    const colonsOnly = indexTriggers(value, triggerSet([0])) as Triggers;
    expect(colonsOnly.next(0, 0)).toBe(value.indexOf(':'));
    expect(colonsOnly.next(1, 0)).toBe(-1);
    expect(colonsOnly.nextNumberWindowEnd(0)).toBe(-1);
  });

  it('grows for a long text full of triggers, and still answers for a short one after it', () => {
    // Four lists of 200,000 entries each: more than the memory holds before the lists grow it.
    const long = '1:2=3_4-5 '.repeat(200_000);
    const searched = new Triggers(long);
    const indexed = indexTriggers(long, EVERY_LIST) as Triggers;
    for (const from of [0, 1, 999_999, 1_000_000, 1_999_990, 2_000_000]) {
      for (const trigger of CHARACTERS) expect(indexed.next(trigger, from)).toBe(searched.next(trigger, from));
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
});
