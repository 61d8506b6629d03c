import type { ComprehendClient, DetectPiiEntitiesCommandOutput, LanguageCode } from '@aws-sdk/client-comprehend';
import type { Finding } from '../types';
import type { BatchDetector } from './batches';
import { codePointOffsets } from './chunks';
import { managedType } from './findings';

/** What the Comprehend detector needs of a client: the real `ComprehendClient`, or a mock of it. */
export type ComprehendLike = Pick<ComprehendClient, 'send'>;

/** The SDK module and a client, loaded on first use. */
export interface ComprehendSession {
  readonly sdk: typeof import('./comprehend-sdk');
  readonly client: ComprehendLike;
}

export interface ComprehendDetectorOptions {
  readonly languageCode: string;
  readonly minScore: number;
  readonly session: () => Promise<ComprehendSession>;
}

/**
 * DetectPiiEntities takes one text of at most 100 KB of UTF-8 per call. 100 KB is read as 100,000
 * bytes, the smaller of its two readings.
 */
const MAX_TEXT_BYTES = 100_000;

/** Calls in flight at once for one request: a 50 KB prompt is one call, a 1 MB one finishes in three rounds. */
const CONCURRENT_CALLS = 4;

/**
 * Maps one answer to findings in UTF-16 units. Comprehend counts offsets in code points (its API
 * reference: a multi-byte character is one position) and its end offset is exclusive; an entity whose
 * offsets do not fit the text is dropped rather than guessed at.
 */
export function comprehendFindings(text: string, output: Pick<DetectPiiEntitiesCommandOutput, 'Entities'>, minScore: number): Finding[] {
  const toUtf16 = codePointOffsets(text);
  const findings: Finding[] = [];
  for (const entity of output.Entities ?? []) {
    const type = managedType(entity.Type);
    if (type === undefined || (entity.Score ?? 0) < minScore) continue;
    const start = entity.BeginOffset === undefined ? undefined : toUtf16(entity.BeginOffset);
    const end = entity.EndOffset === undefined ? undefined : toUtf16(entity.EndOffset);
    if (start === undefined || end === undefined || end <= start) continue;
    findings.push({ type, start, end });
  }
  return findings;
}

/** Amazon Comprehend `DetectPiiEntities`, one chunk per call. */
export function comprehendBatchDetector(options: ComprehendDetectorOptions): BatchDetector {
  return {
    service: 'comprehend',
    maxChunkBytes: MAX_TEXT_BYTES,
    maxBatchBytes: MAX_TEXT_BYTES,
    maxBatchChunks: 1,
    concurrency: CONCURRENT_CALLS,
    async detectBatch(chunks, signal) {
      const { sdk, client } = await options.session();
      return Promise.all(
        chunks.map(async (text) => {
          const command = new sdk.DetectPiiEntitiesCommand({ Text: text, LanguageCode: options.languageCode as LanguageCode });
          const output = await client.send(command, { abortSignal: signal });
          return comprehendFindings(text, output, options.minScore);
        }),
      );
    },
  };
}
