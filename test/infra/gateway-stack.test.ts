import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GatewayStack } from '../../lib';
import { resolveLambdaSources } from '../../lib/lambda-sources';
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

  test('outputs one secret ARN per keyed provider', () => {
    template.hasOutput('ProviderSecretOpenai', { Value: { Ref: Match.stringLikeRegexp('ProviderSecretsopenai') } });
    template.hasOutput('ProviderSecretGroq', { Value: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:team/groq-AbC123' });
    template.hasOutput('ProviderSecretTogether', Match.anyValue());
    expect(Object.keys(template.findOutputs('ProviderSecretVllm'))).toEqual([]);
  });
});

describe('handler sources', () => {
  const root = path.resolve(__dirname, '..', '..');

  test('are found from the source tree and from the compiled library alike', () => {
    for (const from of [path.join(root, 'lib'), path.join(root, 'dist', 'lib')]) {
      expect(resolveLambdaSources(from)).toEqual({
        projectRoot: root,
        depsLockFilePath: path.join(root, 'package-lock.json'),
        gatewayEntry: path.join(root, 'lambda', 'handlers', 'gateway.ts'),
        adminEntry: path.join(root, 'lambda', 'handlers', 'admin.ts'),
      });
    }
  });

  test('outside a GateLLM package the error says what is missing', () => {
    expect(() => resolveLambdaSources(path.parse(root).root)).toThrow(/cannot find the gatellm package root/);
  });
});
