import { DetectPiiEntitiesCommand, TooManyRequestsException, type DetectPiiEntitiesCommandInput } from '@aws-sdk/client-comprehend';
import { createManagedDetector, ManagedDetectionError } from '../../../lambda/pii/managed';
import type { Finding, ManagedDetectionConfig } from '../../../lambda/pii/types';
import { comprehend, comprehendClient as client, fakeDetect } from './fake-comprehend';

type CacheSettings = Pick<ManagedDetectionConfig, 'cacheMb' | 'cacheTtlSeconds'> & { readonly minScore?: number };
const detector = (settings: CacheSettings = {}, now?: () => number) =>
  createManagedDetector({ service: 'comprehend', ...settings }, { comprehend: client, ...(now === undefined ? {} : { now }) });

/** Each finding as `type@start:value`, read from the text it points into. */
const located = (texts: readonly string[], results: readonly (readonly Finding[])[]): string[][] =>
  results.map((findings, index) => findings.map((f) => `${f.type}@${f.start}:${(texts[index] ?? '').slice(f.start, f.end)}`));
const sentTexts = (): string[] => comprehend.commandCalls(DetectPiiEntitiesCommand).map((call) => call.args[0].input.Text ?? '');
const abortSignalOf = (args: readonly unknown[]): AbortSignal | undefined => (args[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
/** Findings as a detector without a cache reports them: the reference every cached answer must equal. */
const uncached = async (texts: readonly string[]): Promise<string[][]> => {
  const results = located(texts, await detector({ cacheMb: 0 }).detect(texts));
  comprehend.resetHistory();
  return results;
};

const SYSTEM = 'You are a coding agent. Be brief.';
const TURN_1 = [SYSTEM, 'Please email Jane Doe about the release.', 'Drafted: "Hi Jane Doe, the release ships Friday."'];
const TURN_2 = [...TURN_1, 'Also cc José Álvarez, who lives at 12 Main St, Springfield.'];

beforeEach(() => {
  comprehend.reset();
  comprehend.on(DetectPiiEntitiesCommand).callsFake(fakeDetect);
});
afterAll(() => comprehend.restore());

describe('managed detection cache: what is sent', () => {
  test('a resent conversation sends only its new text, and answers as if all of it had been sent', async () => {
    const managed = detector();
    await managed.detect(TURN_1);
    expect(sentTexts()).toEqual(TURN_1);
    comprehend.resetHistory();

    const results = await managed.detect(TURN_2);
    expect(sentTexts()).toEqual([TURN_2[3]]);
    expect(located(TURN_2, results)).toEqual(await uncached(TURN_2));
    expect(located(TURN_2, results)[1]).toEqual(['person_name@13:Jane Doe']);
  });

  test('a text repeated within one request is sent once', async () => {
    const texts = ['Jane Doe wrote this.', 'ok', 'Jane Doe wrote this.'];
    const results = await detector().detect(texts);
    expect(sentTexts()).toEqual(['Jane Doe wrote this.', 'ok']);
    expect(located(texts, results)).toEqual([['person_name@0:Jane Doe'], [], ['person_name@0:Jane Doe']]);
  });

  test('cacheMb 0 turns the cache off: every request sends everything', async () => {
    const managed = detector({ cacheMb: 0 });
    await managed.detect(TURN_1);
    await managed.detect(TURN_1);
    expect(sentTexts()).toEqual([...TURN_1, ...TURN_1]);
  });
});

describe('managed detection cache: offsets', () => {
  test('findings fit the text where it sits now: another position in the request', async () => {
    const managed = detector();
    await managed.detect(TURN_2);
    comprehend.resetHistory();
    const moved = ['A new system prompt naming nobody.', TURN_2[3] ?? '', 'x', TURN_2[1] ?? ''];
    const results = await managed.detect(moved);
    expect(sentTexts()).toEqual([moved[0], 'x']);
    expect(located(moved, results)).toEqual([
      [],
      ['person_name@8:José Álvarez', 'postal_address@35:12 Main St, Springfield'],
      [],
      ['person_name@13:Jane Doe'],
    ]);
    expect(located(moved, results)).toEqual(await uncached(moved));
  });

  test('findings fit the text where it sits now: a chunk of a long text, later a text of its own', async () => {
    const filler = 'épée réglée '.repeat(5_000);
    const long = `${filler}Jane Doe ${filler}lives at 12 Main St, Springfield ${filler}José Álvarez ${filler}`;
    const managed = detector();
    const first = await managed.detect([long]);
    const chunks = sentTexts();
    comprehend.resetHistory();
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(located([long], first)).toEqual(await uncached([long]));

    // The same chunk texts alone: each at offset 0 now, none sent again.
    const results = await managed.detect(chunks);
    expect(sentTexts()).toEqual([]);
    expect(located(chunks, results)).toEqual(await uncached(chunks));
    expect(located(chunks, results).flat().map((entry) => entry.replace(/@\d+/, ''))).toEqual(
      expect.arrayContaining(['person_name:Jane Doe', 'postal_address:12 Main St, Springfield', 'person_name:José Álvarez']),
    );

    // And the long text once more, behind a new text: all from the cache, offsets into the long text.
    const again = await managed.detect(['Who wrote this?', long]);
    expect(sentTexts()).toEqual(['Who wrote this?']);
    expect(located(['Who wrote this?', long], again)).toEqual(await uncached(['Who wrote this?', long]));
  });
});

describe('managed detection cache: bounds', () => {
  test('an answer is reused for cacheTtlSeconds (600 by default) from the answer, then asked again', async () => {
    let now = 1_000_000;
    const managed = detector({}, () => now);
    await managed.detect(['Jane Doe']);
    now += 599_999;
    await managed.detect(['Jane Doe']);
    expect(sentTexts()).toHaveLength(1);
    now += 1;
    await managed.detect(['Jane Doe']);
    expect(sentTexts()).toHaveLength(2);

    comprehend.resetHistory();
    const short = detector({ cacheTtlSeconds: 60 }, () => now);
    await short.detect(['Jane Doe']);
    now += 59_999;
    await short.detect(['Jane Doe']); // a hit does not extend the time-to-live
    now += 1;
    await short.detect(['Jane Doe']);
    expect(sentTexts()).toHaveLength(2);
  });

  test('the size bound forgets the least recently used texts', async () => {
    // 1 KiB of text (and so 2 entries): two 400-byte texts fit, a third pushes out the oldest.
    const managed = detector({ cacheMb: 1 / 1024 });
    const [a, b, c] = ['a', 'b', 'c'].map((letter) => `${letter} Jane Doe `.padEnd(400, letter));
    await managed.detect([a ?? '', b ?? '']);
    await managed.detect([a ?? '']); // a is now the more recently used
    await managed.detect([c ?? '']);
    comprehend.resetHistory();
    await managed.detect([a ?? '', c ?? '']);
    expect(sentTexts()).toEqual([]);
    await managed.detect([b ?? '']);
    expect(sentTexts()).toEqual([b]);
  });
});

describe('managed detection cache: failures and configuration', () => {
  test('a failed call is not remembered: the next request sends the text again', async () => {
    let calls = 0;
    comprehend.on(DetectPiiEntitiesCommand).callsFake((input: DetectPiiEntitiesCommandInput) => {
      calls += 1;
      if (calls === 1) throw new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 400 } });
      return fakeDetect(input);
    });
    const managed = detector();
    await expect(managed.detect(['Jane Doe'])).rejects.toBeInstanceOf(ManagedDetectionError);
    expect(located(['Jane Doe'], await managed.detect(['Jane Doe']))).toEqual([['person_name@0:Jane Doe']]);
    await managed.detect(['Jane Doe']);
    expect(calls).toBe(2);
  });

  test('detectors of different configurations share nothing', async () => {
    const text = 'Maybe Person met Jane Doe';
    const lenient = await detector({ minScore: 0.5 }).detect([text]);
    const strict = await detector({ minScore: 0.995 }).detect([text]);
    expect(sentTexts()).toEqual([text, text]);
    expect(located([text], lenient)).toEqual([['person_name@0:Maybe Person', 'person_name@17:Jane Doe']]);
    expect(located([text], strict)).toEqual([[]]);
  });
});

describe('managed detection cache: concurrent requests', () => {
  test('requests in flight together for the same text share one call', async () => {
    comprehend.on(DetectPiiEntitiesCommand).callsFake(async (input: DetectPiiEntitiesCommandInput) => {
      await new Promise((resolve) => setImmediate(resolve));
      return fakeDetect(input);
    });
    const managed = detector();
    const [first, second] = await Promise.all([managed.detect(TURN_1), managed.detect(TURN_2)]);
    expect(sentTexts().sort()).toEqual([...TURN_2].sort());
    expect(located(TURN_1, first ?? [])).toEqual(await uncached(TURN_1));
    expect(located(TURN_2, second ?? [])).toEqual(await uncached(TURN_2));
  });

  test('when the request that was sending a text goes away, a request waiting for it sends it itself', async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    comprehend.reset();
    comprehend.send.callsFake((...args: unknown[]) => {
      // The first call hangs until its request goes away; any later call answers.
      if (comprehend.calls().length === 1) {
        return new Promise((_resolve, reject) => {
          abortSignalOf(args)?.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })));
        });
      }
      return Promise.resolve({ ...fakeDetect({ Text: 'Jane Doe', LanguageCode: 'en' }), $metadata: {} });
    });
    const managed = detector();
    const leaving = managed.detect(['Jane Doe'], controller.signal);
    const staying = managed.detect(['Jane Doe']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(comprehend.calls()).toHaveLength(1);
    controller.abort(reason);
    await expect(leaving).rejects.toBe(reason);
    expect(located(['Jane Doe'], await staying)).toEqual([['person_name@0:Jane Doe']]);
    expect(comprehend.calls()).toHaveLength(2);
  });

  test('a request waiting for another one’s call still stops at its own abort', async () => {
    let release: () => void = () => undefined;
    comprehend.on(DetectPiiEntitiesCommand).callsFake(async (input: DetectPiiEntitiesCommandInput) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return fakeDetect(input);
    });
    const managed = detector();
    const sending = managed.detect(['Jane Doe']);
    const controller = new AbortController();
    const waiting = managed.detect(['Jane Doe'], controller.signal);
    const reason = new Error('gone');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(located(['Jane Doe'], await sending)).toEqual([['person_name@0:Jane Doe']]);
    expect(sentTexts()).toEqual(['Jane Doe']);
  });
});
