import {
  DELIMITER_LENGTH, LocalResponseStream, PRELUDE_CONTENT_TYPE, installLambdaRuntime, invokeStreaming, parseStreamingResponse,
  uninstallLambdaRuntime,
} from '../support/lambda-runtime';

// The shim must behave like the real runtime, or the handler tests prove nothing.
describe('local Lambda streaming runtime', () => {
  beforeAll(installLambdaRuntime);
  afterAll(uninstallLambdaRuntime);

  it('writes the prelude and 8 NUL bytes lazily, on the first write', async () => {
    const stream = new LocalResponseStream();
    const framed = awslambda.HttpResponseStream.from(stream, { statusCode: 201, headers: { a: 'b' } });
    expect(stream.contentType).toBe(PRELUDE_CONTENT_TYPE);
    expect(stream.recorded).toHaveLength(0);
    framed.write('hello');
    framed.end();
    const wire = Buffer.concat(stream.recorded.map((chunk) => chunk.data));
    expect(wire.toString('latin1')).toBe(`{"statusCode":201,"headers":{"a":"b"}}${'\0'.repeat(DELIMITER_LENGTH)}hello`);
    expect(parseStreamingResponse(wire)).toEqual({ prelude: { statusCode: 201, headers: { a: 'b' } }, body: Buffer.from('hello') });
  });

  it('skips the prelude when end(chunk) comes without an earlier write, as the real runtime does', () => {
    const stream = new LocalResponseStream();
    awslambda.HttpResponseStream.from(stream, { statusCode: 200 }).end('only');
    const wire = Buffer.concat(stream.recorded.map((chunk) => chunk.data));
    expect(wire.toString()).toBe('only');
    expect(parseStreamingResponse(wire).prelude).toBeUndefined();
  });

  it('refuses setContentType after the first write', () => {
    const stream = new LocalResponseStream();
    stream.write('x');
    expect(() => stream.setContentType('text/plain')).toThrow('too late');
  });

  it('invokes only handlers marked by streamifyResponse, passing a response stream', async () => {
    expect(() => invokeStreaming(async () => undefined, {})).toThrow('Not a streaming handler');
    const handler = awslambda.streamifyResponse(async (event: { name: string }, responseStream) => {
      const framed = awslambda.HttpResponseStream.from(responseStream, { statusCode: 200 });
      framed.write(`hi ${event.name}`);
      framed.end();
    });
    const invocation = invokeStreaming(handler, { name: 'ann' });
    expect(await invocation.done).toEqual({ ok: true });
    expect(invocation.prelude).toEqual({ statusCode: 200 });
    expect(invocation.bodyText).toBe('hi ann');
  });
});
