import { Match, Template } from 'aws-cdk-lib/assertions';
import { GatewayStack } from '../../lib';
import { SAMPLE_CONFIG, testApp } from './helpers';

describe('GatewayStack', () => {
  const stack = new GatewayStack(testApp(), 'GateLLM', {
    config: SAMPLE_CONFIG,
    env: { region: 'eu-west-1' },
    gateway: { stageName: 'live' },
  });
  const template = Template.fromStack(stack);

  test('outputs the client base URLs, admin URL and table name', () => {
    template.hasOutput('BaseUrl', {
      Value: {
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: Match.stringLikeRegexp('GatewayApi') },
            '.execute-api.eu-west-1.',
            { Ref: 'AWS::URLSuffix' },
            '/',
            { Ref: Match.stringLikeRegexp('DeploymentStagelive') },
          ],
        ],
      },
    });
    template.hasOutput('OpenAiBaseUrl', { Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/v1$')])] } });
    template.hasOutput('AdminUrl', { Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/admin/v1$')])] } });
    template.hasOutput('TableName', { Value: { Ref: Match.stringLikeRegexp('GatewayTable') } });
  });

  test('each URL is output once, under its short name, though the construct emits the outputs itself', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const urlOutputs = Object.entries(outputs).filter(([, output]) => /\/v1"\]\]\}$/.test(JSON.stringify(output.Value)));
    expect(urlOutputs.map(([id]) => id).sort()).toEqual(['AdminUrl', 'OpenAiBaseUrl']);
  });

  test('outputs one secret ARN per keyed provider', () => {
    template.hasOutput('ProviderSecretOpenai', { Value: { Ref: Match.stringLikeRegexp('ProviderSecretsopenai') } });
    template.hasOutput('ProviderSecretGroq', { Value: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:team/groq-AbC123' });
    template.hasOutput('ProviderSecretTogether', Match.anyValue());
    expect(Object.keys(template.findOutputs('ProviderSecretVllm'))).toEqual([]);
  });
});
