import {
  ApplyGuardrailCommand,
  type ApplyGuardrailCommandInput,
  type ApplyGuardrailCommandOutput,
  type GuardrailPiiEntityFilter,
} from '@aws-sdk/client-bedrock-runtime';
import { createManagedDetector } from '../../../lambda/pii/managed';
import type { Finding } from '../../../lambda/pii/types';
import { bedrock, bedrockClient as client, GUARDRAIL_CONFIG as CONFIG } from './fake-bedrock';


const blocksOf = (input: ApplyGuardrailCommandInput): string[] => (input.content ?? []).map((block) => block.text?.text ?? '');
const sentBlocks = (): string[][] => bedrock.commandCalls(ApplyGuardrailCommand).map((call) => blocksOf(call.args[0].input));
const located = (texts: readonly string[], results: readonly (readonly Finding[])[]): string[][] =>
  results.map((findings, index) => findings.map((f) => `${f.type}@${f.start}:${(texts[index] ?? '').slice(f.start, f.end)}`));

/**
 * A guardrail that only recognises a name where a sentence introduces it ("my colleague X"): like the
 * real service, it judges by context, so the same name elsewhere may go unflagged.
 */
function contextualApply(input: ApplyGuardrailCommandInput): Pick<ApplyGuardrailCommandOutput, 'assessments' | 'action'> {
  const piiEntities: GuardrailPiiEntityFilter[] = [];
  for (const text of blocksOf(input)) {
    for (const match of text.matchAll(/my colleague (\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+)/gu)) {
      piiEntities.push({ match: match[1], type: 'NAME', action: 'ANONYMIZED', detected: true });
    }
  }
  return { action: piiEntities.length > 0 ? 'GUARDRAIL_INTERVENED' : 'NONE', assessments: [{ sensitiveInformationPolicy: { piiEntities, regexes: [] } }] };
}

beforeEach(() => {
  bedrock.reset();
  bedrock.on(ApplyGuardrailCommand).callsFake(contextualApply);
});
afterAll(() => bedrock.restore());

describe('Guardrails with the result cache', () => {
  const history = ['Summarise the thread.', 'Ann Lee asked for the numbers; Ann Lee will present.'];

  test('a resent conversation sends only its new text', async () => {
    const managed = createManagedDetector(CONFIG, { bedrock: client });
    await managed.detect(history);
    const next = [...history, 'Thanks. Loop in my colleague Bob Stone too.'];
    const results = await managed.detect(next);
    expect(sentBlocks()).toEqual([history, [next[2]]]);
    expect(located(next, results)).toEqual([[], [], ['person_name@29:Bob Stone']]);
  });

  test('a name found in the new text is located in the remembered history too, as when all was sent in one call', async () => {
    const managed = createManagedDetector(CONFIG, { bedrock: client });
    expect(located(history, await managed.detect(history))).toEqual([[], []]);
    const next = [...history, 'For context, my colleague Ann Lee leads finance.'];
    const cached = await managed.detect(next);
    expect(sentBlocks()[1]).toEqual([next[2]]);
    const uncached = await createManagedDetector({ ...CONFIG, cacheMb: 0 }, { bedrock: client }).detect(next);
    expect(located(next, cached)).toEqual(located(next, uncached));
    expect(located(next, cached)).toEqual([[], ['person_name@0:Ann Lee', 'person_name@31:Ann Lee'], ['person_name@26:Ann Lee']]);
  });
});
