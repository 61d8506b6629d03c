import { createGatewayHandler, type GatewayHandlerOptions } from '../../lambda/handlers/gateway-handler';
import type { InboundRequest } from '../../lambda/http/types';
import { createJsonLogger } from '../../lambda/logging/logger';
import { installLambdaRuntime, invokeStreaming, uninstallLambdaRuntime } from '../support/lambda-runtime';
import { apiGatewayEvent } from './events';
import { fakeApp } from './fake-app';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}


const logLines: string[] = [];
const options: GatewayHandlerOptions = { maxRequestBodyBytes: 1024, logger: createJsonLogger('debug', (line) => logLines.push(line)) };

describe('gateway streaming handler', () => {
  beforeAll(installLambdaRuntime);
  afterAll(uninstallLambdaRuntime);
  beforeEach(() => {
    logLines.length = 0;
  });

  it('frames a buffered answer as JSON prelude, 8 NUL bytes, body; status and headers land in the prelude', async () => {
    const app = fakeApp(() => ({ status: 201, headers: { 'content-type': 'application/json', 'x-request-id': 'req_1' }, body: '{"ok":true}' }));
    const invocation = invokeStreaming(createGatewayHandler(app, options), apiGatewayEvent({ body: '{}' }));
    expect(await invocation.done).toEqual({ ok: true });
    expect(invocation.wire.toString('latin1')).toBe(
      `{"statusCode":201,"headers":{"content-type":"application/json","x-request-id":"req_1"}}${'\0'.repeat(8)}{"ok":true}`,
    );
    expect(invocation.prelude).toEqual({ statusCode: 201, headers: { 'content-type': 'application/json', 'x-request-id': 'req_1' } });
    expect(invocation.bodyText).toBe('{"ok":true}');
  });

  it('sends the prelude even for an empty body (no end(chunk)-only 502)', async () => {
    const app = fakeApp(() => ({ status: 204, headers: { 'x-request-id': 'req_2' }, body: '' }));
    const invocation = invokeStreaming(createGatewayHandler(app, options), apiGatewayEvent());
    await invocation.done;
    expect(invocation.prelude).toEqual({ statusCode: 204, headers: { 'x-request-id': 'req_2' } });
    expect(invocation.bodyText).toBe('');
  });

  it('writes a Uint8Array body as bytes', async () => {
    const app = fakeApp(() => ({ status: 200, headers: {}, body: bytes('héllo') }));
    const invocation = invokeStreaming(createGatewayHandler(app, options), apiGatewayEvent());
    await invocation.done;
    expect(invocation.bodyText).toBe('héllo');
  });

  it('hands the app the converted request', async () => {
    const app = fakeApp(() => ({ status: 200, headers: {}, body: '' }));
    const event = apiGatewayEvent({ path: '/v1/chat/completions', headers: { Authorization: ['Bearer k'] }, body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true });
    await invokeStreaming(createGatewayHandler(app, options), event).done;
    const [request] = app.seen;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer k');
    expect(Buffer.from(request?.body ?? new Uint8Array()).toString()).toBe('{"a":1}');
    expect(request?.signal.aborted).toBe(false);
  });

  it('streams chunk by chunk, in order, writing each before the app produces the next', async () => {
    const gates = [deferred(), deferred()];
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield bytes('data: one\n\n');
      await gates[0]?.promise;
      yield bytes('data: two\n\n');
      await gates[1]?.promise;
      yield bytes('data: [DONE]\n\n');
    }
    const app = fakeApp(() => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: chunks() }));
    const invocation = invokeStreaming(createGatewayHandler(app, options), apiGatewayEvent());

    // If anything buffered, this would time out: the generator cannot go on until the gate opens.
    await invocation.waitForBody((text) => text === 'data: one\n\n');
    expect(invocation.prelude).toEqual({ statusCode: 200, headers: { 'content-type': 'text/event-stream' } });
    gates[0]?.resolve();
    await invocation.waitForBody((text) => text.endsWith('data: two\n\n'));
    expect(invocation.bodyText).toBe('data: one\n\ndata: two\n\n');
    gates[1]?.resolve();

    expect(await invocation.done).toEqual({ ok: true });
    const chunksSeen = invocation.bodyChunks.map((chunk) => chunk.data.toString());
    expect(chunksSeen).toEqual(['data: one\n\n', 'data: two\n\n', 'data: [DONE]\n\n']);
    const times = invocation.bodyChunks.map((chunk) => chunk.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // A normal end is not a disconnect.
    expect(app.seen[0]?.signal.aborted).toBe(false);
  });

  it('on client disconnect aborts the request signal and calls the iterator’s return()', async () => {
    const events: string[] = [];
    let request: InboundRequest | undefined;
    async function* chunks(signal: AbortSignal): AsyncGenerator<Uint8Array> {
      try {
        yield bytes('data: first\n\n');
        // Stands for a slow upstream: only the abort wakes it up.
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        events.push(`upstream woke, aborted=${signal.aborted}`);
        yield bytes('data: never sent\n\n');
        events.push('resumed after a disconnect');
      } finally {
        events.push('finally (metering)');
      }
    }
    const app = fakeApp((seen) => {
      request = seen;
      return { status: 200, headers: { 'content-type': 'text/event-stream' }, body: chunks(seen.signal) };
    });
    const invocation = invokeStreaming(createGatewayHandler(app, options), apiGatewayEvent());
    await invocation.waitForBody((text) => text.includes('first'));

    invocation.disconnect();
    const outcome = await invocation.done;

    expect(request?.signal.aborted).toBe(true);
    expect(events).toEqual(['upstream woke, aborted=true', 'finally (metering)']);
    expect(invocation.bodyText).toBe('data: first\n\n');
    // middy's pipeline reports the early close; the runtime records it as a function error.
    expect(outcome.ok).toBe(false);
  });

  it('calls return() on an iterator that is not a generator', async () => {
    let returned = false;
    let pulls = 0;
    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          pulls += 1;
          if (pulls > 1) await new Promise((resolve) => setTimeout(resolve, 20));
          return { done: false, value: bytes(`chunk ${pulls}\n`) };
        },
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const app = fakeApp(() => ({ status: 200, headers: {}, body }));
    const invocation = invokeStreaming(createGatewayHandler(app, options), apiGatewayEvent());
    await invocation.waitForBody((text) => text.includes('chunk 2'));
    invocation.disconnect();
    await invocation.done;
    expect(returned).toBe(true);
    expect(app.seen[0]?.signal.aborted).toBe(true);
  });

  it('answers an oversized body with an OpenAI-shaped 413 without calling the app', async () => {
    const app = fakeApp(() => ({ status: 200, headers: {}, body: '' }));
    const invocation = invokeStreaming(createGatewayHandler(app, options), apiGatewayEvent({ body: 'x'.repeat(1025) }));
    expect(await invocation.done).toEqual({ ok: true });
    expect(app.seen).toHaveLength(0);
    expect(invocation.prelude).toMatchObject({ statusCode: 413, headers: { 'content-type': 'application/json' } });
    const body: unknown = JSON.parse(invocation.bodyText);
    expect(body).toEqual({
      error: { message: 'Request body exceeds the limit of 1024 bytes.', type: 'invalid_request_error', param: null, code: 'payload_too_large' },
    });
  });

  it('answers an oversized Anthropic request in Anthropic shape', async () => {
    const app = fakeApp(() => ({ status: 200, headers: {}, body: '' }));
    const invocation = invokeStreaming(createGatewayHandler(app, options), apiGatewayEvent({ path: '/v1/messages', body: 'x'.repeat(2000) }));
    await invocation.done;
    expect(JSON.parse(invocation.bodyText)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', code: 'payload_too_large' } });
  });

  it('turns an app that throws into a logged JSON 500', async () => {
    const app = fakeApp(() => {
      throw new Error('boom');
    });
    const invocation = invokeStreaming(createGatewayHandler(app, options), apiGatewayEvent());
    expect(await invocation.done).toEqual({ ok: true });
    expect(invocation.prelude).toMatchObject({ statusCode: 500 });
    expect(JSON.parse(invocation.bodyText)).toMatchObject({ error: { code: 'internal_error' } });
    expect(logLines.join('')).toContain('gateway app threw');
  });

  it('waits for background work after the body is out and before the invocation ends', async () => {
    const order: string[] = [];
    const app = fakeApp(() => ({ status: 200, headers: {}, body: 'done' }));
    const drain = async (): Promise<void> => {
      order.push(`drain starts, body=${invocation.bodyText}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push('drain ends');
    };
    const invocation = invokeStreaming(createGatewayHandler(app, { ...options, drain }), apiGatewayEvent());
    await invocation.done;
    order.push('invocation done');
    expect(order).toEqual(['drain starts, body=done', 'drain ends', 'invocation done']);
  });

  it('logs a failing drain instead of failing the invocation', async () => {
    const app = fakeApp(() => ({ status: 200, headers: {}, body: 'ok' }));
    const drain = (): Promise<void> => Promise.reject(new Error('dynamo down'));
    const invocation = invokeStreaming(createGatewayHandler(app, { ...options, drain }), apiGatewayEvent());
    expect(await invocation.done).toEqual({ ok: true });
    expect(logLines.join('')).toContain('background work failed');
  });

  it('aborts a stream shortly before the Lambda deadline so metering can finish', async () => {
    async function* chunks(signal: AbortSignal): AsyncGenerator<Uint8Array> {
      yield bytes('data: partial\n\n');
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      // The core would emit an error event and meter here; the stream still ends cleanly.
      yield bytes(`data: {"error":"${String((signal.reason as DOMException).name)}"}\n\n`);
    }
    const app = fakeApp((request) => ({ status: 200, headers: {}, body: chunks(request.signal) }));
    const handler = createGatewayHandler(app, { ...options, deadlineMarginMs: 1000 });
    const started = performance.now();
    const invocation = invokeStreaming(handler, apiGatewayEvent(), { remainingTimeMs: 1050 });
    expect(await invocation.done).toEqual({ ok: true });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(invocation.bodyText).toBe('data: partial\n\ndata: {"error":"TimeoutError"}\n\n');
  });
});
