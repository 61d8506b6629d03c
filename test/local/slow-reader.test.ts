import http from 'node:http';
import { useHarness } from '../support/gateway-harness';

/**
 * A long stream to a client that reads slowly makes the server wait for `drain` many times. Each wait
 * must clean up after itself: listeners left on the response pile up (a leak, and Node warns).
 */
const harness = useHarness({
  config: (upstream) => ({
    providers: { fake: { type: 'openai', baseUrl: upstream, apiKey: { env: 'K' } } },
    models: { big: { provider: 'fake', model: 'big-2048', price: { input: 1, output: 1 } } },
  }),
});

it('streams 2 MiB to a slow reader without piling listeners on the response', async () => {
  const responses: http.ServerResponse[] = [];
  const remember = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
    responses.push(res);
  };
  harness().gateway.server.on('request', remember);
  let mostListeners = 0;
  try {
    const url = new URL(`${harness().baseUrl}/chat/completions`);
    const body = JSON.stringify({ model: 'big', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const received = await new Promise<number>((resolve, reject) => {
      const request = http.request(url, {
        method: 'POST', headers: { authorization: `Bearer ${harness().key}`, 'content-type': 'application/json' },
      }, (response) => {
        let bytes = 0;
        // Read in small bites with pauses, so the server's socket buffer fills and it waits for drain.
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (const res of responses) mostListeners = Math.max(mostListeners, res.listenerCount('close'), res.listenerCount('error'));
          response.pause();
          setTimeout(() => response.resume(), 1);
        });
        response.on('end', () => resolve(bytes));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
    expect(received).toBeGreaterThan(2 * 1024 * 1024);
    // Node's own few, plus at most the pair of one pending wait; never one pair per wait.
    expect(mostListeners).toBeLessThan(6);
  } finally {
    harness().gateway.server.off('request', remember);
  }
}, 30_000);
