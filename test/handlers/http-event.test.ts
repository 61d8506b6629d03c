import { PayloadTooLargeError } from '../../lambda/errors/gateway-error';
import { errorFormatForPath } from '../../lambda/errors/serialize';
import { eventHeaders, toInboundRequest } from '../../lambda/handlers/http-event';
import { apiGatewayEvent } from './events';

const signal = new AbortController().signal;
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('toInboundRequest', () => {
  it('lower-cases header names and joins repeated headers with ", "', () => {
    const request = toInboundRequest(
      apiGatewayEvent({ headers: { Authorization: ['Bearer k'], 'X-Forwarded-For': ['1.1.1.1', '2.2.2.2'], Cookie: ['a=1', 'b=2'] } }),
      { maxBodyBytes: 100, signal },
    );
    expect(request.headers).toEqual({ authorization: 'Bearer k', 'x-forwarded-for': '1.1.1.1, 2.2.2.2', cookie: 'a=1; b=2' });
  });

  it('falls back to single-value headers and merges names that differ only in case', () => {
    expect(eventHeaders({ headers: { 'Content-Type': 'application/json' }, multiValueHeaders: {} })).toEqual({ 'content-type': 'application/json' });
    expect(eventHeaders({ headers: {}, multiValueHeaders: { Accept: ['a'], accept: ['b'] } })).toEqual({ accept: 'a, b' });
  });

  it('keeps the method, the stage-less path and every query value', () => {
    const request = toInboundRequest(
      apiGatewayEvent({ method: 'get', path: '/v1/models', stage: 'prod', query: { beta: ['true'], tag: ['a', 'b c'] } }),
      { maxBodyBytes: 100, signal },
    );
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/v1/models');
    expect(request.query.get('beta')).toBe('true');
    expect(request.query.getAll('tag')).toEqual(['a', 'b c']);
  });

  it('uses single-value query parameters when API Gateway sent no multi-value ones', () => {
    const event = { ...apiGatewayEvent(), queryStringParameters: { limit: '5' }, multiValueQueryStringParameters: null };
    expect(toInboundRequest(event, { maxBodyBytes: 100, signal }).query.toString()).toBe('limit=5');
  });

  it('decodes base64 bodies and passes text bodies through as UTF-8', () => {
    const json = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"héllo"}]}';
    const base64 = toInboundRequest(apiGatewayEvent({ body: Buffer.from(json).toString('base64'), isBase64Encoded: true }), { maxBodyBytes: 1000, signal });
    const plain = toInboundRequest(apiGatewayEvent({ body: json }), { maxBodyBytes: 1000, signal });
    expect(text(base64.body)).toBe(json);
    expect(text(plain.body)).toBe(json);
    expect(toInboundRequest(apiGatewayEvent({ body: null }), { maxBodyBytes: 10, signal }).body).toHaveLength(0);
  });

  it('measures the decoded size against the limit, before decoding', () => {
    const body = 'x'.repeat(11);
    expect(() => toInboundRequest(apiGatewayEvent({ body }), { maxBodyBytes: 10, signal })).toThrow(PayloadTooLargeError);
    // 'é' is two bytes: six characters are twelve bytes.
    expect(() => toInboundRequest(apiGatewayEvent({ body: 'é'.repeat(6) }), { maxBodyBytes: 11, signal })).toThrow(PayloadTooLargeError);
    // 12 base64 characters decode to 9 bytes, which fits.
    const nineBytes = Buffer.alloc(9, 1).toString('base64');
    expect(toInboundRequest(apiGatewayEvent({ body: nineBytes, isBase64Encoded: true }), { maxBodyBytes: 9, signal }).body).toHaveLength(9);
  });

  it('carries the signal and the receive time', () => {
    const controller = new AbortController();
    const request = toInboundRequest(apiGatewayEvent(), { maxBodyBytes: 10, signal: controller.signal, receivedAt: 42 });
    expect(request.signal).toBe(controller.signal);
    expect(request.receivedAt).toBe(42);
    const before = performance.now();
    expect(toInboundRequest(apiGatewayEvent(), { maxBodyBytes: 10, signal }).receivedAt).toBeGreaterThanOrEqual(before);
  });

  it('answers pre-app errors in Anthropic shape on its paths only', () => {
    expect(errorFormatForPath('/v1/messages')).toBe('anthropic');
    expect(errorFormatForPath('/v1/messages/count_tokens')).toBe('anthropic');
    expect(errorFormatForPath('/v1/chat/completions')).toBe('openai');
  });
});
