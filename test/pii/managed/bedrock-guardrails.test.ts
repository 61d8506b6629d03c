import {
  AccessDeniedException,
  ApplyGuardrailCommand,
  BedrockRuntimeClient,
  type ApplyGuardrailCommandInput,
  type ApplyGuardrailCommandOutput,
  type GuardrailPiiEntityFilter,
} from '@aws-sdk/client-bedrock-runtime';
import { createManagedDetector, ManagedDetectionError } from '../../../lambda/pii/managed';
import type { Finding } from '../../../lambda/pii/types';
import { bedrock, bedrockClient as client, GUARDRAIL_CONFIG as CONFIG } from './fake-bedrock';


/** What the fake guardrail knows: value and Guardrails type. */
const KNOWN: ReadonlyArray<readonly [string, string]> = [
  ['Ann', 'NAME'],
  ['Jane Doe', 'NAME'],
  ['12 Main St, Springfield', 'ADDRESS'],
  ['jane@example.com', 'EMAIL'],
];

function texts(input: ApplyGuardrailCommandInput): string[] {
  return (input.content ?? []).map((block) => block.text?.text ?? '');
}

/** Answers as Guardrails does: each detected entity's text and type, once per occurrence, no offsets, no block index. */
function fakeApply(input: ApplyGuardrailCommandInput): Pick<ApplyGuardrailCommandOutput, 'assessments' | 'action'> {
  const piiEntities: GuardrailPiiEntityFilter[] = [];
  for (const text of texts(input)) {
    for (const [value, type] of KNOWN) {
      for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) {
        piiEntities.push({ match: value, type: type as GuardrailPiiEntityFilter['type'], action: 'ANONYMIZED', detected: true });
      }
    }
  }
  return { action: piiEntities.length > 0 ? 'GUARDRAIL_INTERVENED' : 'NONE', assessments: [{ sensitiveInformationPolicy: { piiEntities, regexes: [] } }] };
}

const detector = () => createManagedDetector(CONFIG, { bedrock: client });
const values = (text: string, findings: readonly Finding[]): string[] => findings.map((f) => `${f.type}@${f.start}:${text.slice(f.start, f.end)}`);
const inputs = (): ApplyGuardrailCommandInput[] => bedrock.commandCalls(ApplyGuardrailCommand).map((call) => call.args[0].input);

beforeEach(() => {
  bedrock.reset();
  bedrock.on(ApplyGuardrailCommand).callsFake(fakeApply);
});
afterAll(() => bedrock.restore());

describe('Bedrock Guardrails detector', () => {
  test('applies the configured guardrail version to every non-empty text as INPUT, in one call', async () => {
    await detector().detect(['Hello Jane Doe', '', 'Lives at 12 Main St, Springfield', ' ']);
    expect(inputs()).toEqual([{
      guardrailIdentifier: 'gr0abc123',
      guardrailVersion: '3',
      source: 'INPUT',
      content: [{ text: { text: 'Hello Jane Doe' } }, { text: { text: 'Lives at 12 Main St, Springfield' } }],
    }]);
  });

  test('locates every whole-word occurrence of each match in every text', async () => {
    const batch = ['Ann wrote to Jane Doe.', 'Annual report: Ann and Jane Doe, 12 Main St, Springfield', 'nothing here', 'JoAnn (jane@example.com)'];
    const results = await detector().detect(batch);
    expect(results.map((findings, index) => values(batch[index] ?? '', findings))).toEqual([
      ['person_name@0:Ann', 'person_name@13:Jane Doe'],
      ['person_name@15:Ann', 'person_name@23:Jane Doe', 'postal_address@33:12 Main St, Springfield'],
      [],
      [],
    ]);
  });

  test('ignores entries not detected, types the patterns cover, regexes, and matches not in the text', async () => {
    bedrock.on(ApplyGuardrailCommand).resolves({
      action: 'GUARDRAIL_INTERVENED',
      assessments: [{
        sensitiveInformationPolicy: {
          piiEntities: [
            { match: 'Jane Doe', type: 'NAME', action: 'NONE', detected: false },
            { match: 'jane@example.com', type: 'EMAIL', action: 'ANONYMIZED', detected: true },
            { match: 'Somebody Else', type: 'NAME', action: 'ANONYMIZED', detected: true },
            { match: '', type: 'NAME', action: 'ANONYMIZED', detected: true },
            { match: 'Main St', type: 'ADDRESS', action: 'BLOCKED' },
          ],
          regexes: [{ name: 'employee', match: 'Jane Doe', action: 'ANONYMIZED', detected: true }],
        },
      }],
    });
    const text = 'Jane Doe, jane@example.com, 12 Main St';
    const [findings = []] = await detector().detect([text]);
    expect(values(text, findings)).toEqual(['postal_address@31:Main St']);
  });

  test('offsets are UTF-16 offsets into the text, emoji included', async () => {
    const text = '😀👩‍👩‍👧 Jane Doe 🎉 Jane Doe';
    const [findings = []] = await detector().detect([text]);
    expect(findings.map((f) => text.slice(f.start, f.end))).toEqual(['Jane Doe', 'Jane Doe']);
  });

  test('cuts a request over 100 KB into calls that fit and maps findings back', async () => {
    const long = `${'lorem ipsum '.repeat(12_000)}Jane Doe ${'dolor sit '.repeat(5_000)}Ann`;
    const results = await detector().detect(['Jane Doe first', long]);
    for (const input of inputs()) expect(texts(input).reduce((bytes, text) => bytes + Buffer.byteLength(text), 0)).toBeLessThanOrEqual(100_000);
    expect(inputs().length).toBeGreaterThanOrEqual(2);
    expect(results.map((findings, index) => findings.map((f) => [f.type, (index === 0 ? 'Jane Doe first' : long).slice(f.start, f.end)]))).toEqual([
      [['person_name', 'Jane Doe']],
      [['person_name', 'Jane Doe'], ['person_name', 'Ann']],
    ]);
  });

  test('no texts, no call', async () => {
    expect(await detector().detect([])).toEqual([]);
    expect(await detector().detect(['', '\n'])).toEqual([[], []]);
    expect(bedrock.calls()).toHaveLength(0);
  });
});

describe('Bedrock Guardrails failures and abort', () => {
  test('a service error names the service, its code and status, never the text or the guardrail answer', async () => {
    const prompt = 'Jane Doe at 12 Main St, Springfield';
    bedrock.on(ApplyGuardrailCommand).rejects(new AccessDeniedException({ message: `not allowed to process ${prompt}`, $metadata: { httpStatusCode: 403 } }));
    const error = await detector().detect([prompt]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManagedDetectionError);
    expect((error as Error).message).toBe('managed PII detection failed: Amazon Bedrock ApplyGuardrail answered AccessDeniedException (HTTP 403)');
    expect(`${(error as Error).stack ?? ''} ${JSON.stringify(error)}`).not.toMatch(/Jane|Main St/);
  });

  test('an error whose name is not an identifier is not repeated', async () => {
    bedrock.on(ApplyGuardrailCommand).rejects(Object.assign(new Error('x'), { name: 'Jane Doe said no' }));
    await expect(detector().detect(['Jane Doe'])).rejects.toThrow('answered UnknownError');
  });

  test('an aborted signal rejects with its reason and sends nothing', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(detector().detect(['Jane Doe'], controller.signal)).rejects.toThrow('gone');
    expect(bedrock.calls()).toHaveLength(0);
  });

  test('the abort signal is handed to the SDK call', async () => {
    const controller = new AbortController();
    await detector().detect(['Jane Doe'], controller.signal);
    const handed = (bedrock.call(0).args as unknown[])[1] as { abortSignal: AbortSignal };
    expect(handed.abortSignal.aborted).toBe(false);
    controller.abort();
    expect(handed.abortSignal.aborted).toBe(true);
  });
});

describe('Bedrock Runtime client', () => {
  test('runs in the configured region, else the region of a guardrail ARN, else the default region', async () => {
    const arn = 'arn:aws:bedrock:eu-central-1:123456789012:guardrail/gr0abc123';
    await createManagedDetector({ ...CONFIG, region: 'eu-west-3' }, { defaultRegion: 'us-east-1' }).detect(['Ann']);
    await createManagedDetector({ ...CONFIG, guardrailId: arn }, { defaultRegion: 'us-east-1' }).detect(['Ann']);
    await createManagedDetector(CONFIG, { defaultRegion: 'us-west-2' }).detect(['Ann']);
    const regions = await Promise.all(bedrock.calls().map((call) => (call.thisValue as BedrockRuntimeClient).config.region()));
    expect(regions).toEqual(['eu-west-3', 'eu-central-1', 'us-west-2']);
    expect(inputs()[1]?.guardrailIdentifier).toBe(arn);
  });
});
