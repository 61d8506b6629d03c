import { request } from 'node:http';
import { parseSseData, startFakeOpenAi } from './fake-openai';
import { call, json, post, until } from './fake-openai-calls';

function countResources(kind: string): number {
  return process.getActiveResourcesInfo().filter((name) => name === kind).length;
}

describe('fake OpenAI upstream: auth, aborts and shutdown', () => {
  it('requires the configured API key', async () => {
    const fake = await startFakeOpenAi({ apiKey: 'sk-upstream' });
    try {
      const denied = await call(fake, 'GET', '/models');
      expect(denied.status).toBe(401);
      expect(json(denied)).toMatchObject({ error: { code: 'invalid_api_key', type: 'invalid_request_error' } });
      expect((await call(fake, 'GET', '/models', undefined, { authorization: 'Bearer sk-upstream' })).status).toBe(200);
    } finally {
      await fake.close();
    }
  });

  it('counts client aborts but not its own mid-stream drops', async () => {
    const fake = await startFakeOpenAi();
    try {
      const hanging = request(`${fake.baseUrl}/chat/completions`, { method: 'POST', agent: false });
      const hangFailed = new Promise((resolve) => hanging.on('error', resolve));
      hanging.end(JSON.stringify({ model: 'hang', messages: [] }));
      await until(() => fake.requests.length === 1);
      hanging.destroy();
      await hangFailed;
      await until(() => fake.abortedRequests === 1);

      // The first event arrives, then nothing: the client gives up.
      const firstEvent = await new Promise<string>((resolve, reject) => {
        const req = request(`${fake.baseUrl}/chat/completions`, { method: 'POST', agent: false }, (res) => {
          res.once('data', (chunk: Buffer) => {
            resolve(chunk.toString('utf8'));
            req.destroy();
          });
        });
        req.on('error', () => undefined);
        req.on('close', () => reject(new Error('closed before the first event')));
        req.end(JSON.stringify({ model: 'hang-after-first', stream: true, messages: [] }));
      });
      expect(parseSseData(firstEvent)).toHaveLength(1);
      await until(() => fake.abortedRequests === 2);

      const dropped = await post(fake, '/chat/completions', { model: 'drop-mid-stream', stream: true, messages: [] }).then(
        () => 'completed',
        (error: NodeJS.ErrnoException) => error.code,
      );
      expect(dropped).toBe('ECONNRESET');
      expect(fake.abortedRequests).toBe(2);
    } finally {
      await fake.close();
    }
  });

  it('close() ends hanging requests and leaves no open handles', async () => {
    const servers = countResources('TCPServerWrap');
    const sockets = countResources('TCPSocketWrap');
    const fake = await startFakeOpenAi();
    const outcomes = ['hang', 'hang-after-first', 'paced-1000'].map(
      (model) =>
        new Promise<string>((resolve) => {
          const req = request(`${fake.baseUrl}/chat/completions`, { method: 'POST', agent: false }, (res) => {
            res.resume();
            res.on('error', () => resolve('response error'));
            res.on('close', () => resolve('closed'));
          });
          req.on('error', () => resolve('request error'));
          req.end(JSON.stringify({ model, stream: true, messages: [] }));
        }),
    );
    await until(() => fake.requests.length === 3);
    jest.useFakeTimers(); // close() must not depend on the test's timers
    try {
      await fake.close();
      await fake.close(); // idempotent
    } finally {
      jest.useRealTimers();
    }
    // close() resolves only after the listener and its sockets are released.
    expect(countResources('TCPServerWrap')).toBe(servers);
    expect(await Promise.all(outcomes)).toHaveLength(3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(countResources('TCPSocketWrap')).toBeLessThanOrEqual(sockets);
  });
});
