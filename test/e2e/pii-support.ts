import { createParser } from 'eventsource-parser';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import type { GatewayConfig } from '../../lambda/config/gateway-config';
import { createJsonLogger } from '../../lambda/logging/logger';
import { PRICE } from '../support/gateway-harness';

/** Values of the end-to-end tests: valid by their checksums, embedded in ordinary prose. */
export const CARD = '4539 1488 0343 6467';
export const IBAN = 'DE67 7605 0101 4871 2365 90';
export const EMAIL = 'alice.martin@example.com';
export const OPENAI_KEY = 'sk-proj-Q7bX2mK9vL4nR8tY3wZ6pA1sD5fG0hJ2kL7qW9eR4tY6uI8oP3aS';

export const ANTHROPIC_KEY = 'sk-ant-test';
export const UPSTREAM_KEY = 'sk-upstream-test';

/** Everything a test process logs, for the check that no value ever reaches a log line. */
export const logLines: string[] = [];
export const capturingLogger = createJsonLogger('debug', (line) => {
  logLines.push(line);
});

/**
 * Native and translated routes for every inbound API: `*-echo` models answer with the prompt in pieces
 * of three characters, so every placeholder reaches the gateway split across chunks.
 */
export function piiConfig(upstream: string, anthropicUrl: string, pii: unknown = {}): GatewayConfig {
  return parseGatewayConfig({
    providers: {
      compatible: { type: 'openai-compatible', baseUrl: upstream, apiKey: { env: 'X' } },
      openai: { type: 'openai', baseUrl: upstream, apiKey: { env: 'X' } },
      claude: { type: 'anthropic', baseUrl: anthropicUrl, apiKey: { env: 'Y' } },
    },
    models: {
      'chat-echo': { provider: 'compatible', model: 'echo-fine', price: PRICE },
      'responses-echo': { provider: 'openai', model: 'echo-fine', price: PRICE, api: 'responses' },
      'claude-echo': { provider: 'claude', model: 'echo-fine', price: PRICE },
      'claude-plain': { provider: 'claude', model: 'claude-fake', price: PRICE },
    },
    pii,
  });
}

/** The text a caller sees in an SSE answer of any format, as its own client would assemble it. */
export function streamedText(body: string): string {
  let text = '';
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const data = JSON.parse(event.data) as Record<string, unknown>;
      const choices = data.choices as { delta?: { content?: string }; text?: string }[] | undefined;
      if (choices !== undefined) text += choices.map((choice) => choice.delta?.content ?? choice.text ?? '').join('');
      if (data.type === 'content_block_delta') text += (data.delta as { text?: string }).text ?? '';
      if (data.type === 'response.output_text.delta') text += String(data.delta);
    },
  });
  parser.feed(body);
  return text;
}
