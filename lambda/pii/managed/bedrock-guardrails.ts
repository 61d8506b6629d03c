import type { ApplyGuardrailCommandOutput, BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { Finding, PiiType } from '../types';
import type { BatchDetector } from './batches';
import { managedType, normalizeFindings, occurrences } from './findings';

/** What the Guardrails detector needs of a client: the real `BedrockRuntimeClient`, or a mock of it. */
export type BedrockLike = Pick<BedrockRuntimeClient, 'send'>;

/** The SDK module and a client, loaded on first use. */
export interface BedrockSession {
  readonly sdk: typeof import('./bedrock-sdk');
  readonly client: BedrockLike;
}

export interface GuardrailDetectorOptions {
  /** The guardrail's id, or its ARN (ApplyGuardrail takes either). */
  readonly guardrailId: string;
  /** A published version number or `DRAFT`. */
  readonly guardrailVersion: string;
  readonly session: () => Promise<BedrockSession>;
}

/**
 * One ApplyGuardrail call carries every text block of a request, up to this many bytes of UTF-8; a
 * longer request is cut into several calls (Guardrails bills and throttles per 1,000-character text
 * unit either way, so the cut costs nothing but a round trip).
 */
const MAX_CALL_BYTES = 100_000;

const CONCURRENT_CALLS = 4;

interface GuardrailMatch {
  readonly type: PiiType;
  readonly match: string;
}

/**
 * The managed matches of one answer. Guardrails reports each detected entity's text and type but not
 * where, nor in which block; entries the full output scope marks as not detected are skipped.
 */
export function guardrailMatches(output: Pick<ApplyGuardrailCommandOutput, 'assessments'>): GuardrailMatch[] {
  const seen = new Set<string>();
  const matches: GuardrailMatch[] = [];
  for (const assessment of output.assessments ?? []) {
    for (const entity of assessment.sensitiveInformationPolicy?.piiEntities ?? []) {
      const type = managedType(entity.type);
      const match = entity.match;
      if (type === undefined || entity.detected === false || match === undefined || match.length === 0) continue;
      const key = `${type}\u0000${match}`;
      if (seen.has(key)) continue;
      seen.add(key);
      matches.push({ type, match });
    }
  }
  return matches;
}

/** Every whole-word occurrence of each match in `text`: the same name is the same name wherever it appears. */
export function locateMatches(text: string, matches: readonly GuardrailMatch[]): Finding[] {
  return matches.flatMap(({ type, match }) => occurrences(text, match).map((start) => ({ type, start, end: start + match.length })));
}

/**
 * Locates every value found anywhere in a request in all of its texts. One call used to see a whole
 * request, so a name found in the new message was also located in the history; with the history's
 * answers remembered, the new message is sent alone, and this keeps the two consistent (a name
 * redacted in one message and left in another would not be redacted at all). The values are read
 * from the texts of this request, never remembered.
 */
export function shareValuesAcrossTexts(texts: readonly string[], found: readonly (readonly Finding[])[]): Finding[][] {
  const values = new Map<string, GuardrailMatch>();
  found.forEach((findings, index) => {
    const text = texts[index] ?? '';
    for (const { type, start, end } of findings) {
      const match = text.slice(start, end);
      values.set(`${type}\u0000${match}`, { type, match });
    }
  });
  if (values.size === 0) return found.map((findings) => [...findings]);
  const matches = [...values.values()];
  return texts.map((text, index) => normalizeFindings([...(found[index] ?? []), ...locateMatches(text, matches)]));
}

/** Amazon Bedrock Guardrails `ApplyGuardrail` on the prompt (source INPUT), all chunks of a batch in one call. */
export function guardrailBatchDetector(options: GuardrailDetectorOptions): BatchDetector {
  return {
    service: 'bedrock-guardrails',
    maxChunkBytes: MAX_CALL_BYTES,
    maxBatchBytes: MAX_CALL_BYTES,
    maxBatchChunks: Number.MAX_SAFE_INTEGER,
    concurrency: CONCURRENT_CALLS,
    async detectBatch(chunks, signal) {
      const { sdk, client } = await options.session();
      const command = new sdk.ApplyGuardrailCommand({
        guardrailIdentifier: options.guardrailId,
        guardrailVersion: options.guardrailVersion,
        source: 'INPUT',
        content: chunks.map((text) => ({ text: { text } })),
      });
      const matches = guardrailMatches(await client.send(command, { abortSignal: signal }));
      return chunks.map((text) => locateMatches(text, matches));
    },
  };
}
