import { REDACTED } from '../../lambda/providers/redact-secrets';
import { upstreamStatusError } from '../../lambda/providers/openai/upstream-errors';

/** The most of an error body the gateway reads (64 KiB). */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * What a caller sees when the provider answers with an error: the status, error type, code, param,
 * retry-after and message of the gateway's error, for each class of provider status.
 */
const SECRET = 'provider-secret-value';

function openAiError(fields: Record<string, unknown>): string {
  return JSON.stringify({ error: fields });
}

function mapped(status: number, body: string, headers: Record<string, string> = {}): { status: number; type: string; code: string; message: string; param: string | undefined; headers: Readonly<Record<string, string>> } {
  const error = upstreamStatusError(status, headers, body, 'acme', [SECRET]);
  return { status: error.status, type: error.type, code: error.code, message: error.message, param: error.param, headers: error.headers };
}

describe('upstreamStatusError (mutation: lambda/providers)', () => {
  it.each([
    [400, 'invalid_request_error'],
    [404, 'not_found_error'],
    [409, 'invalid_request_error'],
    [413, 'invalid_request_error'],
    [422, 'invalid_request_error'],
  ])('passes a caller-fixable %i through with its status, type, message, code and param', (status, type) => {
    const error = mapped(status, openAiError({ message: 'bad temperature', code: 'invalid_value', param: 'temperature' }));
    expect(error).toEqual({ status, type, code: 'invalid_value', message: 'bad temperature', param: 'temperature', headers: {} });
  });

  it('uses upstream_invalid_request as the code and no param when the provider gives neither', () => {
    const error = mapped(400, openAiError({ message: 'nope' }));
    expect(error).toMatchObject({ status: 400, code: 'upstream_invalid_request', message: 'nope' });
    expect(error.param).toBeUndefined();
  });

  it('says HTTP <status> when the provider gives no message at all', () => {
    expect(mapped(400, '{"error":{}}').message).toBe('HTTP 400');
    expect(mapped(500, '{"error":{"message":42}}').message).toBe("Provider 'acme' failed with HTTP 500: HTTP 500");
  });

  it.each([401, 403])('turns a provider %i (the gateway\'s own credentials) into 502 upstream_error', (status) => {
    const error = mapped(status, openAiError({ message: `key ${SECRET} invalid` }));
    expect(error).toMatchObject({ status: 502, type: 'api_error', code: 'upstream_error' });
    expect(error.message).toBe(`Provider 'acme' rejected the gateway's credentials (HTTP ${status}).`);
  });

  it.each([402, 405, 408, 418, 500, 503])('turns a provider %i into 502 upstream_error with the provider message', (status) => {
    const error = mapped(status, openAiError({ message: 'overloaded' }));
    expect(error).toMatchObject({ status: 502, code: 'upstream_error', message: `Provider 'acme' failed with HTTP ${status}: overloaded` });
  });

  it('keeps a 429 a 429 with or without retry-after, and passes retry-after on only when given', () => {
    const withRetry = mapped(429, openAiError({ message: 'slow down' }), { 'retry-after': '7' });
    expect(withRetry).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'rate_limited', headers: { 'retry-after': '7' } });
    expect(withRetry.message).toBe("Provider 'acme' is rate limiting: slow down");
    const bare = mapped(429, openAiError({ message: 'slow down' }));
    expect(bare).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(bare.headers).toEqual({});
  });

  it('reads a string error and a non-JSON body as the message', () => {
    expect(mapped(400, '{"error":"plain words"}').message).toBe('plain words');
    expect(mapped(400, 'Bad Gateway from the proxy').message).toBe('Bad Gateway from the proxy');
    expect(mapped(400, '{"error":null}').message).toBe('{"error":null}');
    expect(mapped(400, '{"detail":"x"}').message).toBe('{"detail":"x"}');
    expect(mapped(400, 'null').message).toBe('null');
  });

  it('removes the call\'s credentials from message, code and param before the caller sees them', () => {
    const error = mapped(400, openAiError({ message: `bad key ${SECRET}`, code: `c-${SECRET}`, param: `p-${SECRET}` }));
    expect(error.message).toBe(`bad key ${REDACTED}`);
    expect(error.code).toBe(`c-${REDACTED}`);
    expect(error.param).toBe(`p-${REDACTED}`);
  });

  it('shortens a provider message to 2000 characters', () => {
    const error = mapped(400, openAiError({ message: 'x '.repeat(3000) }));
    expect(error.message).toHaveLength(2000);
  });

  it('reads at most 64 KiB of an error body', () => {
    // A JSON body cut at the limit no longer parses: the message is the raw (shortened) text.
    const padded = openAiError({ message: 'm', pad: 'y'.repeat(MAX_ERROR_BODY) });
    expect(mapped(400, padded).message).toBe(padded.slice(0, 2000));
    const fits = openAiError({ message: 'fits', pad: 'y'.repeat(MAX_ERROR_BODY - 100) });
    expect(mapped(400, fits).message).toBe('fits');
  });
});
