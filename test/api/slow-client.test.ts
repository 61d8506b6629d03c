import { request, type IncomingMessage } from 'node:http';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { PRICE, useHarness, usageRecords } from '../support/gateway-harness';

/**
 * A slow client reads the first chunk of a long stream, stops reading (the gateway's socket fills and it
 * waits for `drain` with the stream paused between chunks), then goes away. Exactly one usage record
 * must still be written.
 */
const harness = useHarness({
  config: (upstream) => parseGatewayConfig({
    providers: { fake: { type: 'openai', baseUrl: upstream, apiKey: { env: 'FAKE_OPENAI_KEY' } } },
    // 16 MiB of content: far more than the socket buffers between the gateway and a client that stopped reading.
    models: { 'gpt-big': { provider: 'fake', model: 'big-16384', price: PRICE } },
  }),
});

it('writes exactly one client_aborted record when a slow client leaves mid-stream', async () => {
  const url = new URL(`${harness().baseUrl}/chat/completions`);
  const body = JSON.stringify({ model: 'gpt-big', messages: [{ role: 'user', content: 'hi' }], stream: true });
  const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${harness().key}`, 'content-type': 'application/json' } });
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve).on('error', reject);
    req.end(body);
  });
  expect(response.statusCode).toBe(200);
  await new Promise((resolve) => response.once('data', resolve));
  response.pause();
  // Long enough for the buffers to fill and the gateway to block on the client.
  await new Promise((resolve) => setTimeout(resolve, 400));
  req.destroy();
  const deadline = Date.now() + 5000;
  while ((await usageRecords(harness())).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const records = await usageRecords(harness());
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ status: 'client_aborted', streamed: true, usageEstimated: true });
});
