import { parseGatewayConfig } from '../../lambda/config/validate-config';

const base = { providers: { p: { type: 'openai', baseUrl: 'https://api.openai.com/v1' } }, models: {} };
const parse = (pii: unknown) => parseGatewayConfig({ ...base, pii });

describe('the pii section of the configuration', () => {
  it('accepts rules in short and long form, custom patterns and managed detection', () => {
    const config = parse({
      rules: { email: 'redact', payment_card: { action: 'redact', restore: true }, employee_id: 'block', '*': 'log' },
      custom: [{ name: 'employee_id', pattern: 'EMP-\\d{6}' }, { name: 'ticket', pattern: 'tkt_[a-z]+', flags: 'i' }],
      managed: { service: 'comprehend', minScore: 0.9 },
    });
    expect(config.pii).toEqual({
      rules: { email: { action: 'redact' }, payment_card: { action: 'redact', restore: true }, employee_id: { action: 'block' }, '*': { action: 'log' } },
      custom: [{ name: 'employee_id', pattern: 'EMP-\\d{6}' }, { name: 'ticket', pattern: 'tkt_[a-z]+', flags: 'i' }],
      managed: { service: 'comprehend', minScore: 0.9 },
    });
    expect(parse({ managed: { service: 'bedrock-guardrails', guardrailId: 'gr1', guardrailVersion: '2' } }).pii?.managed)
      .toEqual({ service: 'bedrock-guardrails', guardrailId: 'gr1', guardrailVersion: '2' });
  });

  it.each([
    [{ rules: { emails: 'log' } }, 'pii.rules.emails is not a known type'],
    [{ rules: { email: 'hide' } }, 'pii.rules.email must be one of off, log, redact, block'],
    [{ rules: { email: { action: 'block', restore: true } } }, 'pii.rules.email.restore only applies to the redact action'],
    [{ custom: [{ name: 'Employee', pattern: 'x' }] }, 'pii.custom[0].name must be lower snake case'],
    [{ custom: [{ name: 'email', pattern: 'x' }] }, "pii.custom[0].name 'email' is already a type name"],
    [{ custom: [{ name: 'a', pattern: 'x' }, { name: 'a', pattern: 'y' }] }, "pii.custom[1].name 'a' is already a type name"],
    [{ custom: [{ name: 'a', pattern: '(' }] }, 'pii.custom[0].pattern is not a valid regular expression'],
    [{ custom: [{ name: 'a', pattern: 'x*' }] }, 'pii.custom[0].pattern matches the empty string'],
    [{ custom: [{ name: 'a', pattern: 'x', flags: 'g' }] }, 'pii.custom[0].flags may only hold'],
    [{ managed: { service: 'macie' } }, 'pii.managed.service must be'],
    [{ managed: { service: 'bedrock-guardrails', guardrailId: 'g' } }, 'pii.managed.guardrailVersion must be a non-empty string'],
    [{ managed: { service: 'comprehend', minScore: 2 } }, 'pii.managed.minScore must be a number from 0 to 1'],
    [{ managed: { service: 'comprehend', languageCode: 'de' } }, 'pii.managed.languageCode must be "en" or "es"'],
    [{ managed: { service: 'bedrock-guardrails', guardrailId: 'My Guardrail', guardrailVersion: '1' } }, 'pii.managed.guardrailId must be a guardrail id'],
    [{ managed: { service: 'bedrock-guardrails', guardrailId: 'gr1', guardrailVersion: 'v1' } }, 'pii.managed.guardrailVersion must be a version number'],
    [{ redact: true }, 'pii.redact is not a known field'],
  ])('rejects %j naming the field', (pii, message) => {
    expect(() => parse(pii)).toThrow(message);
  });
});
