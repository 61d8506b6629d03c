import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic';
import { ADMIN_TOKEN, useHarness, usageRecords } from '../support/gateway-harness';
import { ANTHROPIC_KEY, CARD, capturingLogger, EMAIL, IBAN, logLines, OPENAI_KEY, piiConfig, streamedText, UPSTREAM_KEY } from './pii-support';

/**
 * Data protection through the real HTTP path of the local gateway, against fake providers that record
 * what they received: redacted values never reach a provider, blocked requests reach none, restored
 * values reach the caller intact in every inbound format, streamed or not, natively or translated.
 */
let anthropic: FakeAnthropic;
beforeAll(async () => {
  anthropic = await startFakeAnthropic({ apiKey: ANTHROPIC_KEY });
});
afterAll(async () => {
  await anthropic.close();
});
beforeEach(() => {
  anthropic.reset();
});

const harness = useHarness({
  config: (upstream) => piiConfig(upstream, anthropic.baseUrl),
  secrets: async (provider) => (provider === 'claude' ? ANTHROPIC_KEY : UPSTREAM_KEY),
  logger: capturingLogger,
});

/** Everything any provider received, as text. */
function upstreamSaw(): string {
  return JSON.stringify([harness().upstream.requests.map((request) => request.body), anthropic.requests.map((request) => request.body)]);
}

type Inbound = 'chat' | 'responses' | 'messages' | 'completions';

function request(inbound: Inbound, model: string, prompt: string, stream: boolean): { path: string; body: Record<string, unknown> } {
  switch (inbound) {
    case 'chat':
      return { path: '/chat/completions', body: { model, stream, messages: [{ role: 'user', content: prompt }] } };
    case 'responses':
      return { path: '/responses', body: { model, stream, input: prompt, store: false } };
    case 'messages':
      return { path: '/messages', body: { model, stream, max_tokens: 512, messages: [{ role: 'user', content: prompt }] } };
    case 'completions':
      return { path: '/completions', body: { model, stream, prompt } };
  }
}

/** The answer text the caller sees, from the JSON body of each format. */
function jsonText(inbound: Inbound, body: Record<string, unknown>): string {
  switch (inbound) {
    case 'chat':
      return String((body.choices as { message: { content: string } }[])[0]?.message.content);
    case 'completions':
      return String((body.choices as { text: string }[])[0]?.text);
    case 'responses':
      return (body.output as { type: string; content?: { text: string }[] }[]).filter((item) => item.type === 'message')
        .flatMap((item) => item.content ?? []).map((part) => part.text).join('');
    case 'messages':
      return (body.content as { type: string; text?: string }[]).map((block) => block.text ?? '').join('');
  }
}

const PROMPT = `Charge card ${CARD} and refund to ${IBAN}; the card again: ${CARD}.`;

const ROUTES: readonly [Inbound, string][] = [
  ['chat', 'chat-echo'], ['chat', 'claude-echo'],
  ['completions', 'chat-echo'],
  ['responses', 'responses-echo'], ['responses', 'claude-echo'],
  ['messages', 'claude-echo'], ['messages', 'chat-echo'],
];

describe.each(ROUTES)('redact and restore: %s → %s', (inbound, model) => {
  it.each([false, true])('stream %s: the provider sees placeholders, the caller its own values', async (stream) => {
    const { path, body } = request(inbound, model, PROMPT, stream);
    const response = await harness().post(path, body);
    expect(response.status).toBe(200);
    const text = stream ? streamedText(await response.text()) : jsonText(inbound, await response.json() as Record<string, unknown>);
    expect(text).toBe(PROMPT);
    const seen = upstreamSaw();
    expect(seen).not.toContain('4539');
    expect(seen).not.toContain('3704');
    expect(seen).toContain('[PAYMENT_CARD_1] and refund to [IBAN_1]; the card again: [PAYMENT_CARD_1]');
    const [record] = await usageRecords(harness());
    expect(record?.pii).toEqual({ found: { payment_card: 2, iban: 1 }, action: 'redact', redacted: 3, skippedParts: 0 });
  });
});

describe('block', () => {
  it('refuses a credential with 400 pii_blocked in the OpenAI shape, naming the type, never the value', async () => {
    const response = await harness().post('/chat/completions', { model: 'chat-echo', messages: [{ role: 'user', content: `use ${OPENAI_KEY} please` }] });
    expect(response.status).toBe(400);
    const body = await response.json() as { error: { code: string; type: string; message: string } };
    expect(body.error).toMatchObject({ code: 'pii_blocked', type: 'invalid_request_error' });
    expect(body.error.message).toContain('api_key (1)');
    expect(JSON.stringify(body)).not.toContain(OPENAI_KEY);
    expect(harness().upstream.requests).toHaveLength(0);
    const [record] = await usageRecords(harness());
    expect(record).toMatchObject({ httpStatus: 400, errorCode: 'pii_blocked', pii: { found: { api_key: 1 }, action: 'block', redacted: 0 } });
  });

  it('refuses in the Anthropic shape on /v1/messages, streamed or not', async () => {
    for (const stream of [false, true]) {
      const response = await harness().post('/messages', { model: 'claude-echo', stream, max_tokens: 10, messages: [{ role: 'user', content: `key: ${OPENAI_KEY}` }] });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    }
    expect(anthropic.requests).toHaveLength(0);
  });

  it('answers count_tokens from the local estimate instead of sending a blocked prompt', async () => {
    const response = await harness().post('/messages/count_tokens', { model: 'claude-plain', messages: [{ role: 'user', content: `key: ${OPENAI_KEY}` }] });
    expect(response.status).toBe(200);
    expect((await response.json() as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
    expect(anthropic.requests).toHaveLength(0);
  });
});

describe('log', () => {
  it('passes an email through and records only its count', async () => {
    const response = await harness().post('/chat/completions', { model: 'chat-echo', messages: [{ role: 'user', content: `write to ${EMAIL}` }] });
    expect(response.status).toBe(200);
    expect(upstreamSaw()).toContain(EMAIL);
    const [record] = await usageRecords(harness());
    expect(record?.pii).toEqual({ found: { email: 1 }, action: 'log', redacted: 0, skippedParts: 0 });
  });

  it('skips images and says so in the record', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const content = [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }];
    await harness().post('/chat/completions', { model: 'chat-echo', messages: [{ role: 'user', content }] });
    const [record] = await usageRecords(harness());
    expect(record?.pii).toEqual({ found: {}, action: 'none', redacted: 0, skippedParts: 1 });
  });
});

describe('policies per team and key', () => {
  async function admin(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${harness().gateway.url}/admin/v1${path}`, {
      method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  beforeAll(async () => {
    // The seeded key's team exists only as an id; policies are set on known teams.
    await harness().stores.teams.createTeam({ id: 'team_test', name: 'test', createdAt: new Date().toISOString() });
  });

  afterEach(async () => {
    await admin('DELETE', `/pii/key/${harness().keyId}`);
    await admin('DELETE', '/pii/team/team_test');
  });

  it('a team rule redacts emails; the key rule beats it and blocks them; removing both restores the default', async () => {
    const ask = () => harness().post('/chat/completions', { model: 'chat-echo', messages: [{ role: 'user', content: `mail ${EMAIL}` }] });
    expect((await admin('PUT', '/pii/team/team_test', { rules: { email: 'redact' } })).status).toBe(200);
    const redacted = await ask();
    expect(((await redacted.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('mail [EMAIL_1]');
    expect(upstreamSaw()).not.toContain(EMAIL);

    expect((await admin('PUT', `/pii/key/${harness().keyId}`, { rules: { email: 'block' } })).status).toBe(200);
    expect((await ask()).status).toBe(400);

    await admin('DELETE', `/pii/key/${harness().keyId}`);
    await admin('DELETE', '/pii/team/team_test');
    expect((await ask()).status).toBe(200);
    expect(upstreamSaw()).toContain(EMAIL);
  });
});

describe('off', () => {
  it('a key with `*` off is not scanned: a credential goes through and the record says nothing', async () => {
    const admin = (method: string, body?: unknown): Promise<Response> => fetch(`${harness().gateway.url}/admin/v1/pii/key/${harness().keyId}`, {
      method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect((await admin('PUT', { rules: { '*': 'off' } })).status).toBe(200);
    try {
      const response = await harness().post('/chat/completions', { model: 'chat-echo', messages: [{ role: 'user', content: `use ${OPENAI_KEY}` }] });
      expect(response.status).toBe(200);
      expect(upstreamSaw()).toContain(OPENAI_KEY);
      const [record] = await usageRecords(harness());
      expect(record?.pii).toBeUndefined();
    } finally {
      await admin('DELETE');
    }
  });
});

describe('no leaks of its own', () => {
  it('never writes a value into a log line, a record or an error', async () => {
    await harness().post('/chat/completions', { model: 'chat-echo', messages: [{ role: 'user', content: `${PROMPT} ${EMAIL}` }] });
    await harness().post('/chat/completions', { model: 'chat-echo', messages: [{ role: 'user', content: OPENAI_KEY }] });
    const records = JSON.stringify(await usageRecords(harness()));
    const logs = logLines.join('\n');
    for (const value of [CARD, IBAN, EMAIL, OPENAI_KEY, '4539148803436467']) {
      expect(records).not.toContain(value);
      expect(logs).not.toContain(value);
    }
    expect(logs).toContain('"pii_payment_card":2');
  });
});
