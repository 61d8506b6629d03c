import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { GatewayStack } from '../../lib';
import * as acknowledgements from '../../lib/nag-acknowledgements';
import { SAMPLE_CONFIG, testApp } from './helpers';

/**
 * cdk-nag 3 is a policy-validation plugin: findings surface in the validation report, not as
 * annotations, so the pack is run directly on the construct tree (errors and warnings alike).
 */
function findings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
}

describe('cdk-nag AwsSolutions', () => {
  test('the default stack has no unacknowledged errors or warnings', () => {
    const stack = new GatewayStack(testApp(), 'GateLLM', { config: SAMPLE_CONFIG, env: { region: 'us-east-1' } });
    expect(findings(stack)).toEqual([]);
  });

  test('with tracing, disposable data and no account logging role: still clean', () => {
    const stack = new GatewayStack(testApp(), 'GateLLM', {
      config: SAMPLE_CONFIG,
      gateway: { tracing: true, apiCloudWatchRole: false },
    });
    expect(findings(stack)).toEqual([]);
  });

  test('synth with the plugin registered, as bin/gatellm.ts does, succeeds', () => {
    const app = testApp();
    new GatewayStack(app, 'GateLLM', { config: SAMPLE_CONFIG, env: { region: 'us-east-1' } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  test('the checks are live: without the acknowledgements the same stack has findings', () => {
    const acknowledge = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
    try {
      const stack = new GatewayStack(testApp(), 'GateLLM', { config: SAMPLE_CONFIG });
      expect(findings(stack).map((f) => f.split(':')[0])).toEqual(
        expect.arrayContaining(['error AwsSolutions-APIG4', 'error AwsSolutions-SMG4', 'warning AwsSolutions-APIG3']),
      );
    } finally {
      acknowledge.mockRestore();
    }
  });

  test('no reason claims budgets or rate limits the gateway does not enforce yet', () => {
    const reasons = Object.values(acknowledgements)
      .filter((value): value is readonly { id: string; reason: string }[] => Array.isArray(value))
      .flat()
      .map((acknowledgement) => acknowledgement.reason);
    expect(reasons.length).toBeGreaterThan(5);
    const sentences = reasons.flatMap((reason) => reason.split(/(?<=\.)\s+/));
    // Budgets and per-key rate limits come later; until then a sentence may only name them as absent.
    const claims = sentences.filter((sentence) => /budget|rate limit/i.test(sentence) && !/\bno\b.*\byet\b/i.test(sentence));
    expect(claims).toEqual([]);
  });
});
