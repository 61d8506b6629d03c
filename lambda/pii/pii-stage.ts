import type { GatewayConfig } from '../config/gateway-config';
import type { Admission, Stage } from '../core/stage';
import { PiiBlockedError, ServiceUnavailableError } from '../errors/gateway-error';
import type { PolicyCache, ScopedPolicy } from '../governance/policy-cache';
import type { Logger } from '../logging/logger';
import { inspect } from './inspection';
import { configuredPiiRules, type EffectiveRules, effectiveRules } from './policy';
import { promptTexts, type PromptText } from './prompt-texts';
import { redactRequest } from './redaction';
import { cachedScanner } from './scan-cache';
import { createAnswerRestorer } from './restore';
import { createScanner } from './scanner';
import { type Finding, MANAGED_PII_TYPES, type ManagedDetector, PATTERN_PII_TYPES, type PiiScanner } from './types';

export interface PiiStageDeps {
  readonly config: GatewayConfig;
  /** Shared with budgets and rate limits: one request reads its scopes' policies once. */
  readonly policies: PolicyCache;
  readonly logger: Logger;
  /** Finds names and postal addresses through a service; absent = off (the default). */
  readonly managed?: ManagedDetector;
}

/**
 * Distinct sets of enabled types a gateway keeps a scanner (and its scan cache) for: one per policy
 * shape in use, usually one or two; at most 16 × 4 MiB of cached text.
 */
const MAX_SCANNERS = 16;

/** Scanners by the set of types they look for: compiled once per set, not per request. */
function scannerCache(config: GatewayConfig): (types: ReadonlySet<string>) => PiiScanner {
  const custom = config.pii?.custom ?? [];
  const scanners = new Map<string, PiiScanner>();
  return (types) => {
    const key = [...types].sort().join(',');
    let scanner = scanners.get(key);
    if (scanner === undefined) {
      if (scanners.size >= MAX_SCANNERS) scanners.clear();
      scanner = cachedScanner(createScanner({ types, custom }));
      scanners.set(key, scanner);
    }
    return scanner;
  };
}

function overlapsAny(finding: Finding, others: readonly Finding[]): boolean {
  return others.some((other) => finding.start < other.end && other.start < finding.end);
}

/**
 * Data protection as a stage: scans every piece of prompt text (read from the canonical request, so
 * every inbound API alike), then per type does what the principal's rules say — counts it, replaces it
 * with a typed placeholder (and puts the original back into the answer), or refuses the call before
 * any provider sees it. Only counts per type ever leave the stage (usage record, metrics); values never.
 */
export function createPiiStage(deps: PiiStageDeps): Stage {
  const configured = configuredPiiRules(deps.config);
  const patternTypes = [...PATTERN_PII_TYPES, ...(deps.config.pii?.custom ?? []).map((pattern) => pattern.name)];
  const managedTypes: readonly string[] = deps.managed === undefined ? [] : MANAGED_PII_TYPES;
  const allTypes = [...patternTypes, ...managedTypes];
  const scannerFor = scannerCache(deps.config);
  // The policy cache hands out the same array while a principal's policies are unchanged, so the
  // rules and the scanner are worked out once per policy change, not once per request.
  const resolved = new WeakMap<readonly ScopedPolicy[], { rules: EffectiveRules; scanner: PiiScanner }>();
  function resolve(scoped: readonly ScopedPolicy[]): { rules: EffectiveRules; scanner: PiiScanner } {
    let entry = resolved.get(scoped);
    if (entry === undefined) {
      const rules = effectiveRules(configured, scoped, allTypes);
      entry = { rules, scanner: scannerFor(new Set(patternTypes.filter((type) => rules.enabled.has(type)))) };
      resolved.set(scoped, entry);
    }
    return entry;
  }

  async function managedFindings(texts: readonly PromptText[], rules: EffectiveRules, signal: AbortSignal): Promise<Finding[][] | undefined> {
    const wanted = managedTypes.filter((type) => rules.enabled.has(type));
    if (deps.managed === undefined || wanted.length === 0 || texts.length === 0) return undefined;
    try {
      const found = await deps.managed.detect(texts.map((text) => text.text), signal);
      return found.map((findings) => findings.filter((finding) => wanted.includes(finding.type)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Counting can do without the service; a rule that redacts or blocks cannot be honoured blind.
      if (wanted.every((type) => rules.ruleFor(type).action === 'log')) {
        deps.logger.warn('pii: managed detection failed; names and addresses were not counted', { error: message });
        return undefined;
      }
      throw new ServiceUnavailableError('Data protection could not check this request (managed detection failed); nothing was sent.', 'pii_detection_unavailable', { cause: error });
    }
  }

  return {
    name: 'pii',
    inspectsContent: true,
    async admit({ call, principal, annotate }): Promise<Admission> {
      const { rules, scanner } = resolve(await deps.policies.policiesOf(principal));
      if (rules.enabled.size === 0) return {};
      const { texts, skippedParts } = promptTexts(call.canonical);
      const managedPending = managedFindings(texts, rules, call.signal);
      const patterns = texts.map((text) => scanner.scan(text.text));
      const managed = await managedPending;
      // Where a pattern and the service both matched, the pattern (a checked format) wins.
      const findings = managed === undefined
        ? patterns
        : patterns.map((own, index) => [...own, ...(managed[index] ?? []).filter((finding) => !overlapsAny(finding, own))]);

      const inspection = inspect(texts, findings, rules, skippedParts);
      if (inspection.summary.action !== 'none' || skippedParts > 0) annotate({ pii: inspection.summary });
      if (Object.keys(inspection.blocked).length > 0) throw new PiiBlockedError(inspection.blocked);
      const { replacer, originals } = inspection;
      if (replacer === undefined) return {};
      return {
        rewriteCall: (current) => redactRequest(current, replacer),
        ...(originals.size === 0 ? {} : { answer: createAnswerRestorer(originals) }),
      };
    },
  };
}
