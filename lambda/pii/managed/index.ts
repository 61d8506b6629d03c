import type { ManagedDetectionConfig, ManagedDetector } from '../types';
import { batchedDetector } from './batches';
import { guardrailBatchDetector, shareValuesAcrossTexts, type BedrockLike, type BedrockSession } from './bedrock-guardrails';
import { createChunkCache, type ChunkCache } from './chunk-cache';
import { comprehendBatchDetector, type ComprehendLike, type ComprehendSession } from './comprehend';
import { parseGuardrailArn } from './guardrail-arn';

export { ManagedDetectionError } from './failures';

/**
 * Managed detection: a service finds what patterns cannot (names, postal addresses). The AWS SDK
 * client of the service is loaded with `import()` on the first `detect`, so a gateway that never
 * detects (managed detection off, or no prompt text yet) pays nothing for it at cold start.
 */

export interface ManagedDetectorOptions {
  /** A client to use instead of a new `ComprehendClient` (tests pass a mocked one). */
  readonly comprehend?: ComprehendLike;
  /** A client to use instead of a new `BedrockRuntimeClient`. */
  readonly bedrock?: BedrockLike;
  /** The region when the configuration names none: the gateway's own (`AWS_REGION` on Lambda). */
  readonly defaultRegion?: string;
  /** The clock the result cache's time-to-live reads (tests move it). @default Date.now */
  readonly now?: () => number;
}

/** @see ManagedDetectionConfig */
export const DEFAULT_MANAGED_LANGUAGE_CODE = 'en';
export const DEFAULT_MANAGED_MIN_SCORE = 0.8;
export const DEFAULT_MANAGED_CACHE_MB = 16;
export const DEFAULT_MANAGED_CACHE_TTL_SECONDS = 600;

/**
 * Entries the cache holds per MiB of `cacheMb`: room for chunks of 512 bytes on average (a coding
 * agent's conversation is hundreds of short messages and tool results), at about 220 bytes of heap
 * each — under half of `cacheMb` in all.
 */
const CACHE_ENTRIES_PER_MB = 2048;

/**
 * The detection sits on the request path: a service that does not answer within five seconds fails the
 * detection (the SDK's retries apply on top) rather than hold the caller. Comprehend's client speaks
 * HTTP/1.1 and can also bound the connect; Bedrock Runtime's speaks HTTP/2, where the SDK's own default
 * of one stream per session is kept.
 */
const COMPREHEND_REQUEST_HANDLER = { connectionTimeout: 1000, requestTimeout: 5000 } as const;
const BEDROCK_REQUEST_HANDLER = { requestTimeout: 5000, disableConcurrentStreams: true } as const;

/** Memoises an async factory; a failed attempt is forgotten so the next call tries again. */
function once<T>(create: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= create().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** Without a region the SDK resolves one itself (AWS_REGION, the shared config). */
function clientConfig<H>(region: string | undefined, requestHandler: H): { region?: string; requestHandler: H } {
  return region === undefined ? { requestHandler } : { region, requestHandler };
}

/** One cache per detector: its answers hold for its service, language, score and guardrail only. */
function resultCache(config: ManagedDetectionConfig, now: (() => number) | undefined): ChunkCache | undefined {
  const megabytes = config.cacheMb ?? DEFAULT_MANAGED_CACHE_MB;
  if (megabytes <= 0) return undefined;
  return createChunkCache({
    maxTextBytes: Math.floor(megabytes * 1024 * 1024),
    maxEntries: Math.ceil(megabytes * CACHE_ENTRIES_PER_MB),
    ttlMs: (config.cacheTtlSeconds ?? DEFAULT_MANAGED_CACHE_TTL_SECONDS) * 1000,
    ...(now === undefined ? {} : { now }),
  });
}

/**
 * The detector `config` asks for. Nothing is loaded or connected until the first `detect`.
 *
 * @example
 * // In the Lambda composition root, when config.pii?.managed is set:
 * const managed = createManagedDetector(config.pii.managed, { defaultRegion: process.env.AWS_REGION });
 */
export function createManagedDetector(config: ManagedDetectionConfig, options: ManagedDetectorOptions = {}): ManagedDetector {
  const cache = resultCache(config, options.now);
  switch (config.service) {
    case 'comprehend': {
      const region = config.region ?? options.defaultRegion;
      const session = once(async (): Promise<ComprehendSession> => {
        const { ComprehendClient, DetectPiiEntitiesCommand } = await import('./comprehend-sdk');
        const client = options.comprehend ?? new ComprehendClient(clientConfig(region, COMPREHEND_REQUEST_HANDLER));
        return { sdk: { ComprehendClient, DetectPiiEntitiesCommand }, client };
      });
      return batchedDetector(comprehendBatchDetector({
        languageCode: config.languageCode ?? DEFAULT_MANAGED_LANGUAGE_CODE,
        minScore: config.minScore ?? DEFAULT_MANAGED_MIN_SCORE,
        session,
      }), cache);
    }
    case 'bedrock-guardrails': {
      // A guardrail named by ARN lives in the ARN's region.
      const region = config.region ?? parseGuardrailArn(config.guardrailId)?.region ?? options.defaultRegion;
      const session = once(async (): Promise<BedrockSession> => {
        const { ApplyGuardrailCommand, BedrockRuntimeClient } = await import('./bedrock-sdk');
        const client = options.bedrock ?? new BedrockRuntimeClient(clientConfig(region, BEDROCK_REQUEST_HANDLER));
        return { sdk: { ApplyGuardrailCommand, BedrockRuntimeClient }, client };
      });
      const batched = batchedDetector(guardrailBatchDetector({
        guardrailId: config.guardrailId,
        guardrailVersion: config.guardrailVersion,
        session,
      }), cache);
      return { detect: async (texts, signal) => shareValuesAcrossTexts(texts, await batched.detect(texts, signal)) };
    }
  }
}
