/** What the data-protection bench runs, bundled as one module (see importBundled). */
export { createPolicyCache } from '../../lambda/governance/policy-cache';
export { silentLogger } from '../../lambda/logging/logger';
export { createPiiStage } from '../../lambda/pii/pii-stage';
export { DEFAULT_PII_RULES } from '../../lambda/pii/policy';
export { Triggers } from '../../lambda/pii/detectors/triggers';
export { createScanner } from '../../lambda/pii/scanner';
export { createMemoryStores } from '../../test/support/memory-stores';
