import type { CanonicalRequest } from '../../lambda/canonical/request';

/** A minimal canonical request for tests that do not care about its content: one user turn. */
export function canonicalRequest(model: string, overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    model,
    system: [],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    tools: [],
    stop: [],
    stream: false,
    streamIncludeUsage: false,
    sameFormatOnly: [],
    ...overrides,
  };
}
