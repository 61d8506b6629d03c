import { ComprehendClient, DetectPiiEntitiesCommand, InvalidRequestException, type DetectPiiEntitiesCommandInput } from '@aws-sdk/client-comprehend';
import { createManagedDetector, ManagedDetectionError } from '../../../lambda/pii/managed';
import type { Finding } from '../../../lambda/pii/types';
import { comprehend, comprehendClient as client, fakeDetect } from './fake-comprehend';

const detector = (options: { languageCode?: string; minScore?: number } = {}) =>
  createManagedDetector({ service: 'comprehend', ...options }, { comprehend: client });

const values = (text: string, findings: readonly Finding[]): string[] => findings.map((f) => `${f.type}:${text.slice(f.start, f.end)}`);
/** The abort signal the detector handed to `send` (its second argument). */
const abortSignalOf = (args: readonly unknown[]): AbortSignal | undefined => (args[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
/** About `words` × 8 bytes of text whose chunks all differ (identical chunks are sent once per request). */
const distinctWords = (words: number): string => Array.from({ length: words }, (_, index) => `w${String(index).padStart(6, '0')}`).join(' ');
const sentTexts = (): string[] => comprehend.commandCalls(DetectPiiEntitiesCommand).map((call) => call.args[0].input.Text ?? '');

beforeEach(() => {
  comprehend.reset();
  comprehend.on(DetectPiiEntitiesCommand).callsFake(fakeDetect);
});
afterAll(() => comprehend.restore());

describe('Comprehend detector', () => {
  test('sends each text with the language code (en by default)', async () => {
    await detector().detect(['Hello Jane Doe', 'Hola José Álvarez']);
    expect(comprehend.commandCalls(DetectPiiEntitiesCommand).map((call) => call.args[0].input)).toEqual([
      { Text: 'Hello Jane Doe', LanguageCode: 'en' },
      { Text: 'Hola José Álvarez', LanguageCode: 'en' },
    ]);
    comprehend.resetHistory();
    await detector({ languageCode: 'es' }).detect(['Hola José Álvarez']);
    expect(comprehend.commandCalls(DetectPiiEntitiesCommand)[0]?.args[0].input.LanguageCode).toBe('es');
  });

  test('finds names and addresses, ignores types the patterns cover and low scores', async () => {
    const text = 'Write to Jane Doe at 12 Main St, Springfield (jane@example.com), cc Maybe Person.';
    const [findings = []] = await detector().detect([text]);
    expect(values(text, findings)).toEqual(['person_name:Jane Doe', 'postal_address:12 Main St, Springfield']);
  });

  test('minScore lowers or raises the bar', async () => {
    const text = 'Maybe Person met Jane Doe';
    expect(values(text, (await detector({ minScore: 0.5 }).detect([text]))[0] ?? [])).toEqual(['person_name:Maybe Person', 'person_name:Jane Doe']);
    expect(values(text, (await detector({ minScore: 0.995 }).detect([text]))[0] ?? [])).toEqual([]);
  });

  test('maps code point offsets to the text past emoji and other astral characters', async () => {
    const text = '😀👩‍👩‍👧 𝒜 Jane Doe 🎉 José Álvarez';
    const [findings = []] = await detector().detect([text]);
    expect(values(text, findings)).toEqual(['person_name:Jane Doe', 'person_name:José Álvarez']);
  });

  test('answers per text in order; empty and blank texts are not sent; no texts, no call', async () => {
    const texts = ['', 'Jane Doe', '   \n', '12 Main St, Springfield'];
    const results = await detector().detect(texts);
    expect(results.map((findings, index) => values(texts[index] ?? '', findings))).toEqual([
      [], ['person_name:Jane Doe'], [], ['postal_address:12 Main St, Springfield'],
    ]);
    expect(sentTexts()).toEqual(['Jane Doe', '12 Main St, Springfield']);
    comprehend.resetHistory();
    expect(await detector().detect([])).toEqual([]);
    expect(await detector().detect(['', ' '])).toEqual([[], []]);
    expect(comprehend.calls()).toHaveLength(0);
  });

  test('splits a text over 100 KB of UTF-8 into calls that fit and maps every finding back', async () => {
    // Two-byte filler makes bytes and characters differ; names land near and across chunk boundaries.
    const filler = 'épée réglée '.repeat(500);
    const parts: string[] = [];
    for (let index = 0; index < 40; index += 1) parts.push(filler, index % 3 === 0 ? 'Jane Doe' : index % 3 === 1 ? '😀 José Álvarez' : '12 Main St, Springfield');
    const text = parts.join(' ');
    expect(Buffer.byteLength(text)).toBeGreaterThan(300_000);

    const [findings = []] = await detector().detect([text]);
    const sent = sentTexts();
    expect(sent.length).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(text) / 100_000));
    for (const chunk of sent) expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(100_000);
    const expected = parts.filter((_, index) => index % 2 === 1).map((value) => (value.startsWith('12') ? `postal_address:${value}` : `person_name:${value.replace('😀 ', '')}`));
    expect(values(text, findings)).toEqual(expected);
  });

  test('pieces of a long text without a letter or digit are not sent', async () => {
    const text = `${'-- \n'.repeat(60_000)}Jane Doe`;
    const [findings = []] = await detector().detect([text]);
    expect(sentTexts()).toHaveLength(1);
    expect(values(text, findings)).toEqual(['person_name:Jane Doe']);
  });

  test('a name cut by a chunk boundary is found whole, once', async () => {
    const text = `${'word '.repeat(19_998)}xx Jane Doe and more`;
    expect(Buffer.byteLength(text.slice(0, text.indexOf('Doe')))).toBeLessThan(100_000);
    expect(Buffer.byteLength(text.slice(0, text.indexOf('Doe') + 3))).toBeGreaterThan(100_000);
    const [findings = []] = await detector().detect([text]);
    expect(sentTexts()).toHaveLength(2);
    expect(sentTexts()[0]).toMatch(/Jane $/);
    expect(values(text, findings)).toEqual(['person_name:Jane Doe']);
  });

  test('at most four calls are in flight at once', async () => {
    let inFlight = 0;
    let most = 0;
    comprehend.on(DetectPiiEntitiesCommand).callsFake(async (input: DetectPiiEntitiesCommandInput) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return fakeDetect(input);
    });
    await detector().detect([distinctWords(150_000), 'Jane Doe']);
    expect(comprehend.calls().length).toBeGreaterThan(8);
    expect(most).toBe(4);
  });
});

describe('Comprehend failures', () => {
  const prompt = 'My neighbour Jane Doe lives at 12 Main St, Springfield';

  test('a service error names the service, its code and status, never the text', async () => {
    comprehend.on(DetectPiiEntitiesCommand).rejects(
      new InvalidRequestException({ message: `Value '${prompt}' at 'text' failed to satisfy constraint`, $metadata: { httpStatusCode: 400 } }),
    );
    const error = await detector().detect([prompt]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManagedDetectionError);
    expect(error).toMatchObject({ service: 'comprehend', code: 'InvalidRequestException', status: 400 });
    expect(String((error as Error).message)).toBe(
      'managed PII detection failed: Amazon Comprehend DetectPiiEntities answered InvalidRequestException (HTTP 400)',
    );
    for (const leak of ['Jane', 'Main St', 'neighbour']) {
      expect(`${(error as Error).stack ?? ''} ${JSON.stringify(error)}`).not.toContain(leak);
    }
    expect((error as Error).cause).toBeUndefined();
  });

  test('a network failure is named by its code', async () => {
    comprehend.on(DetectPiiEntitiesCommand).rejects(Object.assign(new Error(`socket hang up while sending ${prompt}`), { code: 'ECONNRESET' }));
    await expect(detector().detect([prompt])).rejects.toThrow(/^managed PII detection failed: Amazon Comprehend DetectPiiEntities answered ECONNRESET$/);
  });

  test('the first failed chunk aborts the calls still in flight', async () => {
    const signals: AbortSignal[] = [];
    comprehend.reset();
    comprehend.send.callsFake(async (...args: unknown[]) => {
      const signal = abortSignalOf(args);
      if (signal !== undefined) signals.push(signal);
      if (signals.length === 2) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      await new Promise((resolve) => setImmediate(resolve));
      return { Entities: [], $metadata: {} };
    });
    // Ten chunks: after the failure nothing new starts, and what had started is aborted.
    await expect(detector().detect([distinctWords(125_000)])).rejects.toMatchObject({ code: 'ThrottlingException' });
    expect(signals.length).toBeGreaterThanOrEqual(2);
    expect(signals.length).toBeLessThanOrEqual(4);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });
});

describe('Comprehend and the abort signal', () => {
  test('an aborted signal rejects with its reason before any call', async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    controller.abort(reason);
    await expect(detector().detect(['Jane Doe'], controller.signal)).rejects.toBe(reason);
    expect(comprehend.calls()).toHaveLength(0);
  });

  test('an abort during the call reaches the SDK and rejects with the reason', async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    comprehend.reset();
    comprehend.send.callsFake((...args: unknown[]) =>
      new Promise((_resolve, reject) => {
        abortSignalOf(args)?.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })));
        controller.abort(reason);
      }));
    await expect(detector().detect(['Jane Doe'], controller.signal)).rejects.toBe(reason);
  });
});

describe('Comprehend client', () => {
  test('is created on first use in the configured region, else the default region', async () => {
    await createManagedDetector({ service: 'comprehend', region: 'eu-west-1' }, { defaultRegion: 'us-east-1' }).detect(['Jane Doe']);
    await createManagedDetector({ service: 'comprehend' }, { defaultRegion: 'ap-southeast-2' }).detect(['Jane Doe']);
    const regions = await Promise.all(comprehend.calls().map((call) => (call.thisValue as ComprehendClient).config.region()));
    expect(regions).toEqual(['eu-west-1', 'ap-southeast-2']);
  });

  test('one client serves every detect of a detector', async () => {
    const managed = createManagedDetector({ service: 'comprehend', region: 'eu-west-1' });
    await managed.detect(['Jane Doe']);
    await managed.detect(['José Álvarez']);
    const [first, second] = comprehend.calls().map((call) => call.thisValue as ComprehendClient);
    expect(first).toBeDefined();
    expect(second).toBe(first);
  });
});
