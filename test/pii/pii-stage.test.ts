import type { Admission, RecordAnnotation, StageInput } from '../../lambda/core/stage';
import { GatewayError } from '../../lambda/errors/gateway-error';
import { createPolicyCache } from '../../lambda/governance/policy-cache';
import { silentLogger } from '../../lambda/logging/logger';
import { createPiiStage } from '../../lambda/pii/pii-stage';
import type { Finding, ManagedDetector } from '../../lambda/pii/types';
import { config, stageInput } from '../governance/governance-fixture';
import { createMemoryStores } from '../support/memory-stores';

const CARD = '4539 1488 0343 6467';

function input(text: string, notes: RecordAnnotation[]): StageInput {
  const base = stageInput({ canonical: { messages: [{ role: 'user', content: [{ type: 'text', text }] }] } });
  return { ...base, call: { ...base.call, body: { messages: [{ role: 'user', content: text }] } }, annotate: (note) => notes.push(note) };
}

function stage(managed?: ManagedDetector, pii: NonNullable<typeof config.pii> = {}) {
  const policies = createPolicyCache(createMemoryStores().policies, { ttlMs: 1000 });
  return createPiiStage({ config: { ...config, pii: { ...pii, ...(managed === undefined ? {} : { managed: { service: 'comprehend' } }) } }, policies, logger: silentLogger, ...(managed === undefined ? {} : { managed }) });
}

/** A managed detector that finds `name` wherever it occurs, or fails. */
function managedFinding(name: string, fail = false): ManagedDetector & { calls: number } {
  const detector = {
    calls: 0,
    async detect(texts: readonly string[]): Promise<Finding[][]> {
      detector.calls += 1;
      if (fail) throw new Error('comprehend failed (ThrottlingException, 400)');
      return texts.map((text) => {
        const at = text.indexOf(name);
        return at < 0 ? [] : [{ type: 'person_name', start: at, end: at + name.length }];
      });
    },
  };
  return detector;
}

async function rewrittenText(admission: Admission, call: StageInput['call']): Promise<string> {
  const rewritten = admission.rewriteCall?.(call) ?? call;
  return JSON.stringify([rewritten.body, rewritten.canonical]);
}

describe('the data-protection stage', () => {
  it('redacts in the body and the canonical request, and restores through the answer rewriter', async () => {
    const notes: RecordAnnotation[] = [];
    const request = input(`card ${CARD}`, notes);
    const admission = await stage().admit(request);
    const text = await rewrittenText(admission, request.call);
    expect(text).not.toContain('4539');
    expect(text.match(/\[PAYMENT_CARD_1\]/g)).toHaveLength(2);
    expect(admission.answer?.json('{"choices":[{"message":{"content":"[PAYMENT_CARD_1]"}}]}', 'openai-chat')).toContain(CARD);
    expect(notes).toEqual([{ pii: { found: { payment_card: 1 }, action: 'redact', redacted: 1, skippedParts: 0 } }]);
  });

  it('admits untouched, and records nothing, when nothing is found', async () => {
    const notes: RecordAnnotation[] = [];
    expect(await stage().admit(input('hello there', notes))).toEqual({});
    expect(notes).toEqual([]);
  });

  it('adds what managed detection finds, a checked pattern winning where both match', async () => {
    const notes: RecordAnnotation[] = [];
    const managed = managedFinding('Ada Lovelace');
    const piiStage = stage(managed, { rules: { person_name: { action: 'redact' } } });
    const request = input(`Ada Lovelace paid with ${CARD}`, notes);
    const admission = await piiStage.admit(request);
    expect(await rewrittenText(admission, request.call)).toContain('[PERSON_NAME_1] paid with [PAYMENT_CARD_1]');
    expect(notes[0]?.pii?.found).toEqual({ person_name: 1, payment_card: 1 });
  });

  it('does not call the service when no managed type is enabled', async () => {
    const managed = managedFinding('Ada');
    await stage(managed, { rules: { person_name: { action: 'off' }, postal_address: { action: 'off' } } }).admit(input('Ada', []));
    expect(managed.calls).toBe(0);
  });

  it('goes on without the service when it only counts, and refuses (503) when it must redact', async () => {
    const counting = stage(managedFinding('Ada', true));
    await expect(counting.admit(input('Ada', []))).resolves.toEqual({});
    const redacting = stage(managedFinding('Ada', true), { rules: { person_name: { action: 'redact' } } });
    const refusal = await redacting.admit(input('Ada', [])).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GatewayError);
    expect(refusal).toMatchObject({ status: 503, code: 'pii_detection_unavailable' });
  });

  it('blocks naming types and counts, and records the block', async () => {
    const notes: RecordAnnotation[] = [];
    const key = 'AKIA4XNQ7ZK2LPRW3TUV';
    const refusal = await stage().admit(input(`aws ${key} and ${key}`, notes)).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ status: 400, code: 'pii_blocked' });
    expect((refusal as Error).message).toContain('aws_access_key (2)');
    expect((refusal as Error).message).not.toContain(key);
    expect(notes[0]?.pii?.action).toBe('block');
  });
});
